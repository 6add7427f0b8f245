"""Russian plural forms and dates come from Babel's locale data, checked over many numbers."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.russian import BREACHES, LESSONS, Forms, count, long_date, month_name


def by_hand(n: int) -> str:
    """The grammar rule, written out independently of Babel to check it."""
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "few"
    return "many"


@pytest.mark.parametrize("n", [*range(0, 130), 1001, 1011, 1021, 1112, 5224])
def test_plural_forms_follow_russian_grammar(n: int) -> None:
    expected = {"one": "урок", "few": "урока", "many": "уроков"}[by_hand(n)]
    assert count(n, Forms("урок", "урока", "уроков")) == f"{n} {expected}"


def test_the_issue_examples() -> None:
    assert [count(n, LESSONS) for n in (1, 2, 5, 11, 21)] == [
        "1 занятие", "2 занятия", "5 занятий", "11 занятий", "21 занятие",
    ]  # fmt: skip
    assert count(32, BREACHES) == "32 нарушения"


@pytest.mark.parametrize(
    ("day", "long", "month"),
    [
        (date(2025, 10, 12), "12 октября 2025 г.", "октябрь 2025"),
        (date(2026, 3, 1), "1 марта 2026 г.", "март 2026"),
        (date(2025, 9, 30), "30 сентября 2025 г.", "сентябрь 2025"),
        (date(2026, 5, 9), "9 мая 2026 г.", "май 2026"),
    ],
)
def test_dates_in_the_right_case(day: date, long: str, month: str) -> None:
    assert long_date(day) == long.replace(" г.", "\u00a0г.") and month_name(day) == month
