"""The value codes of the interval tables, shared by the store (which writes them) and the
rules (which read them): one string per value, so that "the same value" is string equality.
Flags are ``"true"``/``"false"``, counts and ids decimal, lists comma-separated in a
canonical order, dates ISO. docs/store.md lists each field.
"""

from __future__ import annotations

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


def is_filled(field: str, value: str) -> bool:
    """Whether the value is an entry: a non-blank topic, a true flag, any id or count.

    Placeholders ("-", "тема") count as filled here; a rule of its own judges them.
    """
    if field == "topic":
        return value.strip() != ""
    if field in ("teacher", "absent_count"):
        return value != ""
    return value == TRUE
