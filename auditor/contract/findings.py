"""Findings: what the rules found, in the vocabulary every part of the auditor shares.

The statuses are those of ``shared/DESIGN.md`` ("Observations and deadlines"): a lesson field
is on time, late, missing, cannot be proved, not yet due, or not applicable; a setup item is
pending before its deadline and a violation after it. Only offending statuses become
findings; ``on_time`` and ``not_applicable`` never do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

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

# The statuses a report counts as breaches of the regulation. Cannot-prove is a monitoring
# gap (the auditor did not look at the right time), never a breach; pending and not-due are
# not breaches yet.
BREACHES = frozenset({Status.LATE, Status.MISSING, Status.VIOLATION})
GAPS = frozenset({Status.CANNOT_PROVE})

SEVERITY_RU: dict[Severity, str] = {
    Severity.CRITICAL: "критическое",
    Severity.MAJOR: "существенное",
    Severity.MINOR: "незначительное",
    Severity.INFO: "к сведению",
}


class Outcome(StrEnum):
    """How running one rule ended."""

    OK = "ok"
    ERROR = "error"  # the rule raised: reported, the other rules still ran


FieldKind = Literal["code", "text", "id", "count", "date", "time", "moment"]
Filler = Literal["rule", "engine"]

# How each kind of field is held in the findings frame.
DTYPES: dict[str, str] = {
    "code": "str",  # a stable English code (rule id, status, severity, kind)
    "text": "str",  # Russian text for people ("" when there is none)
    "id": "Int64",  # an ЭШ 2.0 id, nullable
    "count": "Int64",  # nullable
    "date": "datetime64[ns]",  # a local calendar date (naive midnight)
    "time": "timedelta64[ns]",  # a local time of day, as the offset from midnight
    "moment": "datetime64[ns, UTC]",  # an aware moment (NaT when none)
}


@dataclass(frozen=True, slots=True)
class FindingField:
    """One field of a finding: the single declaration everything else derives from (the
    rules' result columns, the engine's frame, the store's table, the export headers and
    the JSON Schema of ``docs/findings.schema.json``)."""

    name: str
    kind: FieldKind
    filled_by: Filler  # "rule": the check returns it; "engine": joined or stamped after
    label_ru: str  # the column header people read
    description: str  # English, for docs/findings.md and the JSON Schema
    stored: bool = True  # kept with a recorded audit (names are looked up again instead)


FINDING_FIELDS: tuple[FindingField, ...] = (
    FindingField("rule_id", "code", "engine", "Правило", "the rule's stable id"),
    FindingField("clause", "code", "engine", "Пункт", "the clause of the regulation"),
    FindingField("severity", "code", "engine", "Важность", "critical, major, minor or info"),
    FindingField("status", "code", "rule", "Статус", "the finding's status (see statuses)"),
    FindingField("kind", "code", "rule", "Вид", "the rule's own sub-kind, e.g. placeholder"),
    FindingField(
        "department_id", "id", "engine", "Код отдела", "the department's id", stored=False
    ),
    FindingField("department", "text", "engine", "Отдел", "the department", stored=False),
    FindingField("association", "text", "engine", "Объединение", "the association", stored=False),
    FindingField("group_id", "id", "rule", "Код группы", "the group's id"),
    FindingField("group", "text", "engine", "Группа", "the group's name", stored=False),
    FindingField("teacher_id", "id", "rule", "Код педагога", "the teacher's id"),
    FindingField("teacher", "text", "engine", "Педагог", "the teacher's name", stored=False),
    FindingField("lesson_id", "id", "rule", "Код занятия", "the lesson's id"),
    # A rule may give the lesson's date and time itself (a scheduled lesson never entered
    # has no lesson id); otherwise the engine looks them up by lesson_id.
    FindingField(
        "lesson_date", "date", "rule", "Дата занятия", "the lesson's local date", stored=False
    ),
    FindingField(
        "lesson_time", "time", "rule", "Время", "the lesson's local start time", stored=False
    ),
    FindingField("item", "text", "rule", "Что не сделано", "for setup findings: what is unmet"),
    FindingField(
        "subject_id", "id", "rule", "Код субъекта", "the pupil, staff member or group concerned"
    ),
    FindingField("evidence", "text", "rule", "Доказательства", "observations, in Russian"),
    FindingField("days_late", "count", "rule", "Опоздание, дн.", "days late, when exact"),
    FindingField(
        "established_at", "moment", "rule", "Установлено", "when the finding was established"
    ),
    FindingField("closed_at", "moment", "rule", "Закрыто", "when a missing entry was made"),
)

FINDING_COLUMNS: tuple[str, ...] = tuple(f.name for f in FINDING_FIELDS)
# The frame a rule's check returns (extra columns are ignored; absent ones are null).
RESULT_COLUMNS: dict[str, str] = {
    f.name: DTYPES[f.kind] for f in FINDING_FIELDS if f.filled_by == "rule"
}
STORED_FIELDS: tuple[FindingField, ...] = tuple(f for f in FINDING_FIELDS if f.stored)
LABELS_RU: dict[str, str] = {f.name: f.label_ru for f in FINDING_FIELDS}


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
    params: Mapping[str, Any] = field(default_factory=dict)  # as of, filters, rule-set version
