"""The realistic case for :mod:`benchmarks.store`: daily syncs on a store that holds a month.

Shaped like the demo: 70 groups (one journal page each for the current month, 8-13 lessons),
67 staff, 1,500 pupils, polls at 07:00, 12:00, 18:00 and 23:50; the people pages are read
at 07:00 and 23:50 only (``sync.run.reads_people``). Most facts are unchanged from one
poll to the next: entries are made on the lesson's day (some late, some never), and a few
pupils' facts change each day. The store records September 1-28, then the eight polls of
September 29-30 are timed one by one, each after the ``plan_state`` the planner asks first:
medians of wall time and of this process's CPU time (other jobs on the machine inflate
the first much more than the second).
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from auditor.source.snapshot import (
    AssociationSeen,
    DepartmentSeen,
    GroupSeen,
    InstitutionSeen,
    JournalPageSeen,
    LessonSeen,
    ScheduleSlotSeen,
    SetupSeen,
    StaffSeen,
    StudentSeen,
    SyncSnapshot,
)
from auditor.store import SqlStore
from tests.store.builders import SOURCE, TZ

GROUPS = 70
STAFF = 67
STUDENTS = 1500
MONTH = "2025-09"
POLLS = (time(7), time(12), time(18), time(23, 50))
PEOPLE_POLLS = (time(7), time(23, 50))
LAST_DAY = date(2025, 9, 30)
TIMED_DAYS = 2


@dataclass(frozen=True, slots=True)
class MonthTimes:
    build_s: float  # record + plan_state of the polls before the timed days (wall)
    people_ms: tuple[float, float]  # record of a poll that reads people: wall, CPU (medians)
    light_ms: tuple[float, float]  # record of a poll that does not
    plan_ms: tuple[float, float]  # plan_state


def _weekdays(group: int) -> tuple[int, ...]:
    return ((0, 3), (1, 4), (2, 4, 5))[group % 3]


def _entered_at(group: int, day: date) -> datetime | None:
    """When the lesson's entry is made: its evening; one in seven late; one in 13 never."""
    n = group + day.day
    if n % 13 == 0:
        return None
    if n % 7 == 0:
        return datetime.combine(day + timedelta(days=1), time(11), tzinfo=TZ)
    return datetime.combine(day, time(17), tzinfo=TZ)


def _lessons(group: int, now: datetime) -> tuple[LessonSeen, ...]:
    """The group's lessons of September, planned a week ahead."""
    day, lessons = date(2025, 9, 1), []
    while day <= min(LAST_DAY, now.date() + timedelta(days=7)):
        if day.weekday() in _weekdays(group):
            entered = _entered_at(group, day)
            done = entered is not None and entered <= now
            lessons.append(
                LessonSeen(
                    lesson_id=group * 1000 + day.day, group_id=group, date=day,
                    start=time(15), end=time(15, 45), teacher_id=1000 + group % STAFF,
                    cancelled=False, topic=f"Тема {day.day}" if done else "",
                    completed=done, attendance_marked=done,
                    absent_count=(group + day.day) % 4 if done else None,
                    substitution=False, homework_present=done,
                )
            )  # fmt: skip
        day += timedelta(days=1)
    return tuple(lessons)


def _student(s: int, day: date) -> StudentSeen:
    moved = s % 30 < day.day  # a pupil a day... per 30: moves to another group once
    flags = (True, s % 3 == 0, (s + int(moved)) % 2 == 0, s % 5 == 0)
    return StudentSeen(10_000 + s, f"Ученик {s}", ((s + int(moved)) % GROUPS,), *flags, 1, s % 2)


def _institution(at: datetime, people: bool) -> InstitutionSeen:
    staff = tuple(
        StaffSeen(
            1000 + s, f"Педагог {s}", "педагог", s % 6, ("teacher",), s % 9 != 0,
            ("teacher",), tuple(g for g in range(GROUPS) if g % STAFF == s),
        )
        for s in range(STAFF)
    )  # fmt: skip
    return InstitutionSeen(
        observed_at=at,
        departments=tuple(DepartmentSeen(d, f"Отдел {d}", "отдел", 1000 + d) for d in range(6)),
        associations=tuple(AssociationSeen(a, f"Объединение {a}", a % 6) for a in range(25)),
        groups=tuple(
            GroupSeen(g, f"Группа {g}", g % 25, g % 6, 1000 + g % STAFF, 1 + g % 3)
            for g in range(GROUPS)
        ),
        staff=staff if people else None,
        students=tuple(_student(s, at.date()) for s in range(STUDENTS)) if people else None,
        schedule=tuple(
            ScheduleSlotSeen(g, w, time(15), time(15, 45))
            for g in range(GROUPS)
            for w in _weekdays(g)
        ),
        setup=SetupSeen(at, True, date(2025, 9, 1), date(2026, 5, 31), (), True),
    )


def poll(at: datetime) -> SyncSnapshot:
    people = at.timetz().replace(tzinfo=None) in PEOPLE_POLLS
    read_at = at + timedelta(seconds=20)
    return SyncSnapshot(
        started_at=at,
        finished_at=at + timedelta(seconds=GROUPS + 30),
        kind="daily",
        source=SOURCE,
        institution=_institution(read_at, people),
        journals=tuple(
            JournalPageSeen(g, MONTH, read_at + timedelta(seconds=1 + g), _lessons(g, at))
            for g in range(GROUPS)
        ),
    )


def _ms(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = clock.perf_counter(), clock.process_time()
    action()
    return (clock.perf_counter() - wall) * 1000, (clock.process_time() - cpu) * 1000


def _sync(store: SqlStore, at: datetime) -> tuple[tuple[float, float], tuple[float, float]]:
    """One poll as the sync runs it: ``plan_state``, then ``record`` (ms of each)."""
    snapshot = poll(at)
    return _ms(lambda: store.plan_state(at)), _ms(lambda: store.record(snapshot))


def _median(times: list[tuple[float, float]]) -> tuple[float, float]:
    walls, cpus = zip(*times, strict=True)
    return median(walls), median(cpus)


def run_month(store: SqlStore) -> MonthTimes:
    build, day = 0.0, date(2025, 9, 1)
    timed_from = LAST_DAY - timedelta(days=TIMED_DAYS - 1)
    while day < timed_from:
        for moment in POLLS:
            plan, record = _sync(store, datetime.combine(day, moment, tzinfo=TZ))
            build += (plan[0] + record[0]) / 1000
        day += timedelta(days=1)
    people, light, plans = [], [], []
    while day <= LAST_DAY:
        for moment in POLLS:
            plan, record = _sync(store, datetime.combine(day, moment, tzinfo=TZ))
            plans.append(plan)
            (people if moment in PEOPLE_POLLS else light).append(record)
        day += timedelta(days=1)
    return MonthTimes(build, _median(people), _median(light), _median(plans))
