"""``auditor status``: is a scheduler running, what runs next, what ran last, what failed."""

from __future__ import annotations

from datetime import datetime, timedelta

from auditor.config import Config
from auditor.contract.deliveries import DeliveryState
from auditor.contract.schedule import JobRun, RunState
from auditor.schedule.agenda import agenda
from auditor.schedule.duties import SchedulerStore
from auditor.store.deliveries import owner_gone

RECENT = timedelta(days=7)


def status_lines(config: Config, store: SchedulerStore, now: datetime) -> list[str]:
    tz = config.institution.tz

    def at(moment: datetime | None) -> str:
        return "—" if moment is None else f"{moment.astimezone(tz):%d.%m.%Y %H:%M}"

    lines = []
    lease = store.lease()
    stale = timedelta(seconds=config.schedule.lease_stale_s)
    if lease is None:
        lines.append("scheduler: not running")
    elif owner_gone(lease.owner) or now - lease.renewed_at >= stale:
        lines.append(
            f"scheduler: NOT RUNNING (stopped without releasing its lease: {lease.owner}, "
            f"last seen {at(lease.renewed_at)})"
        )
    else:
        lines.append(
            f"scheduler: running as {lease.owner} since {at(lease.started_at)}, "
            f"last seen {lease.renewed_at.astimezone(tz):%H:%M:%S}"
        )
    if not config.mail.enabled:
        lines.append(
            "mail: disabled (mail.enabled = false): no report jobs; the syncs and archive only"
        )
    lines.append("jobs:")
    for job in agenda(config):
        last = store.job_runs(job.id.value, limit=1)
        lines.append(f"  {job.id.value:15} {job.trigger.describe()}")
        lines.append(
            f"  {'':15} next {at(job.trigger.get_next_fire_time(None, now))}; "
            f"last {_run(last[0], at) if last else '—'}"
        )
    recent = [r for r in store.job_runs(limit=500) if now - r.due_at <= RECENT]
    for state, what in ((RunState.FAILED, "failed runs"),
                        (RunState.SKIPPED, "skipped runs (missed while stopped)")):  # fmt: skip
        these = [r for r in recent if r.state is state]
        lines.append(f"{what} in the last {RECENT.days} days: {len(these) or 'none'}")
        lines += [f"  {r.job_id:15} {_run(r, at)}" for r in these[:10]]
    waiting = store.deliveries([DeliveryState.PENDING, DeliveryState.FAILED])
    failed = sum(d.state is DeliveryState.FAILED for d in waiting)
    lines.append(
        f"mail: {len(waiting) - failed} pending, {failed} failed"
        + (" (`auditor outbox --state failed`; `auditor send` retries)" if failed else "")
    )
    return lines


def _run(run: JobRun, at: object) -> str:
    assert callable(at)
    late = " late" if run.late else ""
    return f"due {at(run.due_at)}: {run.state.value}{late}" + (
        f" — {run.detail}" if run.detail else ""
    )
