"""Charts as PNG bytes: the right size, the same bytes for the same input, real content, and
the edges (one month or twelve, a month without lessons, a 120-character department name,
a burn-down that starts before or after its deadline, or has a single day)."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from PIL import Image

from auditor.report.charts import (
    ITEMS_COLOUR,
    NO_LESSONS,
    PARTS,
    SUBJECTS_COLOUR,
    _bar_labels,
    _nice_step,
    _percent,
    _wrap,
    burndown_png,
    departments_png,
    trend_png,
)
from auditor.report.document import BurnDay, MonthShares, Shares

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = 880, 440  # 8×4 in at 110 dpi
DEADLINE = date(2025, 9, 8)


def month(number: int) -> MonthShares:
    """A month of 2025: 75 % on time, and some of every other part."""
    return MonthShares(date(2025, number, 1), Shares(400, 300, 50, 30, 20))


def year_of_months() -> list[MonthShares]:
    """September 2025 to August 2026, January without lessons."""
    firsts = [date(2025 + (8 + i) // 12, (8 + i) % 12 + 1, 1) for i in range(12)]
    return [
        MonthShares(first, Shares(400, 300 + 6 * i, 50 - 3 * i, 30 - 2 * i, 20 - i))
        if first.month != 1
        else MonthShares(first, Shares())
        for i, first in enumerate(firsts)
    ]


DEPARTMENTS = [
    ("Отдел художественного творчества", Shares(180, 150, 18, 9, 3)),
    ("Отдел технического творчества и робототехники", Shares(140, 101, 22, 12, 5)),
    ("Отдел физкультурно-спортивной работы", Shares(95, 88, 4, 2, 1)),
    ("Отдел социально-гуманитарных программ", Shares(120, 78, 20, 17, 5)),
]


def burn(first: date, count: int) -> list[BurnDay]:
    """Eight items and 300 subjects falling towards zero from ``first``, a day at a time."""
    return [
        BurnDay(first + timedelta(i), max(8 - i // 2, 0), max(300 - 20 * i, 5))
        for i in range(count)
    ]


def image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    return Image.open(io.BytesIO(png))


def colours(png: bytes) -> dict[tuple[int, int, int], int]:
    """Pixels by exact colour."""
    found = image(png).convert("RGB").getcolors(maxcolors=1 << 24)
    assert found is not None
    return {rgb: n for n, rgb in found}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


# One chart of each kind with realistic data, drawn once for the module: a render takes a
# tenth of a second or more, and the suite should stay fast.
RENDERERS: dict[str, Callable[[], bytes]] = {
    "trend": lambda: trend_png([month(9), month(10), month(11), month(12)], title="Тренд"),
    "departments": lambda: departments_png(DEPARTMENTS, title="Отделы"),
    "burndown": lambda: burndown_png(burn(date(2025, 8, 25), 17), deadline=DEADLINE, title="2.2"),
}


@pytest.fixture(scope="module")
def drawn() -> dict[str, bytes]:
    return {name: render() for name, render in RENDERERS.items()}


@pytest.mark.parametrize("name", ["trend", "burndown"])
def test_a_chart_is_a_png_of_8_by_4_inches_at_110_dpi(drawn: dict[str, bytes], name: str) -> None:
    assert image(drawn[name]).size == (WIDTH, HEIGHT)


def test_the_same_input_gives_the_same_bytes_even_drawn_in_threads_at_once(
    drawn: dict[str, bytes],
) -> None:
    """No pyplot, no global figure: charts drawn side by side neither mix nor differ."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        again = dict(
            zip(RENDERERS, pool.map(lambda render: render(), RENDERERS.values()), strict=True)
        )
    assert again == drawn


@pytest.mark.parametrize(
    "draw",
    [
        lambda: trend_png([], title="x"),
        lambda: departments_png([], title="x"),
        lambda: burndown_png([], deadline=DEADLINE, title="x"),
    ],
    ids=["trend", "departments", "burndown"],
)
def test_nothing_to_draw_is_an_error_not_a_blank_chart(draw: Callable[[], bytes]) -> None:
    with pytest.raises(ValueError, match="leave the chart out"):
        draw()


@pytest.mark.parametrize("months", [[month(9)], year_of_months()], ids=["one", "twelve"])
def test_a_trend_of_one_month_or_twelve_shows_every_status_colour(
    months: list[MonthShares],
) -> None:
    pixels = colours(trend_png(months, title="Своевременность заполнения"))
    for _, colour in PARTS:
        assert pixels.get(rgb(colour), 0) > 100, f"{colour} is missing from the chart"
    assert len(pixels) > 50, "text and anti-aliased edges make many shades"


def test_a_month_without_lessons_is_labelled_not_given_a_bar() -> None:
    labels = _bar_labels([m.shares for m in year_of_months()])
    assert labels[4] == NO_LESSONS  # January
    assert labels[0] == "75\u00a0%"
    assert NO_LESSONS not in labels[:4] + labels[5:]


@pytest.mark.parametrize(
    ("share", "label"),
    [(0.0, "0"), (0.004, "1"), (0.5, "50"), (0.874, "87"), (0.996, "99"), (1.0, "100")],
)
def test_the_on_time_share_is_never_rounded_to_all_or_nothing(share: float, label: str) -> None:
    assert _percent(share) == f"{label}\u00a0%"


def test_departments_grow_in_height_with_their_rows(drawn: dict[str, bytes]) -> None:
    two = image(departments_png(DEPARTMENTS[:2], title="Отделы")).size
    four = image(drawn["departments"]).size
    assert two[0] == four[0] == WIDTH
    assert two[1] < four[1]


def test_a_department_name_of_120_characters_is_wrapped_and_cut() -> None:
    name = ("Отдел дополнительного образования детей и взрослых " * 3)[:120]
    wrapped = _wrap(name).split("\n")
    assert len(wrapped) == 3
    assert all(len(line) <= 30 for line in wrapped)
    assert wrapped[-1].endswith("…")
    png = departments_png([(name, Shares(10, 9, 1, 0, 0)), ("Без занятий", Shares())], title="О")
    assert image(png).size[0] == WIDTH


def test_a_burn_down_shows_its_line_and_bars(drawn: dict[str, bytes]) -> None:
    pixels = colours(drawn["burndown"])
    for colour in (SUBJECTS_COLOUR, ITEMS_COLOUR):
        assert pixels.get(rgb(colour), 0) > 100, f"{colour} is missing from the chart"


@pytest.mark.parametrize(
    "first",
    [date(2025, 8, 20), date(2025, 9, 10)],
    ids=["deadline-after-the-last-day", "deadline-before-the-first-day"],
)
def test_a_burn_down_with_its_deadline_out_of_its_days(first: date) -> None:
    png = burndown_png(burn(first, 10), deadline=DEADLINE, title="Подготовка (п. 2.2)")
    assert image(png).size == (WIDTH, HEIGHT)
    assert len(colours(png)) > 50


def test_a_burn_down_of_a_single_day() -> None:
    png = burndown_png([BurnDay(DEADLINE, 3, 40)], deadline=DEADLINE, title="Один день")
    assert image(png).size == (WIDTH, HEIGHT)


@pytest.mark.parametrize(
    ("subjects_per_item", "step"), [(0, 1), (0.5, 1), (2.25, 3), (37.5, 40), (7, 8), (21, 25)]
)
def test_the_left_axis_is_a_whole_multiple_of_the_right(
    subjects_per_item: float, step: int
) -> None:
    assert _nice_step(subjects_per_item) == step


def test_importing_the_charts_does_not_import_matplotlib() -> None:
    code = "import sys, auditor.report.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
