"""When a job is due: local times on chosen days of the institution's calendar.

One trigger class serves every job. It is an APScheduler trigger (``auditor serve`` hands
it to APScheduler, whose job store pickles it, hence plain fields), and the scheduler's own
catch-up enumerates the same moments with :func:`fire_times`, so that what is due after a
downtime is exactly what APScheduler would have fired. Days are chosen by name rather than
by cron fields: APScheduler's cron day-of-week numbers differ from crontab's (0 is Monday
there), and "working day" and "the 10th, or the working day before it" are not cron.

Asia/Novokuznetsk has no daylight saving time, but the arithmetic is done on local dates
and combined with the zone, so a zone with DST would get its local times too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from auditor.audit.calendar import ProductionCalendar, institution_calendar

ONE_US = timedelta(microseconds=1)
HORIZON_DAYS = 800  # more than a year: a yearly window always has its next day within it
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # 0 is Monday


class Days(StrEnum):
    EVERY = "every"  # every day
    WORKING = "working"  # working days of the production calendar
    MONTHLY = "monthly"  # one day a month (moved back to a working day if asked)
    WINDOW = "window"  # working days from one date to another, each year
    WEEKLY = "weekly"  # one weekday (0 is Monday), every week


class CalendarTrigger(BaseTrigger):  # type: ignore[misc]  # APScheduler has no type hints
    """Fires at ``at`` (local HH:MM times) on the days ``days`` chooses.

    ``month_day`` and ``move_back`` are for :attr:`Days.MONTHLY`; ``window`` (MM-DD, MM-DD)
    for :attr:`Days.WINDOW`; ``extra_holidays`` (ISO dates) are the institution's own days
    off, which are not working days either."""

    def __init__(
        self,
        at: tuple[str, ...],
        days: Days,
        timezone: str,
        *,
        extra_holidays: tuple[str, ...] = (),
        month_day: int = 0,
        move_back: bool = True,
        window: tuple[str, str] = ("", ""),
        weekday: int = 0,
    ) -> None:
        self.at = tuple(sorted(at))
        self.days = Days(days)
        self.timezone = timezone
        self.extra_holidays = tuple(extra_holidays)
        self.month_day = month_day
        self.move_back = move_back
        self.window = window
        self.weekday = weekday

    # -- APScheduler's interface

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first due moment at or after ``now`` (after ``previous_fire_time``, if given,
        as APScheduler's own triggers do)."""
        start = now if previous_fire_time is None else min(now, previous_fire_time + ONE_US)
        if previous_fire_time is not None and start <= previous_fire_time:
            start = previous_fire_time + ONE_US
        tz = ZoneInfo(self.timezone)
        local = start.astimezone(tz)
        day = local.date()
        clocks = [time.fromisoformat(t) for t in self.at]
        for _ in range(HORIZON_DAYS):
            if self.is_due_day(day):
                for clock in clocks:
                    moment = datetime.combine(day, clock, tzinfo=tz)
                    if moment >= start:
                        return moment
            day += timedelta(days=1)
        return None

    def __getstate__(self) -> dict[str, object]:
        return {
            "at": self.at, "days": self.days.value, "timezone": self.timezone,
            "extra_holidays": self.extra_holidays, "month_day": self.month_day,
            "move_back": self.move_back, "window": self.window, "weekday": self.weekday,
        }  # fmt: skip

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.days = Days(self.days)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"<CalendarTrigger {self.describe()}>"

    # -- the calendar

    def is_due_day(self, day: date) -> bool:
        if self.days is Days.EVERY:
            return True
        if self.days is Days.WEEKLY:
            return day.weekday() == self.weekday
        calendar = _calendar(self.extra_holidays)
        if self.days is Days.WORKING:
            return calendar.is_working_day(day)
        if self.days is Days.MONTHLY:
            return day == self.monthly_day(day.year, day.month, calendar)
        first, last = (date.fromisoformat(f"{day.year}-{md}") for md in self.window)
        return first <= day <= last and calendar.is_working_day(day)

    def monthly_day(self, year: int, month: int, calendar: ProductionCalendar) -> date:
        """The month's due day: ``month_day``, or the working day before it when it is not
        one and ``move_back`` (never into the previous month)."""
        day = date(year, month, self.month_day)
        if not self.move_back:
            return day
        while not calendar.is_working_day(day) and day.day > 1:
            day -= timedelta(days=1)
        return day

    def describe(self) -> str:
        """What the schedule is, in one line (also what tells a changed schedule)."""
        times = ", ".join(self.at)
        if self.days is Days.MONTHLY:
            moved = " (the working day before, if not a working day)" if self.move_back else ""
            when = f"monthly on day {self.month_day}{moved}"
        elif self.days is Days.WEEKLY:
            when = f"weekly on {WEEKDAY_NAMES[self.weekday]}"
        elif self.days is Days.WINDOW:
            when = f"working days {self.window[0]}..{self.window[1]}"
        else:
            when = {Days.EVERY: "every day", Days.WORKING: "working days"}[self.days]
        extra = f", days off {', '.join(self.extra_holidays)}" if self.extra_holidays else ""
        return f"{when} at {times} {self.timezone}{extra}"


def fire_times(trigger: CalendarTrigger, after: datetime, upto: datetime) -> Iterator[datetime]:
    """Every due moment in (``after``, ``upto``], in order."""
    moment = trigger.get_next_fire_time(None, after + ONE_US)
    while moment is not None and moment <= upto:
        yield moment
        moment = trigger.get_next_fire_time(moment, moment + ONE_US)


@lru_cache(maxsize=8)
def _calendar(extra_holidays: tuple[str, ...]) -> ProductionCalendar:
    """The production calendar with the institution's days off (built once per set: the
    holidays package builds a year's table on first use)."""
    return institution_calendar((), (date.fromisoformat(d) for d in extra_holidays))
