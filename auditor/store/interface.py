"""The store's contract with the rest of the auditor.

The connector hands the store a :class:`~auditor.source.snapshot.SyncSnapshot`; the store
records it in one transaction (or not at all) and answers what the incremental planner and
the rule engine need. Implementations live beside this module (SQLAlchemy Core).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from auditor.contract.deliveries import Claim, Delivery, DeliveryState, Outgoing
from auditor.contract.schedule import JobRun, Lease, RunState
from auditor.source.snapshot import SyncSnapshot

if TYPE_CHECKING:
    from auditor.contract.findings import AuditRecord
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What recording one sync changed in the store."""

    run_id: int
    started_at: datetime
    finished_at: datetime
    kind: str
    pages: int
    requests: int
    bytes: int
    new_lessons: int  # lessons seen for the first time
    # Lesson field values that differ from the previous observation, including first fills
    # and a lesson leaving or coming back to its page (docs/store.md, "RunSummary").
    changes: int
    first_seen: tuple[FirstSeen, ...]  # fields seen filled for the first time in this run
    fact_changes: int = 0  # institution facts (structure, people, setup) that changed


@dataclass(frozen=True, slots=True)
class FirstSeen:
    lesson_id: int
    group_id: int
    lesson_date: date
    field: str  # an entry field: topic | completion | attendance | substitution | homework
    value: str
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class PlanState:
    """What the incremental planner needs to know from earlier runs."""

    last_run_at: datetime | None
    group_ids: tuple[int, ...]
    schedule: tuple[tuple[int, int, time], ...]  # (group_id, weekday, start) as last seen
    year_start: date | None
    year_end: date | None
    # (group_id, "YYYY-MM") months holding a lesson with a tracked field still empty at its
    # latest observation: they are re-read until the entry is made, to learn when it was.
    open_months: tuple[tuple[int, str], ...]
    # The last time the people pages (staff, pupils) were read: they are the heaviest pages
    # and change slowly, so the planner reads them only twice a day (auditor.sync.plan).
    people_seen_at: datetime | None = None
    # (group_id, date) of the lessons seen on their pages dated in the last RECENT_DAYS days:
    # a scheduled lesson missing from them may still be entered late, so its month is read.
    recent_lesson_days: tuple[tuple[int, date], ...] = ()


RECENT_DAYS = 14


class Store(Protocol):
    def record(self, snapshot: SyncSnapshot) -> RunSummary:
        """Record one completed sync in one transaction; on any error nothing is written."""
        ...

    def plan_state(self, now: datetime) -> PlanState: ...

    def close(self) -> None: ...


class FrameSource(Protocol):
    """What the rule engine reads: a period's lessons and their evidence as pandas frames."""

    def load_frames(self, start: date, end: date) -> Frames: ...


class AuditStore(FrameSource, Protocol):
    """What an audit needs of the store: the frames to judge, and a place to keep the run."""

    def record_audit(self, audit: AuditRecord, *, keep: int = 0) -> int: ...


class DeliveryLedger(Protocol):
    """The delivery ledger (auditor.store.deliveries): each mail written before it is sent,
    claimed by one process, marked after."""

    def enqueue_mail(self, items: Sequence[Outgoing], now: datetime) -> list[str]: ...

    def claimable_mail(self, now: datetime, stale_after: timedelta) -> list[str]: ...

    def claim_mail(self, key: str, now: datetime, stale_after: timedelta) -> Claim | None: ...

    def mark_mail(self, key: str, state: DeliveryState, now: datetime, error: str = "") -> None: ...

    def release_mail(self, key: str) -> bool: ...

    def deliveries(self, states: Sequence[DeliveryState] = ()) -> list[Delivery]: ...

    def mail_message(self, key: str) -> bytes | None: ...


class ScheduleRecords(Protocol):
    """The scheduler's jobs, runs and lease (``SqlStore`` implements it)."""

    def register_jobs(self, triggers: Mapping[str, str], now: datetime) -> dict[str, datetime]: ...

    def last_due(self, job_id: str) -> datetime | None: ...

    def begin_run(
        self, job_id: str, due_at: datetime, now: datetime, late: bool, stale_after: timedelta
    ) -> bool: ...

    def finish_run(
        self, job_id: str, due_at: datetime, state: RunState, now: datetime, detail: str = ""
    ) -> None: ...

    def skip_runs(self, job_id: str, dues: Sequence[datetime], now: datetime, why: str) -> None: ...

    def job_runs(self, job_id: str | None = None, limit: int = 50) -> list[JobRun]: ...

    def take_lease(self, now: datetime, stale_after: timedelta) -> Lease | None: ...

    def renew_lease(self, now: datetime) -> bool: ...

    def release_lease(self) -> None: ...

    def lease(self) -> Lease | None: ...
