"""Which journal months a sync reads: the incremental planner (pure, no I/O, no clock).

A journal page can only have changed if a lesson on it was held since the last look, or if
one of its lessons still had a tracked field empty at the last look (the store calls those
months *open*: they are read until the entry is made, to learn when it was). So a daily
sync reads

* the month of every day in the **window** (since the last run, and at least yesterday and
  today, in the institution's local time) for each group with a slot of the schedule
  template on that day's weekday (the template as stored, plus as read by this run), and
  for each group with no slot at all (its days are unknown, so it is read every day);
* every open month (:attr:`PlanState.open_months`) of this month or the previous one, and
  each older open month on one day of the week (spread by group and month): an entry made
  months late is still seen within a week, without re-reading a year of old gaps daily;
* the current month of every group seen for the first time;

and a full sync (``--full``, or the first sync into an empty store) reads every month of
the academic year up to now for every group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from auditor.audit.calendar import ProductionCalendar
from auditor.store.interface import RECENT_DAYS, PlanState

MonthKey = tuple[int, str]  # (group_id, "YYYY-MM")
RECENT_MONTHS = 2  # open months this recent (this one and the previous) are re-read daily


@dataclass(frozen=True, slots=True)
class JournalPlan:
    full: bool
    months: tuple[MonthKey, ...]  # what to read, in (month, group) order
    window: tuple[date, ...]  # local days whose lessons may have been entered since
    groups_with_lessons: frozenset[int]  # groups with a slot on a day of the window
    unscheduled: frozenset[int]  # groups without any slot: read every day
    reopened: int  # months read only because they were still open
    new_groups: int  # groups read only because they were seen for the first time


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def months_between(start: date, end: date) -> list[str]:
    """Every month from ``start``'s to ``end``'s, inclusive."""
    months = []
    index, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    while index <= last:
        months.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
        index += 1
    return months


def default_year_start(today: date) -> date:
    """1 September of the academic year ``today`` belongs to (when none is configured)."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def year_months(year_start: date | None, year_end: date | None, today: date) -> list[str]:
    """The academic year's months up to ``today`` (at least the current month)."""
    start = year_start or default_year_start(today)
    end = min(today, year_end) if year_end is not None and year_end >= start else today
    return months_between(start, end) if start <= end else [month_of(today)]


def window_days(last_run_at: datetime | None, now: datetime) -> tuple[date, ...]:
    """Local days from the last run's day (at the latest yesterday) through today."""
    today = now.date()
    first = today - timedelta(days=1)
    if last_run_at is not None:
        first = min(first, last_run_at.astimezone(now.tzinfo).date())
    return tuple(first + timedelta(days=n) for n in range((today - first).days + 1))


def plan_journals(
    state: PlanState,
    *,
    now: datetime,
    full: bool,
    groups: Iterable[int],
    schedule: Iterable[tuple[int, int]],
    year_start: date | None,
    year_end: date | None,
    calendar: ProductionCalendar | None = None,
) -> JournalPlan:
    """The journal months to read at ``now`` (local time of the institution).

    ``groups`` are the groups the group list shows now (only those have a journal to read);
    ``schedule`` is (group_id, weekday) of the template as this run read it.
    """
    group_ids = set(groups)
    today = now.date()
    window = window_days(state.last_run_at, now)
    if full or state.last_run_at is None:
        months = year_months(year_start or state.year_start, year_end or state.year_end, today)
        wanted = {(g, m) for g in group_ids for m in months}
        return _plan(True, wanted, window, frozenset(), frozenset(), 0, 0)

    weekdays: dict[int, set[int]] = {}
    for group_id, weekday, _start in state.schedule:
        weekdays.setdefault(weekday, set()).add(group_id)
    for group_id, weekday in schedule:
        weekdays.setdefault(weekday, set()).add(group_id)
    unscheduled = group_ids - {g for day_groups in weekdays.values() for g in day_groups}
    scheduled: set[MonthKey] = set()
    with_lessons: set[int] = set()
    for day in window:
        day_groups = weekdays.get(day.weekday(), set()) & group_ids
        with_lessons |= day_groups
        scheduled |= {(g, month_of(day)) for g in day_groups | unscheduled}

    current = month_of(today)
    still_open = {
        (g, m)
        for g, m in state.open_months
        if g in group_ids and m <= current and _reread_today(g, m, today)
    }
    first_seen = {(g, current) for g in group_ids - set(state.group_ids)}
    known = group_ids & set(state.group_ids)  # a group new to the store is read anyway
    unseen = expected_unseen(state, known, today, calendar)
    wanted = scheduled | still_open | first_seen | unseen
    return _plan(
        False,
        wanted,
        window,
        frozenset(with_lessons),
        frozenset(unscheduled),
        len(still_open - scheduled),
        len(first_seen - scheduled - still_open),
    )


def expected_unseen(
    state: PlanState, group_ids: set[int], today: date, calendar: ProductionCalendar | None
) -> set[MonthKey]:
    """Months of recent scheduled lessons not seen in the journal yet: a lesson entered a
    few days late appears there, and must be seen the day it appears, not weeks later."""
    calendar = calendar or ProductionCalendar()
    seen = set(state.recent_lesson_days)
    weekdays: dict[int, set[int]] = {}
    for group_id, weekday, _start in state.schedule:
        weekdays.setdefault(weekday, set()).add(group_id)
    wanted: set[MonthKey] = set()
    for back in range(1, RECENT_DAYS + 1):
        day = today - timedelta(days=back)
        if state.year_start is not None and day < state.year_start:
            break
        if not calendar.is_lesson_day(day):
            continue
        for group_id in weekdays.get(day.weekday(), set()) & group_ids:
            if (group_id, day) not in seen:
                wanted.add((group_id, month_of(day)))
    return wanted


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _reread_today(group_id: int, month: str, today: date) -> bool:
    """Recent open months every day; older ones on one weekday each, spread evenly."""
    age = _month_index(month_of(today)) - _month_index(month)
    if age < RECENT_MONTHS:
        return True
    return (group_id + _month_index(month)) % 7 == today.toordinal() % 7


def _plan(
    full: bool,
    wanted: set[MonthKey],
    window: tuple[date, ...],
    with_lessons: frozenset[int],
    unscheduled: frozenset[int],
    reopened: int,
    new_groups: int,
) -> JournalPlan:
    months = tuple(sorted(wanted, key=lambda key: (key[1], key[0])))
    return JournalPlan(full, months, window, with_lessons, unscheduled, reopened, new_groups)
