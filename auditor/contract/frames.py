"""The rule engine's input: a period's lessons and their evidence as typed pandas frames.

This is the contract between the store (which fills the frames) and the rules (which read
them): every column has an explicit dtype, also when a frame is empty, so rules can rely on
``.dt`` and comparisons. docs/store.md documents every column; keep them in step. Nothing
here touches a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from auditor.lazy import pandas as pd

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
