"""Tiny hand-built frames for rule tests: a few lessons and the observations of them.

A test describes what each poll saw (which lessons were on which journal page, with which
field values) and gets :class:`~auditor.store.frames.Frames` shaped exactly as the store
gives them: intervals of equal consecutive values, page reads, first/last seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from auditor.audit.calendar import ProductionCalendar
from auditor.contract.frames import SPECS, Frames, typed
from rules.base import RuleContext

KEMEROVO = ZoneInfo("Asia/Novokuznetsk")
EMPTY_LESSON = {
    "present": "true",
    "cancelled": "false",
    "topic": "",
    "completion": "false",
    "attendance": "false",
    "substitution": "false",
}
FILLED = {"topic": lambda v: v.strip() != "", "teacher": lambda v: v != ""}


def at(text: str) -> datetime:
    """A local moment: "2025-10-13 23:50"."""
    return datetime.fromisoformat(text).replace(tzinfo=KEMEROVO)


@dataclass
class LessonDef:
    lesson_id: int
    group_id: int
    day: date
    start: time
    teacher_id: int


@dataclass
class World:
    groups: dict[int, int] = field(default_factory=lambda: {100: 3, 101: 4})  # group → teacher
    lessons: dict[int, LessonDef] = field(default_factory=dict)
    reads: list[tuple[datetime, int, str, dict[int, dict[str, str]]]] = field(default_factory=list)
    schedule: list[tuple[int, int, time]] = field(default_factory=list)
    vacations: str = ""

    def lesson(
        self, lesson_id: int, day: str, *, group: int = 100, start: str = "15:00",
        teacher: int | None = None,
    ) -> int:  # fmt: skip
        self.lessons[lesson_id] = LessonDef(
            lesson_id, group, date.fromisoformat(day), time.fromisoformat(start),
            teacher if teacher is not None else self.groups[group],
        )  # fmt: skip
        return lesson_id

    def poll(self, moment: str, shown: dict[int, dict[str, Any]], pages: list[tuple[int, str]]
             | None = None) -> None:  # fmt: skip
        """One read of every page in ``pages`` (default: the pages of ``shown``).

        ``shown`` maps a lesson id to the fields that differ from an empty entry; a lesson of a
        read page that is not in ``shown`` is not on the page at that moment.
        """
        when = at(moment)
        if pages is None:
            pages = sorted({self._page(lid) for lid in shown} or self._all_pages())
        for group_id, month in pages:
            on_page = {
                lid: self._values(lid, fields)
                for lid, fields in shown.items()
                if self._page(lid) == (group_id, month)
            }
            self.reads.append((when, group_id, month, on_page))

    def _all_pages(self) -> set[tuple[int, str]]:
        return {self._page(lid) for lid in self.lessons}

    def _page(self, lesson_id: int) -> tuple[int, str]:
        lesson = self.lessons[lesson_id]
        return lesson.group_id, lesson.day.strftime("%Y-%m")

    def _values(self, lesson_id: int, fields: dict[str, Any]) -> dict[str, str]:
        values = dict(EMPTY_LESSON, teacher=str(self.lessons[lesson_id].teacher_id))
        for name, value in fields.items():
            values[name] = ("true" if value else "false") if isinstance(value, bool) else value
        return values

    def frames(self, start: str = "2025-09-01", end: str = "2026-05-31") -> Frames:
        runs, reads, lessons, intervals = [], [], {}, []
        history: dict[tuple[int, str], list[tuple[datetime, str, int]]] = {}
        moments = sorted({r[0] for r in self.reads})
        run_of = {m: i + 1 for i, m in enumerate(moments)}
        for m in moments:
            runs.append((run_of[m], m, m, "daily", "test", 1, 1, 1, 0))
        for read_id, (when, group_id, month, on_page) in enumerate(self.reads, start=1):
            run = run_of[when]
            reads.append((read_id, run, group_id, month, when, len(on_page)))
            for lid, values in on_page.items():
                d = self.lessons[lid]
                first = lessons.get(lid, (when, run))
                lessons[lid] = (first[0], first[1], when, run)
                for name, value in values.items():
                    history.setdefault((lid, name), []).append((when, value, run))
        for (lid, name), seen in sorted(history.items()):
            start_i = 0
            for i in range(1, len(seen) + 1):
                if i == len(seen) or seen[i][1] != seen[start_i][1]:
                    value = seen[start_i][1]
                    filled = FILLED.get(name, lambda v: v == "true")(value)
                    intervals.append(
                        (len(intervals) + 1, lid, name, filled, value, seen[start_i][0],
                         seen[i - 1][0], seen[start_i][2], seen[i - 1][2], i == len(seen))
                    )  # fmt: skip
                    start_i = i
        lesson_rows = []
        for lid, (first, first_run, last, last_run) in sorted(lessons.items()):
            d = self.lessons[lid]
            if not (date.fromisoformat(start) <= d.day <= date.fromisoformat(end)):
                continue
            lesson_rows.append(
                (lid, d.group_id, d.day, d.day.strftime("%Y-%m"), d.start,
                 (datetime.combine(d.day, d.start) + timedelta(minutes=90)).time(),
                 first, last, first_run, last_run, True)
            )  # fmt: skip
        kept = {row[0] for row in lesson_rows}
        seen_all = (at("2025-08-20 10:00"), at("2025-08-20 10:00"))
        return Frames(
            start=date.fromisoformat(start),
            end=date.fromisoformat(end),
            lessons=typed(lesson_rows, SPECS["lessons"]),
            field_intervals=typed([r for r in intervals if r[1] in kept], SPECS["field_intervals"]),
            page_reads=typed(reads, SPECS["page_reads"]),
            runs=typed(runs, SPECS["runs"]),
            departments=typed([(1, "Художественный отдел", "отдел", 2, True, *seen_all)],
                              SPECS["departments"]),
            associations=typed([(10, "Изостудия", 1, True, *seen_all)], SPECS["associations"]),
            groups=typed([(g, f"Группа-{g}", 10, 1, t, 1, True, *seen_all)
                          for g, t in self.groups.items()], SPECS["groups"]),
            staff=typed([(s, f"Педагог {s}", "Педагог", 1, "teacher", True, "teacher", "", True,
                          *seen_all) for s in (2, 3, 4, 5)], SPECS["staff"]),
            students=typed([], SPECS["students"]),
            student_groups=typed([], SPECS["student_groups"]),
            staff_groups=typed([], SPECS["staff_groups"]),
            schedule=typed([(g, wd, st, (datetime.combine(date.today(), st)
                                         + timedelta(minutes=90)).time(), True, *seen_all)
                            for g, wd, st in self.schedule], SPECS["schedule"]),
            setup=typed([(True, date(2025, 9, 1), date(2026, 5, 31), self.vacations, True,
                          *seen_all)], SPECS["setup"]),
            facts=typed([], SPECS["facts"]),
        )  # fmt: skip


def context(
    now: str,
    start: str = "2025-09-01",
    end: str = "2026-05-31",
    calendar: ProductionCalendar | None = None,
) -> RuleContext:
    return RuleContext(
        now=at(now),
        tz=KEMEROVO,
        calendar=calendar or ProductionCalendar(),
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        setup_deadline=date(2025, 9, 8),
    )
