"""The year's lessons: every timetabled meeting on a lesson day, entered (or not).

A group meets on each lesson day (see :class:`auditor.audit.calendar.ProductionCalendar`) whose
weekday is in its weekly pattern, from 1 September to 31 May: no lessons on public holidays,
bridged days off or the winter vacation; Saturday groups also meet on transferred working
Saturdays. About 1 % of lessons are cancelled (entered as cancelled in the morning), 3 % are
taught by another teacher of the same department who is free at that time (a substitution),
and about 0.5 % never get a journal entry (more often with late or forgetful teachers).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time

from auditor.simulator.answer_key import Kind, Profile, Quirk, Violation
from auditor.simulator.generator_base import GenContext
from auditor.simulator.generator_entries import EntryWriter, Occurrence
from auditor.simulator.generator_schedule import Pattern
from auditor.simulator.generator_structure import Behaviour, Catalogue
from auditor.simulator.world import Lesson, Student

FIRST_LESSON_ID = 100001
CANCELLED_SHARE = 0.01
SUBSTITUTION_SHARE = 0.03
NOT_ENTERED_SHARE = 0.004
ABSENCE_RATE = 0.1


def occurrences(ctx: GenContext, cat: Catalogue, weekly: tuple[Pattern, ...]) -> list[Occurrence]:
    days = list(ctx.calendar.lesson_days(ctx.first_day, ctx.last_day))
    by_weekday: dict[int, list[date]] = defaultdict(list)
    for day in days:
        by_weekday[day.weekday()].append(day)
    groups = {g.id: g for g in cat.groups}
    out = [
        Occurrence(groups[p.group_id], day, p.start, p.end)
        for p in weekly
        for day in by_weekday[p.weekday]
    ]
    out.sort(key=lambda o: (o.day, o.start, o.group.id))
    return out


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


class _Substitutes:
    """Who of a department is free to stand in for a lesson."""

    def __init__(self, cat: Catalogue, beh: Behaviour, weekly: tuple[Pattern, ...]) -> None:
        teacher_of = {g.id: g.teacher_id for g in cat.groups}
        self._busy: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for p in weekly:
            key = (teacher_of[p.group_id], p.weekday)
            self._busy[key].append((_minutes(p.start), _minutes(p.end)))
        self._by_dept: dict[int, list[int]] = defaultdict(list)
        for t, d in sorted(cat.teacher_departments.items()):
            if Quirk.NO_ACCOUNT not in beh.quirks.get(t, ()):  # cannot enter anything
                self._by_dept[d].append(t)
        self._dept = cat.teacher_departments

    def candidates(self, occ: Occurrence, writer: EntryWriter) -> list[int]:
        start, end = _minutes(occ.start), _minutes(occ.end)
        return [
            t
            for t in self._by_dept[self._dept[occ.group.teacher_id]]
            if t != occ.group.teacher_id
            and not writer.is_backfilled(occ, t)
            and all(end + 10 <= s or start >= e + 10 for s, e in self._busy[(t, occ.day.weekday())])
        ]


def lessons(
    ctx: GenContext,
    cat: Catalogue,
    beh: Behaviour,
    weekly: tuple[Pattern, ...],
    students: list[Student],
    writer: EntryWriter,
) -> tuple[Lesson, ...]:
    members: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for s in students:
        for gid in s.group_ids:
            members[gid].append((ctx.local_date(s.enrolled_at), s.id))
    subs = _Substitutes(cat, beh, weekly)
    out: list[Lesson] = []
    for i, occ in enumerate(occurrences(ctx, cat, weekly)):
        lesson_id = FIRST_LESSON_ID + i
        teacher = occ.group.teacher_id
        if ctx.chance(CANCELLED_SHARE):
            out.append(_cancelled(ctx, lesson_id, occ))
            continue
        pool = subs.candidates(occ, writer) if ctx.chance(SUBSTITUTION_SHARE) else []
        if pool:
            teacher = ctx.rng.choice(pool)
        elif _never_entered(ctx, beh, occ, writer):
            out.append(_not_entered(ctx, lesson_id, occ))
            continue
        absent = tuple(
            sid for day, sid in members[occ.group.id] if day <= occ.day and ctx.chance(ABSENCE_RATE)
        )
        out.append(writer.write(lesson_id, occ, teacher, tuple(sorted(absent))))
    writer.plant_copies()
    return tuple(out)


def _never_entered(ctx: GenContext, beh: Behaviour, occ: Occurrence, writer: EntryWriter) -> bool:
    teacher = occ.group.teacher_id
    if writer.is_backfilled(occ, teacher):
        return False
    careless = beh.profiles[teacher] in (Profile.LATE, Profile.FORGETS_ATTENDANCE)
    return ctx.chance(NOT_ENTERED_SHARE * (3 if careless else 1))


def _cancelled(ctx: GenContext, lesson_id: int, occ: Occurrence) -> Lesson:
    """Cancelled in the morning of the day; not applicable to any rule."""
    entered = ctx.moment_on(occ.day, time(8, 0), time(13, 30))
    return Lesson(
        lesson_id,
        occ.group.id,
        occ.day,
        occ.start,
        occ.end,
        occ.group.teacher_id,
        cancelled=True,
        entered_at=entered,
    )


def _not_entered(ctx: GenContext, lesson_id: int, occ: Occurrence) -> Lesson:
    lesson = Lesson(
        lesson_id,
        occ.group.id,
        occ.day,
        occ.start,
        occ.end,
        occ.group.teacher_id,
        cancelled=False,
        entered_at=None,
    )
    ctx.plant(
        Violation(
            "scheduled-lesson-entered",
            Kind.NOT_ENTERED,
            ctx.deadline(occ.day),
            lesson_id=lesson_id,
            group_id=occ.group.id,
            teacher_id=occ.group.teacher_id,
            lesson_date=occ.day,
        )
    )
    return lesson
