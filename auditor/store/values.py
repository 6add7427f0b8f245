"""How observed values are written into the interval tables: one string per value.

Every tracked value becomes a string so that one table holds all fields and "the same
value" is plain string equality: flags are ``"true"``/``"false"``, counts and ids decimal,
lists comma-separated in a canonical order, dates ISO. docs/store.md lists each field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from auditor.source.snapshot import LessonSeen

# Fields of a lesson kept as intervals ("present" is the lesson itself being on its page).
PRESENT = "present"
LESSON_FIELDS = (
    PRESENT,
    "teacher",
    "cancelled",
    "topic",
    "completion",
    "attendance",
    "absent_count",
    "substitution",
    "homework",
)
# The entries a teacher makes: their first fill is reported as a FirstSeen. The teacher,
# "cancelled" and the absent count are not entries of their own (the teacher is on the
# lesson from its creation), so only their changes are counted.
ENTRY_FIELDS = frozenset({"topic", "completion", "attendance", "substitution", "homework"})
# A lesson whose latest observation leaves one of these empty keeps its month open.
DUE_FIELDS = ("topic", "attendance", "completion")
TRUE = "true"
FALSE = "false"


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


def is_filled(field: str, value: str) -> bool:
    """Whether the value is an entry: a non-blank topic, a true flag, any id or count.

    Placeholders ("-", "тема") count as filled here; a rule of its own judges them.
    """
    if field == "topic":
        return value.strip() != ""
    if field in ("teacher", "absent_count"):
        return value != ""
    return value == TRUE
