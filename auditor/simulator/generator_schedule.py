"""Weekly timetables of the demo groups, and their schedule template in ЭШ 2.0.

A group meets 1-3 times a week, Monday to Saturday, between 14:00 and 19:30, for 45, 60 or
90 minutes, in its teacher's room; a teacher's slots never overlap. The *pattern* is when
the group really meets; the *template* (``ScheduleSlot``) is that pattern entered into ЭШ 2.0
by the operator. Most templates are entered in late August; for a few groups only after
8 September, and for one group never (planted, clause 2.2). Lessons follow the pattern
either way: the journal is kept even where the template is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from auditor.simulator.generator_base import GenContext
from auditor.simulator.generator_structure import Catalogue
from auditor.simulator.generator_topics import ROOMS
from auditor.simulator.world import ScheduleSlot

SLOTS_PER_WEEK = ((1, 0.2), (2, 0.6), (3, 0.2))
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.6)  # Saturday groups are common in such centres
STARTS = tuple(14 * 60 + 30 * i for i in range(10))  # 14:00 .. 18:30
DURATIONS = (45, 60, 90)
DAY_END = 19 * 60 + 30
LATE_TEMPLATES = 3
NEVER_TEMPLATES = 1


@dataclass(frozen=True, slots=True)
class Pattern:
    """When a group really meets each week."""

    group_id: int
    weekday: int
    start: time
    end: time
    room: str


def _t(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def patterns(ctx: GenContext, cat: Catalogue) -> tuple[Pattern, ...]:
    rooms = list(ROOMS)
    ctx.rng.shuffle(rooms)
    room_of = {t: rooms[i % len(rooms)] for i, t in enumerate(sorted(cat.teacher_departments))}
    busy: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (teacher, weekday) -> intervals
    out: list[Pattern] = []
    counts, weights = zip(*SLOTS_PER_WEEK, strict=True)
    for group in cat.groups:
        wanted = ctx.rng.choices(counts, weights)[0]
        days: list[int] = []
        for _ in range(60):
            if len(days) == wanted:
                break
            day = ctx.rng.choices(range(6), WEEKDAY_WEIGHTS)[0]
            if day in days:
                continue
            slot = _free_slot(ctx, busy.setdefault((group.teacher_id, day), []))
            if slot is None:
                continue
            days.append(day)
            busy[(group.teacher_id, day)].append(slot)
            out.append(Pattern(group.id, day, _t(slot[0]), _t(slot[1]), room_of[group.teacher_id]))
    return tuple(out)


def _free_slot(ctx: GenContext, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    for _ in range(20):
        start = ctx.rng.choice(STARTS)
        end = start + ctx.rng.choice(DURATIONS)
        if end <= DAY_END and all(end + 10 <= s or start >= e + 10 for s, e in taken):
            return start, end
    return None


def template(
    ctx: GenContext, cat: Catalogue, weekly: tuple[Pattern, ...]
) -> tuple[ScheduleSlot, ...]:
    """The ScheduleSlots in ЭШ 2.0; plants setup-schedule-template for a few groups."""
    group_ids = [g.id for g in cat.groups]
    planted = ctx.rng.sample(group_ids, LATE_TEMPLATES + NEVER_TEMPLATES)
    late, never = planted[:LATE_TEMPLATES], planted[LATE_TEMPLATES:]
    created: dict[int, datetime] = {}
    for gid in group_ids:
        if gid in late:
            created[gid] = ctx.moment_in_days(ctx.day(9, 10), ctx.day(9, 25))
        elif gid not in never:
            created[gid] = ctx.moment_in_days(ctx.day(8, 26), ctx.day(9, 5))
        if gid in planted:
            ctx.plant_if_overdue(
                "setup-schedule-template", ctx.setup_day, created.get(gid), group_id=gid
            )
    return tuple(
        ScheduleSlot(p.group_id, p.weekday, p.start, p.end, p.room, created[p.group_id])
        for p in weekly
        if p.group_id in created
    )
