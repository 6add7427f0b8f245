"""The production calendar: on which days lessons happen, and when "the same day" ends.

Clause 1.12 says lessons are entered "в день проведения". Two things decide what that means:

* **Which days are lesson days.** Russian public holidays and the government's bridged days
  off come from the ``holidays`` package, whose RU calendar knows the day transfers offline
  (e.g. Saturday 2025-11-01 was a working day and Monday 2025-11-03 a day off). Its
  ``is_working_day`` is used, never membership in the holiday dict, which cannot see the
  transferred working Saturdays. On top of that the institution adds its own vacations and
  extra days off. A centre of supplementary education teaches Monday to Saturday, so an
  ordinary Saturday is a lesson day; Sunday never is.
* **When the day ends.** "The same day" is the institution's *local* day, whatever the UTC
  date: an entry at 00:10 in Kemerovo is 17:10 UTC of the previous date and belongs to the
  next local day. The deadline of a lesson held on local date D is 00:00 local of D+1.

The calendar holds no global state: each instance owns its own ``holidays`` table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import holidays

from auditor.domain import Period, require_aware

SUNDAY = 6


def _zone(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def local_date(moment: datetime, tz: tzinfo | str) -> date:
    """The institution's local date of an aware ``moment`` (what "the same day" refers to)."""
    return require_aware(moment, "moment").astimezone(_zone(tz)).date()


def deadline_of(lesson_date: date, tz: tzinfo | str) -> datetime:
    """The deadline of a lesson held on ``lesson_date``: 00:00 local of the next day.

    An entry is on time when it is made strictly before this moment.
    """
    return datetime.combine(lesson_date + timedelta(days=1), time(0, 0), tzinfo=_zone(tz))


@dataclass(frozen=True)
class ProductionCalendar:
    """Russia's production calendar plus the institution's own days off.

    ``vacations`` are the institution's каникулы (typically ``AcademicYear.vacations``);
    ``extra_holidays`` are single days the institution does not teach.
    """

    vacations: tuple[Period, ...] = ()
    extra_holidays: frozenset[date] = frozenset()
    _ru: holidays.HolidayBase = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Russian names, for reports ("День народного единства"); years load lazily.
        object.__setattr__(self, "_ru", holidays.country_holidays("RU", language="ru"))

    def is_working_day(self, day: date) -> bool:
        """A working day of the RU production calendar (transferred Saturdays included)."""
        return bool(self._ru.is_working_day(day))

    def is_public_holiday(self, day: date) -> bool:
        """A non-working day for a reason other than an ordinary weekend.

        True for public holidays (on any weekday, Saturday included) and bridged days off;
        False for ordinary Saturdays and Sundays, and for transferred working Saturdays.
        """
        return not self.is_working_day(day) and (day.weekday() < 5 or day in self._ru)

    def holiday_name(self, day: date) -> str | None:
        """The official name of a public holiday or day off (in Russian), if any."""
        name = self._ru.get(day)
        return str(name) if name is not None else None

    def is_institution_day_off(self, day: date) -> bool:
        """A vacation day or an extra day off of the institution itself."""
        return day in self.extra_holidays or any(v.start <= day <= v.end for v in self.vacations)

    def is_lesson_day(self, day: date) -> bool:
        """Whether lessons are held: Monday to Saturday, except holidays and vacations.

        Saturday slots run on every Saturday that is a lesson day, transferred working
        Saturdays included (schools follow a weekday's timetable then; a centre of
        supplementary education simply keeps its Saturday groups).
        """
        return (
            day.weekday() != SUNDAY
            and not self.is_public_holiday(day)
            and not self.is_institution_day_off(day)
        )

    def lesson_days(
        self, start: date, end: date, weekdays: Iterable[int] = range(6)
    ) -> Iterator[date]:
        """Lesson days from ``start`` to ``end`` inclusive whose weekday is in ``weekdays``."""
        wanted = frozenset(weekdays)
        day = start
        while day <= end:
            if day.weekday() in wanted and self.is_lesson_day(day):
                yield day
            day += timedelta(days=1)


def institution_calendar(
    vacations: Iterable[tuple[date, date]], extra_holidays: Iterable[date] = ()
) -> ProductionCalendar:
    """The one way to build the institution's calendar: the RU production calendar, the
    vacations set up in ЭШ 2.0 (first and last day) and the configured extra days off.

    The crawl planner (which journal months to read) and the judge (which days have lessons)
    both call this, so that they can never disagree on a day.
    """
    periods = tuple(Period("каникулы", first, last) for first, last in vacations)
    return ProductionCalendar(periods, frozenset(extra_holidays))
