"""The simulator's world: an institution of supplementary education as ЭШ 2.0 holds it.

Values are immutable (frozen dataclasses) and every moment is a timezone-aware datetime.

Time matters here because the auditor judges *when* things were entered. So every
piece of the journal or of the September setup that someone enters at some moment carries
that moment:

* a :class:`History` is the sequence of values a field took, each with the moment it was set
  (a value of ``None`` means the field was cleared or is empty);
* objects that are created once (an account, a group, a schedule slot) carry ``created_at``.

:meth:`History.value_at` answers "what did the journal show at time t". The simulator serves
pages from exactly that; the auditor itself only ever sees the journal through its own
observations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from auditor.domain import DEFAULT_TIMEZONE, Period, Role, require_aware

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """One value a field took, from moment ``at`` on."""

    at: datetime
    value: T | None

    def __post_init__(self) -> None:
        require_aware(self.at, "Change.at")


@dataclass(frozen=True, slots=True)
class History(Generic[T]):
    """The changes of one field, in time order."""

    changes: tuple[Change[T], ...] = ()

    def __post_init__(self) -> None:
        moments = [c.at for c in self.changes]
        if moments != sorted(moments):
            raise ValueError("History changes must be in time order")

    @classmethod
    def single(cls, at: datetime | None, value: T | None) -> History[T]:
        """A field set once at ``at``; ``at=None`` means never set."""
        return cls(()) if at is None else cls((Change(at, value),))

    def value_at(self, moment: datetime) -> T | None:
        """The value shown at ``moment`` (None before the first change)."""
        shown: T | None = None
        for change in self.changes:
            if change.at > moment:
                break
            shown = change.value
        return shown

    def first_set_at(self) -> datetime | None:
        """The first moment the field held a non-empty value."""
        for change in self.changes:
            # An empty tuple is a value (attendance "all present"); only None and "" are empty.
            if change.value is not None and change.value != "":
                return change.at
        return None

    @property
    def final(self) -> T | None:
        return self.changes[-1].value if self.changes else None


@dataclass(frozen=True, slots=True)
class Institution:
    name: str
    short_name: str
    timezone: str = DEFAULT_TIMEZONE

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class AcademicYear:
    """The academic-year structure configured in ЭШ 2.0 (clause 2.2, first item)."""

    start: date
    end: date
    periods: tuple[Period, ...]
    vacations: tuple[Period, ...]
    configured_at: datetime | None  # None: the structure was never set up

    def is_vacation(self, day: date) -> bool:
        return any(v.start <= day <= v.end for v in self.vacations)


@dataclass(frozen=True, slots=True)
class NotificationSchedule:
    """The schedule of automatic notifications to parents (clause 2.2, second item)."""

    weekdays: tuple[int, ...]  # 0 = Monday
    send_time: time
    channels: tuple[str, ...]  # e.g. ("email", "push")
    configured_at: datetime | None


@dataclass(frozen=True, slots=True)
class Department:
    """An отдел or сектор, with its head."""

    id: int
    name: str
    kind: str  # "отдел" or "сектор"
    head_id: int | None


@dataclass(frozen=True, slots=True)
class Association:
    """An объединение (a programme of a department)."""

    id: int
    name: str
    department_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Group:
    """A group of an association, with its assigned teacher (teaching load)."""

    id: int
    name: str
    association_id: int
    teacher_id: int  # the main teacher of the group, per the teaching load
    year_of_study: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ScheduleSlot:
    """One weekly slot of a group's schedule template."""

    group_id: int
    weekday: int  # 0 = Monday
    start: time
    end: time
    room: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Account:
    """A user account in ЭШ 2.0. The password never lives here."""

    login: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccessRights:
    """What a staff account may do: its role, and the groups whose journal it may edit."""

    roles: tuple[Role, ...]
    journal_group_ids: tuple[int, ...]
    granted_at: datetime


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    full_name: str
    position: str
    roles: tuple[Role, ...]  # the roles the person holds in the institution
    department_id: int | None
    email: str
    account: Account | None
    rights: History[AccessRights] = field(default_factory=History)


@dataclass(frozen=True, slots=True)
class Student:
    """A pupil; contact fields are histories because they are filled in over time."""

    id: int
    full_name: str
    group_ids: tuple[int, ...]
    parent_ids: tuple[int, ...]
    enrolled_at: datetime
    birth_date: History[date] = field(default_factory=History)
    address: History[str] = field(default_factory=History)
    phone: History[str] = field(default_factory=History)
    email: History[str] = field(default_factory=History)
    account: Account | None = None


@dataclass(frozen=True, slots=True)
class Parent:
    """A законный представитель, linked to one or more students."""

    id: int
    full_name: str
    student_ids: tuple[int, ...]
    phone: str
    email: str
    account: Account | None


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson of a group's journal.

    ``entered_at`` is when the teacher created the journal entry (None: never entered).
    The tracked fields are histories: topic, completion (прохождение), the absent students
    (attendance; an empty tuple means "all present" was marked), the substitution mark.
    ``teacher_id`` is who actually taught the lesson.
    """

    id: int
    group_id: int
    date: date
    start: time
    end: time
    teacher_id: int
    cancelled: bool
    entered_at: datetime | None
    topic: History[str] = field(default_factory=History)
    completion: History[bool] = field(default_factory=History)
    absent_student_ids: History[tuple[int, ...]] = field(default_factory=History)
    substitution: History[bool] = field(default_factory=History)
    homework: History[str] = field(default_factory=History)

    def start_at(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.date, self.start, tzinfo=tz)

    def end_at(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.date, self.end, tzinfo=tz)

    def visible_at(self, moment: datetime) -> bool:
        """Whether the entry exists in the journal at ``moment``."""
        return self.entered_at is not None and self.entered_at <= moment
