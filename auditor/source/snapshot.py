"""What one sync saw: the values the connector hands to the store.

This is the seam between the connector (HTTP + parsing, no database) and the store (no HTTP).
A sync produces one :class:`SyncSnapshot`; the store records it in one transaction, or not at
all. Every observation carries the moment its page was read, because "when was this first
seen" is the only "when" ЭШ 2.0 lets the auditor know (``shared/DESIGN.md``).

Only what the rules need is kept (clause 1.7): whether a student's phone is present, not the
phone; how many students were absent, not who.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class LessonSeen:
    """One lesson row of a journal page, as read."""

    lesson_id: int
    group_id: int
    date: date
    start: time
    end: time
    teacher_id: int  # who taught (a substitute shows here)
    cancelled: bool
    topic: str  # "" when empty; placeholders are kept as written (a rule judges them)
    # None: this source cannot see the field (the mobile API shows no completion, no
    # substitution mark, and only the reading child's own absence); nothing is recorded.
    completed: bool | None
    attendance_marked: bool | None
    absent_count: int | None
    substitution: bool | None
    homework_present: bool | None


@dataclass(frozen=True, slots=True)
class JournalPageSeen:
    """A group's journal for one month, read at ``observed_at``: an observation of its lessons."""

    group_id: int
    month: str  # YYYY-MM
    observed_at: datetime
    lessons: tuple[LessonSeen, ...]


@dataclass(frozen=True, slots=True)
class DepartmentSeen:
    id: int
    name: str
    kind: str
    head_id: int | None


@dataclass(frozen=True, slots=True)
class AssociationSeen:
    id: int
    name: str
    department_id: int


@dataclass(frozen=True, slots=True)
class GroupSeen:
    id: int
    name: str
    association_id: int
    department_id: int | None
    teacher_id: int  # the main teacher, per the teaching load
    year_of_study: int


@dataclass(frozen=True, slots=True)
class StaffSeen:
    id: int
    full_name: str
    position: str
    department_id: int | None
    roles: tuple[str, ...]
    has_account: bool
    rights_roles: tuple[str, ...]
    journal_group_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StudentSeen:
    """A student's presence of data, not the data (clause 1.7)."""

    id: int
    full_name: str  # the operator must know whom a setup finding is about
    group_ids: tuple[int, ...]
    has_birth_date: bool
    has_address: bool
    has_phone: bool
    has_email: bool
    parent_count: int
    parents_with_account: int


@dataclass(frozen=True, slots=True)
class ScheduleSlotSeen:
    group_id: int
    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class SetupSeen:
    """The institution-wide setup pages (clause 2.2), read at ``observed_at``."""

    observed_at: datetime
    year_configured: bool
    year_start: date | None
    year_end: date | None
    vacations: tuple[tuple[date, date], ...]
    notifications_configured: bool


@dataclass(frozen=True, slots=True)
class InstitutionSeen:
    """Structure, people and setup as read by one run. ``None`` parts were not read."""

    observed_at: datetime
    departments: tuple[DepartmentSeen, ...] | None = None
    associations: tuple[AssociationSeen, ...] | None = None
    groups: tuple[GroupSeen, ...] | None = None
    staff: tuple[StaffSeen, ...] | None = None
    students: tuple[StudentSeen, ...] | None = None
    schedule: tuple[ScheduleSlotSeen, ...] | None = None
    setup: SetupSeen | None = None


@dataclass(frozen=True, slots=True)
class TransferFigures:
    pages: int = 0
    requests: int = 0
    bytes: int = 0
    retries: int = 0


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    """Everything one completed sync run saw."""

    started_at: datetime
    finished_at: datetime
    kind: str  # "full", "daily" or "mobile"
    source: str  # base URL read (never credentials)
    institution: InstitutionSeen
    journals: tuple[JournalPageSeen, ...] = ()
    transfer: TransferFigures = field(default_factory=TransferFigures)
