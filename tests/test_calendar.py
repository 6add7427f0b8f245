"""The production calendar and the meaning of "the same day" (clause 1.12)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from auditor.audit.calendar import ProductionCalendar, deadline_of, local_date
from auditor.domain import Period

KEMEROVO = ZoneInfo("Asia/Novokuznetsk")
WINTER = Period("Зимние каникулы", date(2025, 12, 31), date(2026, 1, 11))


@pytest.fixture(scope="module")
def cal() -> ProductionCalendar:
    return ProductionCalendar(vacations=(WINTER,), extra_holidays=frozenset({date(2026, 3, 10)}))


def test_transferred_working_saturday_is_a_lesson_day(cal: ProductionCalendar) -> None:
    saturday = date(2025, 11, 1)
    assert saturday.weekday() == 5
    assert cal.is_working_day(saturday)
    assert not cal.is_public_holiday(saturday)
    assert cal.is_lesson_day(saturday)


def test_bridged_monday_and_unity_day_are_off(cal: ProductionCalendar) -> None:
    # holidays 0.109: 2025-11-03 is "Day off (substituted from 11/01/2025)".
    for day in (date(2025, 11, 3), date(2025, 11, 4)):
        assert cal.is_public_holiday(day)
        assert not cal.is_working_day(day)
        assert not cal.is_lesson_day(day)
    assert cal.holiday_name(date(2025, 11, 4)) == "День народного единства"


def test_new_year_holidays(cal: ProductionCalendar) -> None:
    for day in (date(2026, 1, 1), date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 9)):
        assert cal.is_public_holiday(day), day
        assert not cal.is_lesson_day(day)


def test_ordinary_weekend_is_not_a_public_holiday(cal: ProductionCalendar) -> None:
    saturday, sunday = date(2025, 11, 8), date(2025, 11, 9)
    assert not cal.is_working_day(saturday) and not cal.is_public_holiday(saturday)
    assert cal.is_lesson_day(saturday)  # the centre teaches on Saturdays
    assert not cal.is_public_holiday(sunday)
    assert not cal.is_lesson_day(sunday)  # and never on Sundays
    assert cal.is_lesson_day(date(2025, 11, 10))  # an ordinary Monday


def test_holiday_on_a_saturday_is_off(cal: ProductionCalendar) -> None:
    victory_day = date(2026, 5, 9)
    assert victory_day.weekday() == 5
    assert cal.is_public_holiday(victory_day)
    assert not cal.is_lesson_day(victory_day)


def test_institution_vacations_and_extra_days(cal: ProductionCalendar) -> None:
    assert not cal.is_lesson_day(date(2026, 1, 10))  # a Saturday inside the vacation
    assert cal.is_institution_day_off(date(2025, 12, 31))
    assert cal.is_lesson_day(date(2026, 1, 12))
    assert not cal.is_lesson_day(date(2026, 3, 10))  # extra day off
    assert ProductionCalendar().is_lesson_day(date(2026, 3, 10))


def test_working_days_per_year_match_the_official_calendar() -> None:
    cal = ProductionCalendar()
    for year, expected in ((2024, 248), (2025, 247)):
        days = (date(year, 1, 1) + timedelta(n) for n in range(366))
        assert sum(cal.is_working_day(d) for d in days if d.year == year) == expected


def test_lesson_days_iterates_only_lesson_days(cal: ProductionCalendar) -> None:
    week = list(cal.lesson_days(date(2025, 11, 1), date(2025, 11, 9)))
    assert week == [date(2025, 11, d) for d in (1, 5, 6, 7, 8)]
    mondays = list(cal.lesson_days(date(2025, 11, 1), date(2025, 11, 30), weekdays=[0]))
    assert mondays == [date(2025, 11, d) for d in (10, 17, 24)]


def test_local_date_late_evening_is_the_same_utc_date() -> None:
    local = datetime(2025, 9, 8, 23, 50, tzinfo=KEMEROVO)
    assert local.astimezone(UTC) == datetime(2025, 9, 8, 16, 50, tzinfo=UTC)
    assert local_date(datetime(2025, 9, 8, 16, 50, tzinfo=UTC), KEMEROVO) == date(2025, 9, 8)


def test_local_date_after_midnight_is_the_previous_utc_date() -> None:
    moment = datetime(2025, 9, 8, 17, 10, tzinfo=UTC)  # 00:10 on 9 September in Kemerovo
    assert moment.astimezone(KEMEROVO).hour == 0
    assert local_date(moment, KEMEROVO) == date(2025, 9, 9)
    assert local_date(moment, "Asia/Novokuznetsk") == date(2025, 9, 9)


def test_deadline_is_local_midnight_after_the_lesson() -> None:
    deadline = deadline_of(date(2025, 9, 8), KEMEROVO)
    assert deadline == datetime(2025, 9, 9, 0, 0, tzinfo=KEMEROVO)
    assert deadline == datetime(2025, 9, 8, 17, 0, tzinfo=UTC)
    assert datetime(2025, 9, 8, 16, 59, tzinfo=UTC) < deadline  # 23:59 local: on time


def test_naive_moment_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2025, 9, 8, 12, 0), KEMEROVO)
