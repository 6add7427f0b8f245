"""The scheduler's records, shared by the store (which keeps them) and the scheduler
(which writes them): each due run of each job, and the lease of the one running scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RunState(StrEnum):
    RUNNING = "running"  # begun by its owner, not finished (or its owner died meanwhile)
    DONE = "done"
    FAILED = "failed"  # ran and failed (the detail says why); not retried by itself
    SKIPPED = "skipped"  # due, deliberately not run (superseded by a later run, or too late)


@dataclass(frozen=True, slots=True)
class JobRun:
    """One due moment of one job, and what became of it."""

    job_id: str
    due_at: datetime
    state: RunState
    late: bool  # begun more than schedule.late_after_s after due_at
    started_at: datetime
    finished_at: datetime | None
    owner: str  # host:pid
    detail: str  # what it did («4 digests, 3 mails»), why it failed, or why it was skipped


@dataclass(frozen=True, slots=True)
class Lease:
    """Which scheduler process holds the store (only one may run its jobs)."""

    owner: str  # host:pid
    started_at: datetime
    renewed_at: datetime
