"""The rule engine's input: a period's lessons and their evidence as typed pandas frames.

One query per stored frame, all in one read transaction (a consistent view even while a
sync writes). Every column has an explicit dtype, also when a frame is empty, so rules can
rely on ``.dt`` and comparisons. docs/store.md documents every column; keep them in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, and_, func, select

from auditor.store import schema
from auditor.store.values import PRESENT, TRUE

# Column kinds and their dtypes.
DTYPES = {
    "int": "int64",
    "Int": "Int64",  # nullable ids (a department without a head)
    "str": "str",
    "bool": "bool",
    "utc": "datetime64[ns, UTC]",  # a moment
    "date": "datetime64[ns]",  # a calendar date (midnight, no zone: the institution's date)
    "tod": "timedelta64[ns]",  # a time of day, as the offset from midnight
}
SEEN = {"present": "bool", "first_seen_at": "utc", "last_seen_at": "utc"}
INTERVAL = {
    "value": "str",
    "first_seen_at": "utc",
    "last_seen_at": "utc",
    "first_run_id": "int",
    "last_run_id": "int",
    "latest": "bool",
}
SPECS: dict[str, dict[str, str]] = {
    "lessons": {
        "lesson_id": "int", "group_id": "int", "date": "date", "month": "str",
        "start_time": "tod", "end_time": "tod", "first_seen_at": "utc", "last_seen_at": "utc",
        "first_run_id": "int", "last_run_id": "int", "present": "bool",
    },
    "field_intervals": {
        "interval_id": "int", "lesson_id": "int", "field": "str", "filled": "bool", **INTERVAL,
    },
    "page_reads": {
        "read_id": "int", "run_id": "int", "group_id": "int", "month": "str",
        "observed_at": "utc", "lesson_count": "int",
    },
    "runs": {
        "run_id": "int", "started_at": "utc", "finished_at": "utc", "kind": "str",
        "source": "str", "pages": "int", "requests": "int", "bytes": "int", "retries": "int",
    },
    "departments": {
        "department_id": "int", "name": "str", "kind": "str", "head_id": "Int", **SEEN,
    },
    "associations": {"association_id": "int", "name": "str", "department_id": "int", **SEEN},
    "groups": {
        "group_id": "int", "name": "str", "association_id": "int", "department_id": "Int",
        "teacher_id": "int", "year_of_study": "int", **SEEN,
    },
    "staff": {
        "staff_id": "int", "full_name": "str", "position": "str", "department_id": "Int",
        "roles": "str", "has_account": "bool", "rights_roles": "str",
        "journal_group_ids": "str", **SEEN,
    },
    "students": {
        "student_id": "int", "full_name": "str", "group_ids": "str", "has_birth_date": "bool",
        "has_address": "bool", "has_phone": "bool", "has_email": "bool",
        "parent_count": "int", "parents_with_account": "int", **SEEN,
    },
    "student_groups": {"student_id": "int", "group_id": "int"},
    "staff_groups": {"staff_id": "int", "group_id": "int"},
    "schedule": {
        "group_id": "int", "weekday": "int", "start_time": "tod", "end_time": "tod", **SEEN,
    },
    "setup": {
        "year_configured": "bool", "year_start": "date", "year_end": "date",
        "vacations": "str", "notifications_configured": "bool",
        "first_seen_at": "utc", "last_seen_at": "utc",
    },
    "facts": {"interval_id": "int", "kind": "str", "entity": "str", "fact": "str", **INTERVAL},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Frames:
    """Lessons dated in [start, end] with their evidence, and the institution as it is now."""

    start: date
    end: date
    lessons: pd.DataFrame
    field_intervals: pd.DataFrame
    page_reads: pd.DataFrame
    runs: pd.DataFrame
    departments: pd.DataFrame
    associations: pd.DataFrame
    groups: pd.DataFrame
    staff: pd.DataFrame
    students: pd.DataFrame
    student_groups: pd.DataFrame
    staff_groups: pd.DataFrame
    schedule: pd.DataFrame
    setup: pd.DataFrame
    facts: pd.DataFrame


def load_frames(conn: Connection, start: date, end: date) -> Frames:
    frames = {
        name: typed(conn.execute(query).all(), SPECS[name])
        for name, query in _queries(start, end).items()
    }
    return Frames(
        start=start,
        end=end,
        student_groups=_links(frames["students"], "student_id", "group_ids", "student_groups"),
        staff_groups=_links(frames["staff"], "staff_id", "journal_group_ids", "staff_groups"),
        **frames,
    )


def _queries(start: date, end: date) -> dict[str, Select[Any]]:
    s = schema
    lessons, iv = s.lessons, s.field_intervals
    in_period = and_(lessons.c.date >= start, lessons.c.date <= end)
    present = iv.alias("present")
    months = (start.strftime("%Y-%m"), end.strftime("%Y-%m"))
    return {
        "lessons": select(
            *(lessons.c[name] for name in SPECS["lessons"] if name != "present"),
            # "present" (last in the spec): the lesson's latest presence observation.
            func.coalesce(present.c.value, "") == TRUE,
        )
        .outerjoin(
            present,
            and_(
                present.c.lesson_id == lessons.c.lesson_id,
                present.c.latest,
                present.c.field == PRESENT,
            ),
        )
        .where(in_period)
        .order_by(lessons.c.lesson_id),
        "field_intervals": select(*_columns(iv, SPECS["field_intervals"], id_as="interval_id"))
        .join(lessons, lessons.c.lesson_id == iv.c.lesson_id)
        .where(in_period)
        .order_by(iv.c.lesson_id, iv.c.field, iv.c.first_seen_at, iv.c.id),
        "page_reads": select(*_columns(s.page_reads, SPECS["page_reads"], id_as="read_id"))
        .where(s.page_reads.c.month >= months[0], s.page_reads.c.month <= months[1])
        .order_by(s.page_reads.c.group_id, s.page_reads.c.month, s.page_reads.c.observed_at),
        "runs": select(*_columns(s.runs, SPECS["runs"], id_as="run_id")).order_by(s.runs.c.id),
        "departments": _current(s.departments, "departments", "department_id"),
        "associations": _current(s.associations, "associations", "association_id"),
        "groups": _current(s.study_groups, "groups", "group_id"),
        "staff": _current(s.staff, "staff", "staff_id"),
        "students": _current(s.students, "students", "student_id"),
        "schedule": select(*(s.schedule_slots.c[n] for n in SPECS["schedule"])).order_by(
            *s.schedule_slots.primary_key.columns
        ),
        "setup": select(*(s.setup.c[n] for n in SPECS["setup"])),
        "facts": select(*_columns(s.facts, SPECS["facts"], id_as="interval_id")).order_by(
            s.facts.c.kind, s.facts.c.entity, s.facts.c.fact, s.facts.c.first_seen_at
        ),
    }


def _columns(table: Any, spec: dict[str, str], *, id_as: str) -> list[Any]:
    return [table.c.id.label(id_as) if name == id_as else table.c[name] for name in spec]


def _current(table: Any, name: str, id_as: str) -> Select[Any]:
    return select(*_columns(table, SPECS[name], id_as=id_as)).order_by(table.c.id)


def typed(rows: Sequence[Sequence[Any]], spec: dict[str, str]) -> pd.DataFrame:
    """A frame with exactly ``spec``'s columns and dtypes, from rows in that order."""
    columns: Iterable[Sequence[Any]] = zip(*rows, strict=True) if rows else [()] * len(spec)
    data = {
        name: _series(kind, list(values))
        for (name, kind), values in zip(spec.items(), columns, strict=True)
    }
    return pd.DataFrame(data, columns=list(spec))


def _series(kind: str, values: list[Any]) -> pd.Series:
    dtype = DTYPES[kind]
    if kind == "utc":
        return pd.Series(pd.to_datetime(values, utc=True), dtype=dtype)
    if kind == "date":
        return pd.Series(pd.to_datetime(values), dtype=dtype)
    if kind == "tod":
        return pd.Series(pd.to_timedelta([_seconds(t) for t in values], unit="s"), dtype=dtype)
    return pd.Series(values, dtype=dtype)


def _seconds(moment: time | None) -> float | None:
    if moment is None:
        return None
    return moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6


def _links(frame: pd.DataFrame, owner: str, ids: str, name: str) -> pd.DataFrame:
    """One row per (owner, group) from a comma-separated id column."""
    pairs = [
        (int(key), int(group))
        for key, text in zip(frame[owner], frame[ids], strict=True)
        if isinstance(text, str) and text
        for group in text.split(",")
    ]
    return typed(pairs, SPECS[name])
