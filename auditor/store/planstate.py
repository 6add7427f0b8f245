"""What the incremental planner needs from earlier runs (:class:`PlanState`).

The planner asks before every sync, so its queries are built once, here, with the day as a
bound parameter: building them per call (aliases make SQLAlchemy copy every column) cost
more than running them. Both open-month queries start from ``ix_field_intervals_open``, the
latest empty intervals, so their cost follows what is open, not the store's history.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Date, String, and_, bindparam, cast, exists, func, or_, select

from auditor.contract.values import DUE_FIELDS, FALSE, PRESENT, TRUE
from auditor.store import schema
from auditor.store.interface import RECENT_DAYS, PlanState

_TODAY = bindparam("today", type_=Date())
_SINCE = bindparam("since", type_=Date())


def plan_state(conn: Connection, now: datetime) -> PlanState:
    """``now`` should be in the institution's time zone: its date decides which lessons are due."""
    today = now.date()
    last_run_at = conn.execute(_LAST_RUN).scalar_one_or_none()
    year = conn.execute(_YEAR).first()
    return PlanState(
        last_run_at=last_run_at,
        group_ids=tuple(conn.execute(_GROUPS).scalars()),
        schedule=tuple((g, w, t) for g, w, t in conn.execute(_SCHEDULE)),
        year_start=None if year is None else year.year_start,
        year_end=None if year is None else year.year_end,
        open_months=open_months(conn, now),
        people_seen_at=conn.execute(_PEOPLE_SEEN).scalar(),
        recent_lesson_days=tuple(
            (group_id, day)
            for group_id, day in conn.execute(
                _RECENT, {"since": today - timedelta(days=RECENT_DAYS), "today": today}
            )
        ),
    )


def open_months(conn: Connection, now: datetime) -> tuple[tuple[int, str], ...]:
    """Pages with a due lesson, on its page and not cancelled, whose latest observation of
    topic, attendance or completion is empty: re-read until the entry shows, to learn when.
    Also pages with a lesson taught by someone other than its group's teacher and not marked
    as a substitution yet: re-read until the mark shows, to learn when it was made."""
    params = {"today": now.date()}
    rows = [*conn.execute(_EMPTY_ENTRIES, params), *conn.execute(_UNMARKED, params)]
    return tuple(sorted({(group_id, month) for group_id, month in rows}))


_runs, _groups, _slots, _setup = (
    schema.runs,
    schema.study_groups,
    schema.schedule_slots,
    schema.setup,
)
_LAST_RUN = select(func.max(_runs.c.finished_at))
_GROUPS = select(_groups.c.id).where(_groups.c.present).order_by(_groups.c.id)
_SCHEDULE = (
    select(_slots.c.group_id, _slots.c.weekday, _slots.c.start_time)
    .where(_slots.c.present)
    .order_by(_slots.c.group_id, _slots.c.weekday, _slots.c.start_time)
)
_YEAR = select(_setup.c.year_start, _setup.c.year_end)
_PEOPLE_SEEN = select(func.max(schema.students.c.last_seen_at))

_lessons, _iv = schema.lessons, schema.field_intervals
_RECENT = (
    select(_lessons.c.group_id, _lessons.c.date)
    .where(_lessons.c.date >= _SINCE, _lessons.c.date <= _TODAY)
    .distinct()
    .order_by(_lessons.c.group_id, _lessons.c.date)
)


def _not_applicable(lesson_id: Any) -> Any:
    """The lesson is cancelled, or off its page, at its latest observation.

    ``field IN`` (implied by the rest) lets SQLite seek (lesson, field) in the index, not
    read every interval of the lesson.
    """
    stop = _iv.alias("stop")
    return exists().where(
        stop.c.lesson_id == lesson_id,
        stop.c.latest,
        stop.c.field.in_(["cancelled", PRESENT]),
        or_(
            and_(stop.c.field == "cancelled", stop.c.value == TRUE),
            and_(stop.c.field == PRESENT, stop.c.value == FALSE),
        ),
    )


def _empty_entries() -> Any:
    empty = _iv.alias("empty")
    return (
        select(_lessons.c.group_id, _lessons.c.month)
        .join(
            empty,
            and_(
                empty.c.lesson_id == _lessons.c.lesson_id,
                empty.c.latest,
                empty.c.field.in_(DUE_FIELDS),
                ~empty.c.filled,
            ),
        )
        .where(_lessons.c.date <= _TODAY, ~_not_applicable(_lessons.c.lesson_id))
        .distinct()
    )


def _unmarked_substitutions() -> Any:
    teacher, mark = _iv.alias("teacher"), _iv.alias("mark")
    return (
        select(_lessons.c.group_id, _lessons.c.month)
        .join(_groups, _groups.c.id == _lessons.c.group_id)
        .join(
            teacher,
            and_(
                teacher.c.lesson_id == _lessons.c.lesson_id,
                teacher.c.latest,
                teacher.c.field == "teacher",
            ),
        )
        .join(
            mark,
            and_(
                mark.c.lesson_id == _lessons.c.lesson_id,
                mark.c.latest,
                mark.c.field == "substitution",
                mark.c.value == FALSE,
                # Implied by the value; spelled out so that the lookup starts from the
                # open (latest, empty) intervals' index, not from every teacher interval.
                ~mark.c.filled,
            ),
        )
        .where(
            _lessons.c.date <= _TODAY,
            teacher.c.value != cast(_groups.c.teacher_id, String),
            # Correlated through the teacher's interval (the same lesson), so that SQLite
            # checks it only for the rare lessons someone else taught, not for all.
            ~_not_applicable(teacher.c.lesson_id),
        )
        .distinct()
    )


_EMPTY_ENTRIES = _empty_entries()
_UNMARKED = _unmarked_substitutions()
