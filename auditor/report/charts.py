"""Charts for the reports people read, as PNG bytes: the monthly trend of timely entry
(clause 1.12), departments side by side, and the setup burn-down (clause 2.2).

matplotlib is imported inside the functions: the CLI must start without paying for it
(a third to half a second), and most commands draw nothing. Each chart is drawn on its own
``Figure`` with an Agg canvas, never through pyplot, whose global figure registry is not
thread-safe and wants a display. The PNG carries no software version, so the same input
gives the same bytes (a report can be compared or cached). An empty input raises
``ValueError``: whether to leave a chart out is the caller's decision, not a blank image.
"""

from __future__ import annotations

import io
import itertools
import math
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from babel.dates import format_date

from auditor.contract.findings import STATUS_RU, Status
from auditor.report.document import BurnDay, MonthShares, Shares
from auditor.russian import RU

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"  # ships with matplotlib and has Cyrillic, so no system font is needed
WIDTH, HEIGHT, DPI = 8.0, 4.0, 110  # 880×440 px: legible in mail and at 16–17 cm on A4

# The Okabe–Ito colours, told apart under the common colour-vision deficiencies; the parts
# of a bar in the order they stack (on time at the bottom, read first).
PARTS: tuple[tuple[Status, str], ...] = (
    (Status.ON_TIME, "#009E73"),  # bluish green
    (Status.LATE, "#E69F00"),  # orange
    (Status.MISSING, "#D55E00"),  # vermilion
    (Status.CANNOT_PROVE, "#999999"),  # grey
)
ON_TIME_INK = "#00694D"  # the on-time green, dark enough for text: the label reads as the part
SUBJECTS_COLOUR = "#0072B2"  # blue: the burn-down's line, apart from every status colour
ITEMS_COLOUR, ITEMS_INK = "#F2BFA0", "#A04000"  # pale vermilion bars behind it, darker text
INK, MUTED, FAINT = "#333333", "#777777", "#DDDDDD"
ON_TIME_LABEL: dict[str, Any] = {"fontsize": 9, "fontweight": "bold", "color": ON_TIME_INK}
NO_LESSONS = "нет занятий"
SUBJECTS_LEGEND = "учащиеся, сотрудники, группы (левая шкала)"
ITEMS_LEGEND = "пункты п. 2.2 (правая шкала)"
MIN_SLOTS = 4  # a single month is drawn as narrow as one of four, not as a wall
MAX_DAY_TICKS = 16  # dd.mm labels that fit side by side across the width
NAME_WIDTH, NAME_LINES = 30, 3  # a department's name, wrapped; longer ones end in «…»


def trend_png(months: Sequence[MonthShares], *, title: str) -> bytes:
    """Per month, how the lessons held were entered (stacked %), on-time % above each bar."""
    if not months:
        raise ValueError("no months to draw a trend of: leave the chart out")
    figure = _figure(HEIGHT)
    ax = figure.add_subplot()
    shares = [month.shares for month in months]
    positions = list(range(len(months)))
    for label, colour, values, starts in _segments(shares):
        ax.bar(positions, values, 0.6, bottom=starts, color=colour, label=label)
    for x, text, held in zip(positions, _bar_labels(shares), shares, strict=True):
        if held.held:
            ax.text(x, 101.5, text, ha="center", va="bottom", **ON_TIME_LABEL)
        else:  # upright it would not fit a slot of twelve
            ax.text(x, 50, text, ha="center", va="center", rotation=90, color=MUTED)
    pad = max(0.0, (MIN_SLOTS - len(months)) / 2)
    ax.set_xlim(-0.5 - pad, len(months) - 0.5 + pad)
    ax.set_xticks(positions, _month_labels([month.month for month in months]))
    _percent_axis(ax, "y")
    ax.set_ylabel("доля проведённых занятий")
    _finish(figure, [ax], title)
    return _png(figure)


def departments_png(rows: Sequence[tuple[str, Shares]], *, title: str) -> bytes:
    """Departments in the given order, top down: stacked % bars, on-time % at each bar's end."""
    if not rows:
        raise ValueError("no departments to compare: leave the chart out")
    names = [_wrap(name) for name, _ in rows]
    lines = sum(name.count("\n") + 1 for name in names)
    figure = _figure(1.5 + 0.3 * len(rows) + 0.18 * lines)  # each row as tall as its name
    ax = figure.add_subplot()
    shares = [row_shares for _, row_shares in rows]
    positions = list(range(len(rows)))
    for label, colour, values, starts in _segments(shares):
        ax.barh(positions, values, 0.6, left=starts, color=colour, label=label)
    for y, text, held in zip(positions, _bar_labels(shares), shares, strict=True):
        if held.held:
            ax.text(101.5, y, text, ha="left", va="center", **ON_TIME_LABEL)
        else:
            ax.text(1.5, y, text, ha="left", va="center", fontsize=9, color=MUTED)
    ax.set_yticks(positions, names)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top, as in the table beside it
    _percent_axis(ax, "x")
    ax.set_xlabel("доля проведённых занятий")
    _finish(figure, [ax], title)
    return _png(figure)


def burndown_png(days: Sequence[BurnDay], *, deadline: date, title: str) -> bytes:
    """Setup items unmet (bars, right axis) and those concerned (line, left axis) by day."""
    if not days:
        raise ValueError("no days to draw a burn-down of: leave the chart out")
    figure = _figure(HEIGHT)
    ax = figure.add_subplot()
    items_ax = ax.twinx()
    x = [day.day.toordinal() for day in days]
    items_ax.bar(x, [d.unmet_items for d in days], 0.6, color=ITEMS_COLOUR, label=ITEMS_LEGEND)
    ax.plot(x, [d.unmet_subjects for d in days], color=SUBJECTS_COLOUR, linewidth=2,
            marker="o", markersize=4, label=SUBJECTS_LEGEND)  # fmt: skip
    ax.set_zorder(items_ax.get_zorder() + 1)  # the line over the bars of the twin axes
    ax.patch.set_visible(False)
    _burn_axes(ax, items_ax, days)
    _deadline(ax, deadline, x)
    _day_ticks(ax, x, deadline)
    _finish(figure, [ax, items_ax], title)
    return _png(figure)


def _bar_labels(shares: Sequence[Shares]) -> list[str]:
    """What is written at each bar: the on-time share, or that no lesson was held."""
    return [NO_LESSONS if s.on_time_share is None else _percent(s.on_time_share) for s in shares]


def _percent(share: float) -> str:
    """«87 %»: whole per cent, but 99.6 % is not shown as 100 nor 0.4 % as 0, since a bar
    labelled 100 % while one lesson was late would hide the very thing the chart is for."""
    value = round(share * 100)
    if value == 100 and share < 1:
        value = 99
    elif value == 0 and share > 0:
        value = 1
    return f"{value}\u00a0%"


def _segments(shares: Sequence[Shares]) -> list[tuple[str, str, list[float], list[float]]]:
    """Per part: its label, colour, % of each bar and where it starts. No lessons, no bar."""
    starts = [0.0] * len(shares)
    out = []
    for status, colour in PARTS:
        values = [100 * _part(s, status) / s.held if s.held else 0.0 for s in shares]
        out.append((STATUS_RU[status], colour, values, list(starts)))
        starts = [start + value for start, value in zip(starts, values, strict=True)]
    return out


def _part(shares: Shares, status: Status) -> int:
    return {
        Status.ON_TIME: shares.on_time,
        Status.LATE: shares.late,
        Status.MISSING: shares.missing,
        Status.CANNOT_PROVE: shares.cannot_prove,
    }[status]


def _month_labels(months: Sequence[date]) -> list[str]:
    """«сент. 2025»; past six months the year goes under the month, or the labels collide."""
    labels = [str(format_date(month, "LLL yyyy", locale=RU)) for month in months]
    return [label.replace(" ", "\n") for label in labels] if len(labels) > 6 else labels


def _wrap(name: str) -> str:
    return "\n".join(textwrap.wrap(name, NAME_WIDTH, max_lines=NAME_LINES, placeholder=" …"))


def _percent_axis(ax: Axes, which: Literal["x", "y"]) -> None:
    """0–100 % with room past 100 for the labels; the grid across the bars."""
    ticks = [0, 25, 50, 75, 100]
    labels = [f"{tick}\u00a0%" for tick in ticks]
    if which == "y":
        ax.set_ylim(0, 112)
        ax.set_yticks(ticks, labels)
        ax.grid(axis="y", color=FAINT)
    else:
        ax.set_xlim(0, 112)
        ax.set_xticks(ticks, labels)
        ax.grid(axis="x", color=FAINT)
    ax.set_axisbelow(True)


def _burn_axes(ax: Axes, items_ax: Axes, days: Sequence[BurnDay]) -> None:
    """Both counts from zero in whole numbers, the left axis a whole multiple of the right so
    their ticks meet on the same grid lines; headroom on top for the deadline's label."""
    items = max(max(day.unmet_items for day in days), 8)  # the 8 items of clause 2.2
    step = _nice_step(max(day.unmet_subjects for day in days) / items)
    items_ax.set_ylim(0, items * 1.2)
    items_ax.set_yticks(range(items + 1))
    items_ax.set_ylabel("пунктов не выполнено", color=ITEMS_INK)
    ax.set_ylim(0, step * items * 1.2)
    ax.set_yticks(range(0, step * items + 1, step))
    ax.set_ylabel("учащихся, сотрудников,\nгрупп не готово", color=SUBJECTS_COLOUR)
    ax.grid(axis="y", color=FAINT)


def _nice_step(at_least: float) -> int:
    """The smallest of 1, 2, 3, 4, 5, 6, 8, 10, 20, 25, 30, … that is ``at_least``."""
    for power in itertools.count():
        for mantissa in (1, 2, 2.5, 3, 4, 5, 6, 8):
            step = mantissa * 10**power
            if step >= at_least and step == int(step):
                return int(step)
    raise AssertionError("unreachable")


def _deadline(ax: Axes, deadline: date, x: Sequence[int]) -> None:
    """A dashed line at the end of the deadline's day (the counts are at each day's end, so
    the bar of the deadline day itself is still in time), labelled on the side with room."""
    at = deadline.toordinal() + 0.5
    ax.axvline(at, color=INK, linestyle="--", linewidth=1.2)
    left, right = min(*x, at - 0.5) - 0.7, max(*x, at + 0.5) + 0.7
    ax.set_xlim(left, right)
    text = "срок: " + str(format_date(deadline, "d MMMM", locale=RU))
    on_right = at < (left + right) / 2
    ax.text(at + (0.3 if on_right else -0.3), 0.97, text, transform=ax.get_xaxis_transform(),
            ha="left" if on_right else "right", va="top", fontsize=9, color=INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip


def _day_ticks(ax: Axes, x: Sequence[int], deadline: date) -> None:
    """dd.mm under the days, every k-th day when there are too many to fit."""
    first, last = min(*x, deadline.toordinal()), max(*x, deadline.toordinal())
    step = math.ceil((last - first + 1) / MAX_DAY_TICKS)
    ticks = list(range(min(x), max(x) + 1, step))
    ax.set_xticks(ticks, [date.fromordinal(tick).strftime("%d.%m") for tick in ticks])


def _figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), dpi=DPI, facecolor="white", layout="constrained")


def _finish(figure: Figure, axes: Sequence[Axes], title: str) -> None:
    """The title over the whole figure (not over the bars, past long department names), the
    legend of every axes under the chart, and quiet frames."""
    figure.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold", color=INK)
    handles, labels = [], []
    for ax in axes:
        more_handles, more_labels = ax.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
        ax.spines["top"].set_visible(False)
        ax.tick_params(labelsize=9, colors=INK)
    if len(axes) == 1:
        axes[0].spines["right"].set_visible(False)
    figure.legend(handles, labels, loc="outside lower center", ncols=len(handles),
                  frameon=False, fontsize=9)  # fmt: skip


def _png(figure: Figure) -> bytes:
    """The figure as PNG, in DejaVu Sans whatever the local matplotlibrc says."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        text.set_fontfamily(FONT)
    for axes in figure.axes:
        axes.tick_params(labelfontfamily=FONT)  # ticks made at draw time copy this
    FigureCanvasAgg(figure)  # attaches itself as the figure's canvas
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
