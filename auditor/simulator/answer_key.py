"""The answer key: every violation the demo generator planted, with its deadline and fix.

The generator knows what it did wrong on purpose; the key writes that down so the rule
engine can be tested against a known truth ("the engine found 412 of 412 late topics, and
nothing else"). Each :class:`Violation` names the rule id and clause it breaks, what it
refers to, when the thing was due and when (if ever) it was done. :meth:`AnswerKey.as_of`
replays the key at a moment: a topic entered three days late is *missing* the day after
the lesson and *late* once it is entered; a setup item is *pending* before 8 September.

The format (``ruobr-auditor-answer-key``, version 1) is documented in
``docs/dataset-format.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from auditor.audit.topics import PLACEHOLDER_WORDS, is_placeholder_topic  # noqa: F401
from auditor.domain import require_aware
from auditor.errors import DatasetError

FORMAT_NAME = "ruobr-auditor-answer-key"
FORMAT_VERSION = 1

# Rule id -> clause of the regulation (Положение о ведении ЭЖ). The rule engine uses the same ids.
RULE_CLAUSES: Mapping[str, str] = MappingProxyType(
    {
        "lesson-topic-same-day": "1.12",
        "lesson-attendance-same-day": "1.12",
        "substitution-marked": "1.12",
        "scheduled-lesson-entered": "1.12",
        "topic-quality": "5.3",
        "setup-academic-year": "2.2",
        "setup-notification-schedule": "2.2",
        "setup-parent-accounts": "2.2",
        "setup-user-accounts": "2.2",
        "setup-access-rights": "2.2",
        "setup-groups-listed": "2.2",
        "setup-schedule-template": "2.2",
        "setup-student-data": "2.2",
        "student-data-current": "5.2",
    }
)


class Kind(StrEnum):
    LATE = "late"  # done after the deadline
    MISSING = "missing"  # never done (a lesson field)
    NOT_ENTERED = "not_entered"  # a scheduled lesson never got a journal entry
    UNMARKED = "unmarked"  # a substitution never marked
    MARKED_LATE = "marked_late"  # the substitution mark came after the entry
    PLACEHOLDER = "placeholder"  # the topic at the deadline was a placeholder
    COPIED = "copied"  # the same topic text on several lessons of a group
    COMPLETION_MISSING = "completion_missing"  # the completion (прохождение) never marked
    UNMET = "unmet"  # a setup or student-data item never done


class Status(StrEnum):
    """Where a planted violation stands at a given moment."""

    NOT_DUE = "not_due"  # a lesson item before its deadline
    PENDING = "pending"  # a setup item (clause 2.2) before 8 September ends
    MISSING = "missing"  # past the deadline, still not done (a state)
    UNMET = "unmet"  # a setup item past its deadline, still not done (a state)
    LATE = "late"  # done, after the deadline (a fact, it stays)


class Profile(StrEnum):
    """How a teacher keeps the journal (see the generator's module docstring)."""

    PUNCTUAL = "punctual"
    LATE = "late"
    FORGETS_ATTENDANCE = "forgets_attendance"
    SUBSTITUTES_WITHOUT_MARKING = "substitutes_without_marking"
    MARKS_SUBSTITUTIONS_LATE = "marks_substitutions_late"


class Quirk(StrEnum):
    """Extra planted behaviour of individual teachers, on top of their profile."""

    PLACEHOLDER_TOPICS = "placeholder_topics"
    COPIED_TOPICS = "copied_topics"
    NO_COMPLETION = "no_completion"
    NO_ACCOUNT = "no_account"  # never gets an account; the department head enters the lessons
    ACCOUNT_LATE = "account_late"  # account created after 8 September; backfills lessons then
    RIGHTS_MISSING_GROUP = "rights_missing_group"  # journal rights lacked a group until fixed


@dataclass(frozen=True, slots=True)
class Violation:
    """One planted violation. ``due``: the moment it had to be done by (exclusive)."""

    rule: str
    kind: Kind
    due: datetime
    done_at: datetime | None = None
    days_late: int | None = None
    lesson_id: int | None = None
    group_id: int | None = None
    teacher_id: int | None = None
    student_id: int | None = None
    staff_id: int | None = None
    lesson_date: date | None = None

    def __post_init__(self) -> None:
        if self.rule not in RULE_CLAUSES:
            raise ValueError(f"unknown rule id {self.rule!r}")
        require_aware(self.due, "Violation.due")
        if self.done_at is not None:
            require_aware(self.done_at, "Violation.done_at")

    @property
    def clause(self) -> str:
        return RULE_CLAUSES[self.rule]

    @property
    def is_setup(self) -> bool:
        return self.rule.startswith("setup-")

    def status_at(self, moment: datetime) -> Status:
        if moment < self.due:
            return Status.PENDING if self.is_setup else Status.NOT_DUE
        if self.done_at is not None and self.done_at <= moment:
            return Status.LATE
        return Status.UNMET if self.is_setup else Status.MISSING

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.rule,
            self.due,
            self.lesson_id or 0,
            self.group_id or 0,
            self.staff_id or 0,
            self.student_id or 0,
            self.kind.value,
        )


@dataclass(frozen=True, slots=True)
class KeyItem:
    """A violation and its status at the moment :meth:`AnswerKey.as_of` was asked about."""

    violation: Violation
    status: Status


@dataclass(frozen=True)
class AnswerKey:
    seed: int
    year: int
    timezone: str
    setup_deadline: datetime  # state at this moment judges clause 2.2 (00:00 of 9 September)
    teacher_profiles: Mapping[int, Profile]
    teacher_quirks: Mapping[int, tuple[Quirk, ...]]
    violations: tuple[Violation, ...]

    def as_of(self, moment: datetime) -> tuple[KeyItem, ...]:
        """Every planted violation with its status at ``moment`` (not-due ones included)."""
        require_aware(moment, "moment")
        return tuple(KeyItem(v, v.status_at(moment)) for v in self.violations)

    def counts(self) -> Counter[tuple[str, str]]:
        """How many violations of each (rule, kind)."""
        return Counter((v.rule, v.kind.value) for v in self.violations)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "seed": self.seed,
            "year": self.year,
            "timezone": self.timezone,
            "setup_deadline": self.setup_deadline.isoformat(),
            "teacher_profiles": {str(k): v.value for k, v in sorted(self.teacher_profiles.items())},
            "teacher_quirks": {
                str(k): [q.value for q in v] for k, v in sorted(self.teacher_quirks.items())
            },
            "violations": [_violation_to_json(v) for v in self.violations],
        }

    @classmethod
    def from_json(cls, raw: Any, *, source: str = "answer key") -> AnswerKey:
        """Decode; raise :class:`DatasetError` naming the first problem and its path."""
        try:
            return _key_from_json(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DatasetError(
                f"{source}: not a valid answer key: {exc}",
                hint="see docs/dataset-format.md, section 'The answer key'",
            ) from None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> AnswerKey:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DatasetError(f"cannot read answer key {path}: {exc}") from None
        return cls.from_json(raw, source=str(path))


def _violation_to_json(v: Violation) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": v.rule, "clause": v.clause}
    for f in fields(v):
        value = getattr(v, f.name)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        out[f.name] = value
    return out


def _violation_from_json(item: dict[str, Any], path: str) -> Violation:
    def when(name: str) -> datetime | None:
        value = item.get(name)
        return None if value is None else datetime.fromisoformat(value)

    def num(name: str) -> int | None:
        value = item.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{path}.{name}: expected an integer or null")
        return value

    due = when("due")
    if due is None:
        raise ValueError(f"{path}.due: required")
    lesson_date = item.get("lesson_date")
    violation = Violation(
        rule=item["rule"],
        kind=Kind(item["kind"]),
        due=due,
        done_at=when("done_at"),
        days_late=num("days_late"),
        lesson_id=num("lesson_id"),
        group_id=num("group_id"),
        teacher_id=num("teacher_id"),
        student_id=num("student_id"),
        staff_id=num("staff_id"),
        lesson_date=None if lesson_date is None else date.fromisoformat(lesson_date),
    )
    if item.get("clause", violation.clause) != violation.clause:
        raise ValueError(f"{path}.clause: {violation.rule} is clause {violation.clause}")
    return violation


def _key_from_json(raw: Any) -> AnswerKey:
    if not isinstance(raw, dict):
        raise TypeError("the top level must be a JSON object")
    if raw.get("format") != FORMAT_NAME or raw.get("version") != FORMAT_VERSION:
        raise ValueError(f"format must be {FORMAT_NAME!r}, version {FORMAT_VERSION}")
    deadline = datetime.fromisoformat(raw["setup_deadline"])
    return AnswerKey(
        seed=int(raw["seed"]),
        year=int(raw["year"]),
        timezone=str(raw["timezone"]),
        setup_deadline=require_aware(deadline, "setup_deadline"),
        teacher_profiles={int(k): Profile(v) for k, v in raw["teacher_profiles"].items()},
        teacher_quirks={
            int(k): tuple(Quirk(q) for q in v) for k, v in raw["teacher_quirks"].items()
        },
        violations=tuple(
            _violation_from_json(item, f"violations[{i}]")
            for i, item in enumerate(raw["violations"])
        ),
    )
