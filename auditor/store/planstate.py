"""What the incremental planner needs from earlier runs (:class:`PlanState`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, String, and_, cast, exists, func, or_, select

from auditor.contract.values import DUE_FIELDS, FALSE, PRESENT, TRUE
from auditor.store import schema
from auditor.store.interface import RECENT_DAYS, PlanState


def plan_state(conn: Connection, now: datetime) -> PlanState:
    """``now`` should be in the institution's time zone: its date decides which lessons are due."""
    runs, groups = schema.runs, schema.study_groups
    slots, setup = schema.schedule_slots, schema.setup
    last_run_at = conn.execute(select(func.max(runs.c.finished_at))).scalar_one_or_none()
    group_ids = conn.execute(select(groups.c.id).where(groups.c.present).order_by(groups.c.id))
    schedule = conn.execute(
        select(slots.c.group_id, slots.c.weekday, slots.c.start_time)
        .where(slots.c.present)
        .order_by(slots.c.group_id, slots.c.weekday, slots.c.start_time)
    )
    year = conn.execute(select(setup.c.year_start, setup.c.year_end)).first()
    people_seen_at = conn.execute(select(func.max(schema.students.c.last_seen_at))).scalar()
    return PlanState(
        last_run_at=last_run_at,
        group_ids=tuple(group_ids.scalars()),
        schedule=tuple((g, w, t) for g, w, t in schedule),
        year_start=None if year is None else year.year_start,
        year_end=None if year is None else year.year_end,
        open_months=open_months(conn, now),
        people_seen_at=people_seen_at,
        recent_lesson_days=recent_lesson_days(conn, now),
    )


def recent_lesson_days(conn: Connection, now: datetime) -> tuple[tuple[int, date], ...]:
    lessons = schema.lessons
    since = now.date() - timedelta(days=RECENT_DAYS)
    rows = conn.execute(
        select(lessons.c.group_id, lessons.c.date)
        .where(lessons.c.date >= since, lessons.c.date <= now.date())
        .distinct()
        .order_by(lessons.c.group_id, lessons.c.date)
    )
    return tuple((group_id, day) for group_id, day in rows)


def open_months(conn: Connection, now: datetime) -> tuple[tuple[int, str], ...]:
    """Pages with a due lesson, on its page and not cancelled, whose latest observation of
    topic, attendance or completion is empty: re-read until the entry shows, to learn when."""
    lessons, iv = schema.lessons, schema.field_intervals
    empty = iv.alias("empty")
    stop = iv.alias("stop")
    not_applicable = exists().where(
        stop.c.lesson_id == lessons.c.lesson_id,
        stop.c.latest,
        or_(
            and_(stop.c.field == "cancelled", stop.c.value == TRUE),
            and_(stop.c.field == PRESENT, stop.c.value == FALSE),
        ),
    )
    unmarked = _unmarked_substitutions(conn, now, not_applicable)
    rows = conn.execute(
        select(lessons.c.group_id, lessons.c.month)
        .join(
            empty,
            and_(
                empty.c.lesson_id == lessons.c.lesson_id,
                empty.c.latest,
                empty.c.field.in_(DUE_FIELDS),
                ~empty.c.filled,
            ),
        )
        .where(lessons.c.date <= now.date(), ~not_applicable)
        .distinct()
        .order_by(lessons.c.group_id, lessons.c.month)
    )
    found = {(group_id, month) for group_id, month in rows} | unmarked
    return tuple(sorted(found))


def _unmarked_substitutions(conn: Connection, now: datetime, not_applicable: Any) -> set[Any]:
    """Pages with a lesson taught by someone other than its group's teacher and not marked
    as a substitution yet: re-read until the mark shows, to learn when it was made."""
    lessons, iv, groups = schema.lessons, schema.field_intervals, schema.study_groups
    teacher, mark = iv.alias("teacher"), iv.alias("mark")
    rows = conn.execute(
        select(lessons.c.group_id, lessons.c.month)
        .join(groups, groups.c.id == lessons.c.group_id)
        .join(
            teacher,
            and_(
                teacher.c.lesson_id == lessons.c.lesson_id,
                teacher.c.latest,
                teacher.c.field == "teacher",
            ),
        )
        .join(
            mark,
            and_(
                mark.c.lesson_id == lessons.c.lesson_id,
                mark.c.latest,
                mark.c.field == "substitution",
                mark.c.value == FALSE,
            ),
        )
        .where(
            lessons.c.date <= now.date(),
            teacher.c.value != cast(groups.c.teacher_id, String),
            ~not_applicable,
        )
        .distinct()
    )
    return {(group_id, month) for group_id, month in rows}
