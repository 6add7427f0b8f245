"""The scheduler's records in the store: its jobs, each due run, and its lease.

A run happens once because its row (job, due moment) is unique: :func:`begin_run` inserts
it, and a second scheduler, or the same one after a restart, finds it there. A run whose
owner died before finishing it is taken over (same rule as the delivery ledger: the owner
is known gone on this host, or it is older than ``stale_after``); that is safe because what
a run does is itself once-only (its mails have ledger keys, a sync only adds observations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from auditor.contract.schedule import JobRun, Lease, RunState
from auditor.store.deliveries import owner_gone
from auditor.store.schema import job_runs, schedule_jobs, scheduler_lease

LEASE = "scheduler"


def register_jobs(
    conn: Connection, triggers: Mapping[str, str], now: datetime
) -> dict[str, datetime]:
    """Each job's ``since``: when it was first registered with its present trigger."""
    known = {r.job_id: r for r in conn.execute(select(schedule_jobs))}
    since: dict[str, datetime] = {}
    for job_id, trigger in triggers.items():
        row = known.get(job_id)
        if row is None:
            conn.execute(insert(schedule_jobs).values(job_id=job_id, since=now, trigger=trigger))
            since[job_id] = now
        elif row.trigger != trigger:  # a new schedule owes nothing from the old one
            conn.execute(
                update(schedule_jobs)
                .where(schedule_jobs.c.job_id == job_id)
                .values(since=now, trigger=trigger)
            )
            since[job_id] = now
        else:
            since[job_id] = row.since
    return since


def last_due(conn: Connection, job_id: str) -> datetime | None:
    """The latest due moment of ``job_id`` with a run row (done, failed, skipped or running)."""
    value = conn.execute(
        select(func.max(job_runs.c.due_at)).where(job_runs.c.job_id == job_id)
    ).scalar_one_or_none()
    return value if value is None else _aware(value)


def begin_run(
    conn: Connection,
    job_id: str,
    due_at: datetime,
    now: datetime,
    owner: str,
    late: bool,
    stale_after: timedelta,
) -> bool:
    """Write the run as begun by ``owner``; False when it exists and is not abandoned."""
    row = conn.execute(
        select(job_runs.c.state, job_runs.c.owner, job_runs.c.started_at).where(
            and_(job_runs.c.job_id == job_id, job_runs.c.due_at == due_at)
        )
    ).first()
    if row is None:
        conn.execute(
            insert(job_runs).values(
                job_id=job_id, due_at=due_at, state=RunState.RUNNING.value, late=late,
                started_at=now, finished_at=None, owner=owner, detail="",
            )
        )  # fmt: skip
        return True
    abandoned = row.state == RunState.RUNNING.value and (
        owner_gone(row.owner) or now - _aware(row.started_at) >= stale_after
    )
    if not abandoned:
        return False
    result = conn.execute(
        update(job_runs)
        .where(and_(job_runs.c.job_id == job_id, job_runs.c.due_at == due_at,
                    job_runs.c.owner == row.owner, job_runs.c.state == RunState.RUNNING.value))
        .values(owner=owner, started_at=now, late=late, detail="taken over from " + row.owner)
    )  # fmt: skip
    return result.rowcount == 1


def finish_run(
    conn: Connection, job_id: str, due_at: datetime, state: RunState, now: datetime, detail: str
) -> None:
    conn.execute(
        update(job_runs)
        .where(and_(job_runs.c.job_id == job_id, job_runs.c.due_at == due_at))
        .values(state=state.value, finished_at=now, detail=detail[:2000])
    )


def skip_runs(
    conn: Connection, job_id: str, dues: Iterable[datetime], now: datetime, owner: str, why: str
) -> None:
    """Write due moments that will not run, with the reason (never lost silently)."""
    for due_at in dues:
        exists = conn.execute(
            select(job_runs.c.id).where(
                and_(job_runs.c.job_id == job_id, job_runs.c.due_at == due_at)
            )
        ).first()
        if exists is None:
            conn.execute(
                insert(job_runs).values(
                    job_id=job_id, due_at=due_at, state=RunState.SKIPPED.value,
                    late=True, started_at=now, finished_at=now, owner=owner, detail=why,
                )
            )  # fmt: skip


def runs(conn: Connection, job_id: str | None = None, limit: int = 50) -> list[JobRun]:
    """The newest runs first (of one job, or of all)."""
    query = select(job_runs).order_by(job_runs.c.due_at.desc(), job_runs.c.id.desc())
    if job_id is not None:
        query = query.where(job_runs.c.job_id == job_id)
    return [
        JobRun(
            job_id=r.job_id, due_at=_aware(r.due_at), state=RunState(r.state), late=bool(r.late),
            started_at=_aware(r.started_at),
            finished_at=None if r.finished_at is None else _aware(r.finished_at),
            owner=r.owner, detail=r.detail,
        )
        for r in conn.execute(query.limit(limit))
    ]  # fmt: skip


def take_lease(conn: Connection, owner: str, now: datetime, stale_after: timedelta) -> Lease | None:
    """Take the scheduler's lease for ``owner``: None if taken; else the lease held by
    another live scheduler (so that the refusal can name it)."""
    row = conn.execute(select(scheduler_lease).where(scheduler_lease.c.name == LEASE)).first()
    if row is None:
        conn.execute(
            insert(scheduler_lease).values(name=LEASE, owner=owner, started_at=now, renewed_at=now)
        )
        return None
    if row.owner == owner:
        return None
    if not owner_gone(row.owner) and now - _aware(row.renewed_at) < stale_after:
        return Lease(row.owner, _aware(row.started_at), _aware(row.renewed_at))
    result = conn.execute(
        update(scheduler_lease)
        .where(and_(scheduler_lease.c.name == LEASE, scheduler_lease.c.owner == row.owner))
        .values(owner=owner, started_at=now, renewed_at=now)
    )
    if result.rowcount != 1:  # another scheduler took it in between
        return lease(conn) or Lease(row.owner, now, now)
    return None


def renew_lease(conn: Connection, owner: str, now: datetime) -> bool:
    """Renew the lease; False when ``owner`` no longer holds it (it must stop)."""
    result = conn.execute(
        update(scheduler_lease)
        .where(and_(scheduler_lease.c.name == LEASE, scheduler_lease.c.owner == owner))
        .values(renewed_at=now)
    )
    return result.rowcount == 1


def release_lease(conn: Connection, owner: str) -> None:
    conn.execute(
        delete(scheduler_lease).where(
            and_(scheduler_lease.c.name == LEASE, scheduler_lease.c.owner == owner)
        )
    )


def lease(conn: Connection) -> Lease | None:
    row = conn.execute(select(scheduler_lease).where(scheduler_lease.c.name == LEASE)).first()
    if row is None:
        return None
    return Lease(row.owner, _aware(row.started_at), _aware(row.renewed_at))


def _aware(moment: datetime) -> datetime:
    """UtcDateTime gives aware values; ``max()`` over it comes back raw on SQLite."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


__all__ = [
    "begin_run", "finish_run", "last_due", "lease", "register_jobs", "release_lease",
    "renew_lease", "runs", "skip_runs", "take_lease",
]  # fmt: skip
