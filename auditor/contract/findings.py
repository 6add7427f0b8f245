"""Findings: what the rules found, in the vocabulary every part of the auditor shares.

The statuses are those of ``shared/DESIGN.md`` ("Observations and deadlines"): a lesson field
is on time, late, missing, cannot be proved, not yet due, or not applicable; a setup item is
pending before its deadline and a violation after it. Only offending statuses become
findings; ``on_time`` and ``not_applicable`` never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"


class Status(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"  # a fact: entered after the deadline (stays once established)
    MISSING = "missing"  # a state: still empty after the deadline (closes when filled)
    CANNOT_PROVE = "cannot_prove"  # the entry fell in a gap between polls spanning midnight
    NOT_DUE = "not_due"
    NOT_APPLICABLE = "not_applicable"
    PENDING = "pending"  # a setup item before its deadline
    VIOLATION = "violation"  # a setup item unmet after its deadline, or a quality problem


STATUS_RU: dict[Status, str] = {
    Status.ON_TIME: "вовремя",
    Status.LATE: "с опозданием",
    Status.MISSING: "не заполнено",
    Status.CANNOT_PROVE: "невозможно подтвердить",
    Status.NOT_DUE: "срок не наступил",
    Status.NOT_APPLICABLE: "не применимо",
    Status.PENDING: "ожидается",
    Status.VIOLATION: "нарушение",
}

# The statuses a report counts as breaches of the regulation.
BREACHES = frozenset({Status.LATE, Status.MISSING, Status.VIOLATION})


class Outcome(StrEnum):
    """How running one rule ended."""

    OK = "ok"
    ERROR = "error"  # the rule raised: reported, the other rules still ran


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    clause: str
    severity: Severity
    status: Status
    kind: str  # the rule's own sub-kind, e.g. "placeholder", "unmarked", "copied"
    department: str
    association: str
    group: str
    teacher: str
    lesson_id: int | None
    lesson_date: date | None
    lesson_time: time | None
    item: str  # for setup findings: what is missing (e.g. "учётная запись родителя")
    subject_id: int | None  # the student / staff / group the item is about
    evidence: str  # in Russian, with observation times
    days_late: int | None
    established_at: datetime | None
    closed_at: datetime | None
    department_id: int | None = None
    group_id: int | None = None
    teacher_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """What the store keeps of one audit: when it judged, what, with which rules, and the
    findings frame (the engine's columns). The store records this value and knows nothing
    of the engine that produced it."""

    judged_at: datetime
    start: date
    end: date
    rules: tuple[str, ...]  # the rule ids that ran
    errors: tuple[str, ...]  # "rule-id: first line of the error" of each rule that failed
    findings: pd.DataFrame
