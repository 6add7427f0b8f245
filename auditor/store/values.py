"""How observed values are written into the interval tables: one string per value.

Every tracked value becomes a string so that one table holds all fields and "the same
value" is plain string equality: flags are ``"true"``/``"false"``, counts and ids decimal,
lists comma-separated in a canonical order, dates ISO. docs/store.md lists each field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from hashlib import blake2b

from auditor.contract.values import FALSE, PRESENT, TRUE
from auditor.source.snapshot import LessonSeen


def flag(value: bool) -> str:
    return TRUE if value else FALSE


def id_list(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(set(ids)))


def name_list(names: Iterable[str]) -> str:
    return ",".join(sorted(set(names)))


def iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def optional_id(value: int | None) -> str:
    return "" if value is None else str(value)


def lesson_values(lesson: LessonSeen) -> dict[str, str]:
    """The fields this observation shows; a field the source cannot see (None) is left out."""
    values = {
        PRESENT: TRUE,
        "teacher": str(lesson.teacher_id),
        "cancelled": flag(lesson.cancelled),
        "topic": lesson.topic,
    }
    optional: dict[str, bool | int | None] = {
        "completion": lesson.completed,
        "attendance": lesson.attendance_marked,
        "absent_count": lesson.absent_count,
        "substitution": lesson.substitution,
        "homework": lesson.homework_present,
    }
    for name, value in optional.items():
        if isinstance(value, bool):
            values[name] = flag(value)
        elif value is not None:
            values[name] = str(value)
    return values


def digest(values: Mapping[str, str]) -> str:
    """A lesson's field values as 32 hex digits (``lessons.latest_digest``): equal values,
    equal digests, in any order; different values collide with chance 2**-128."""
    return blake2b(repr(sorted(values.items())).encode(), digest_size=16).hexdigest()
