"""Score findings against the generator's answer key: precision and recall.

The answer key lists every violation the demo generator planted, judged on the TRUE entry
times; the auditor sees the journal only through its polls. With polls close to midnight and
early in the morning the two must agree exactly. A finding and a key item match when they
name the same rule, sub-kind and subject (the lesson; or the group and date of a lesson never
entered; or the pupil, staff member or group of a setup item) and their statuses agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from auditor.simulator.answer_key import AnswerKey, Violation

# Rules whose findings differ by sub-kind, and whose sub-kind is part of their identity.
KINDED = frozenset({"topic-quality", "substitution-marked", "scheduled-lesson-entered"})
SETUP_PREFIXES = ("setup-", "student-data-current")
# The key's statuses as the auditor names them.
STATUS_OF_KEY = {
    "late": "late",
    "missing": "open",
    "unmet": "open",
    "pending": "pending",
}
STATUS_OF_FINDING = {
    "late": "late",
    "missing": "open",
    "violation": "open",
    "pending": "pending",
    "cannot_prove": "cannot_prove",
}

Identity = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Score:
    expected: int
    found: int
    matched: int
    missed: tuple[Identity, ...] = field(default=())
    extra: tuple[Identity, ...] = field(default=())
    days_late_differ: tuple[Identity, ...] = field(default=())

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _kind(rule: str, kind: str) -> str:
    if rule == "scheduled-lesson-entered":
        return "not_entered" if kind == "not_entered" else "late"
    return kind if rule in KINDED else ""


# What a late item is called while it is still open: a lesson entered late is, until it
# is entered, a lesson not entered; a substitution marked late is, until then, unmarked.
OPEN_KIND = {"scheduled-lesson-entered": "not_entered", "substitution-marked": "unmarked"}


def key_identity(v: Violation, status: str) -> Identity:
    kind = _kind(v.rule, v.kind.value)
    if status == "missing" and v.rule in OPEN_KIND:
        kind = OPEN_KIND[v.rule]
    if v.rule.startswith(SETUP_PREFIXES):
        return (v.rule, v.student_id or v.staff_id or v.group_id)
    if kind == "not_entered":
        return (v.rule, kind, v.group_id, v.lesson_date)
    return (v.rule, kind, v.lesson_id)


def finding_identity(row: Any) -> Identity:
    rule, kind = row.rule_id, _kind(row.rule_id, row.kind)
    if rule.startswith(SETUP_PREFIXES):
        subject = None if pd.isna(row.subject_id) else int(row.subject_id)
        return (rule, subject)
    if kind == "not_entered":
        return (rule, kind, int(row.group_id), date.fromisoformat(str(row.item)[:10]))
    return (rule, kind, int(row.lesson_id))


def in_scope(v: Violation, start: date, end: date) -> bool:
    """Lesson items of lessons held in the audited period; every institution item."""
    return v.lesson_date is None or start <= v.lesson_date <= end


def score(findings: pd.DataFrame, key: AnswerKey, now: datetime, start: date, end: date) -> Score:
    items = [i for i in key.as_of(now) if in_scope(i.violation, start, end)]
    # A lesson not in the journal yet is judged only as not entered (its topic and
    # attendance cannot be late or missing on a row that does not exist).
    unentered = {
        i.violation.lesson_id
        for i in items
        if i.violation.rule == "scheduled-lesson-entered" and i.status.value == "missing"
    }
    expected: dict[Identity, tuple[str, int | None]] = {}
    for item in items:
        v, status = item.violation, item.status.value
        if status == "not_due":
            continue
        if v.lesson_id in unentered and v.rule != "scheduled-lesson-entered":
            continue
        expected[key_identity(v, status)] = (STATUS_OF_KEY[status], v.days_late)
    found: dict[Identity, tuple[str, int | None]] = {}
    for row in findings.itertuples(index=False):
        days = None if pd.isna(row.days_late) else int(row.days_late)
        found[finding_identity(row)] = (STATUS_OF_FINDING[row.status], days)
    matched = [k for k, (status, _) in found.items() if k in expected and expected[k][0] == status]
    differ = [
        k
        for k in matched
        if found[k][1] is not None and expected[k][1] is not None and found[k][1] != expected[k][1]
    ]
    return Score(
        expected=len(expected),
        found=len(found),
        matched=len(matched),
        missed=tuple(sorted((k for k in expected if k not in set(matched)), key=repr)),
        extra=tuple(sorted((k for k in found if k not in set(matched)), key=repr)),
        days_late_differ=tuple(sorted(differ, key=repr)),
    )
