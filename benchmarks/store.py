"""Benchmark of the store: recording a full-year sync and a daily sync, loading frames.

Run by hand: ``.venv/bin/python benchmarks/store.py``. Targets: a full-year sync well under
10 s, a daily sync well under 1 s. Prints, as its last line,
``RESULT full_year_record_s=… daily_record_s=… load_frames_s=… plan_state_s=… month_…``.
The institution: 120 groups with two lessons a week, Sept-May (1,080 journal pages, about
9,000 lessons), 150 staff, 1,500 students.

The ``month_`` figures are the realistic case (:mod:`benchmarks.store_month`): a demo-sized
store that already holds a month of polls, and the next days' syncs, most facts unchanged
(medians; ``_cpu_`` ones count this process's CPU time only, steadier on a shared machine).
Targets: a few tens of ms per ``record``, a few ms per ``plan_state``.
"""

from __future__ import annotations

import sys
import tempfile
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.store_month import run_month
from tests.store.builders import SOURCE, TZ

GROUPS = 120
STAFF = 150
STUDENTS = 1500
MONTHS = [f"2025-{m:02d}" for m in range(9, 13)] + [f"2026-{m:02d}" for m in range(1, 6)]
FIRST = datetime(2026, 3, 2, 23, 30, tzinfo=TZ)
T = TypeVar("T")


def timed(what: str, action: Callable[[], T]) -> tuple[T, float]:
    start = clock.perf_counter()
    result = action()
    elapsed = clock.perf_counter() - start
    print(f"{what}: {elapsed:.2f} s", file=sys.stderr)
    return result, elapsed


def month_lessons(group: int, month: str, filled_until: date) -> tuple[LessonSeen, ...]:
    """Tuesdays and Thursdays; entries made up to ``filled_until``, one in seven forgotten."""
    day = date.fromisoformat(f"{month}-01")
    lessons = []
    while day.strftime("%Y-%m") == month:
        if day.weekday() in (1, 3):
            done = day <= filled_until and (group + day.day) % 7 != 0
            lessons.append(
                LessonSeen(
                    lesson_id=group * 10_000 + day.toordinal() % 10_000,
                    group_id=group,
                    date=day,
                    start=time(15),
                    end=time(15, 45),
                    teacher_id=1000 + group % STAFF,
                    cancelled=False,
                    topic=f"Тема {day.isoformat()}" if done else "",
                    completed=done,
                    attendance_marked=done,
                    absent_count=(group + day.day) % 4 if done else None,
                    substitution=False,
                    homework_present=done,
                )
            )
        day += timedelta(days=1)
    return tuple(lessons)


def staff_member(s: int) -> StaffSeen:
    groups = tuple(g for g in range(GROUPS) if g % STAFF == s)
    return StaffSeen(
        s + 1000, f"Педагог {s}", "педагог", s % 6, ("teacher",), s % 9 != 0, ("teacher",), groups
    )


def student(s: int) -> StudentSeen:
    flags = (True, s % 3 == 0, s % 2 == 0, s % 5 == 0)
    return StudentSeen(10_000 + s, f"Ученик {s}", (s % GROUPS,), *flags, 1 + s % 2, s % 2)


def institution(at: datetime) -> InstitutionSeen:
    return InstitutionSeen(
        observed_at=at,
        departments=tuple(DepartmentSeen(d, f"Отдел {d}", "отдел", 1000 + d) for d in range(6)),
        associations=tuple(AssociationSeen(a, f"Объединение {a}", a % 6) for a in range(40)),
        groups=tuple(
            GroupSeen(g, f"Группа {g}", g % 40, g % 6, 1000 + g % STAFF, 1 + g % 3)
            for g in range(GROUPS)
        ),
        staff=tuple(staff_member(s) for s in range(STAFF)),
        students=tuple(student(s) for s in range(STUDENTS)),
        schedule=tuple(
            ScheduleSlotSeen(g, w, time(15), time(15, 45)) for g in range(GROUPS) for w in (1, 3)
        ),
        setup=SetupSeen(at, True, date(2025, 9, 1), date(2026, 5, 31), (), True),
    )


def sync(at: datetime, months: list[str], filled_until: date, kind: str) -> SyncSnapshot:
    pages = [(g, m) for g in range(GROUPS) for m in months]
    return SyncSnapshot(
        started_at=at - timedelta(minutes=1),
        finished_at=at + timedelta(seconds=len(pages) + 1),
        kind=kind,
        source=SOURCE,
        institution=institution(at),
        journals=tuple(
            JournalPageSeen(g, m, at + timedelta(seconds=i), month_lessons(g, m, filled_until))
            for i, (g, m) in enumerate(pages)
        ),
    )


def main(tmp_path: Path) -> None:
    full = sync(FIRST, MONTHS, date(2026, 3, 1), "full")
    lessons = sum(len(p.lessons) for p in full.journals)
    assert len(full.journals) == 1080 and 8000 < lessons < 9500
    again = sync(FIRST + timedelta(hours=7), MONTHS, date(2026, 3, 2), "full")
    daily = sync(FIRST + timedelta(days=1), ["2026-03"], date(2026, 3, 3), "daily")
    year = (date(2025, 9, 1), date(2026, 5, 31))
    with SqlStore.open_path(tmp_path / "auditor.sqlite3") as store:
        summary, full_s = timed(
            f"full-year sync into a fresh store ({lessons} lessons)", lambda: store.record(full)
        )
        assert summary.new_lessons == lessons
        _, again_s = timed("the same full-year sync again", lambda: store.record(again))
        summary, daily_s = timed(
            f"daily sync ({len(daily.journals)} pages + institution)", lambda: store.record(daily)
        )
        assert summary.first_seen  # the lessons of 3 March got their entries
        frames, frames_s = timed("load_frames for the whole year", lambda: store.load_frames(*year))
        assert len(frames.lessons) == lessons
        _, plan_s = timed("plan_state", lambda: store.plan_state(FIRST + timedelta(days=1)))
    with SqlStore.open_path(tmp_path / "month.sqlite3") as store:
        month, _ = timed("a month of polls (the last 8 timed one by one)", lambda: run_month(store))
    print(
        f"month, median of the timed polls: record with people {month.people_ms[0]:.0f} ms "
        f"(CPU {month.people_ms[1]:.0f} ms), without {month.light_ms[0]:.0f} ms "
        f"(CPU {month.light_ms[1]:.0f} ms), plan_state {month.plan_ms[0]:.0f} ms",
        file=sys.stderr,
    )
    print(
        f"RESULT full_year_record_s={full_s:.2f} full_year_again_s={again_s:.2f} "
        f"daily_record_s={daily_s:.2f} load_frames_s={frames_s:.2f} plan_state_s={plan_s:.2f} "
        f"month_build_s={month.build_s:.2f} month_daily_people_ms={month.people_ms[0]:.0f} "
        f"month_daily_ms={month.light_ms[0]:.0f} month_plan_state_ms={month.plan_ms[0]:.0f} "
        f"month_daily_people_cpu_ms={month.people_ms[1]:.0f} "
        f"month_daily_cpu_ms={month.light_ms[1]:.0f}"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        main(Path(folder))
