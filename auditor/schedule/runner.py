"""Running what is due, exactly once, whatever the clock did meanwhile.

APScheduler is only the alarm clock: when a job fires (or when ``auditor serve`` starts),
:meth:`JobRunner.run_due` asks the store which due moments of the job have no run yet (from
the last one recorded, or from when the job was first registered), applies the job's
catch-up policy (:mod:`auditor.schedule.agenda`), and runs each chosen moment under its
unique run row. So a restart, a fire that APScheduler coalesced, or a second process all
come to the same rows, and a downtime's missed runs are found from the store, not from
APScheduler's memory. The same code runs under a controllable clock in the tests and the
demo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditor.contract.schedule import RunState
from auditor.schedule.agenda import CatchUp, Job, JobId
from auditor.schedule.duties import Duties, SchedulerStore
from auditor.schedule.triggers import fire_times

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ran:
    job_id: str
    due_at: datetime
    state: RunState
    late: bool
    detail: str


class JobRunner:
    def __init__(
        self,
        jobs: Sequence[Job],
        store: SchedulerStore,
        duties: Duties,
        clock: Callable[[], datetime],
    ) -> None:
        self.jobs = {job.id: job for job in jobs}
        self.store = store
        self.duties = duties
        self.clock = clock
        schedule = duties.config.schedule
        self.late_after = timedelta(seconds=schedule.late_after_s)
        self.stale_after = timedelta(seconds=schedule.lease_stale_s)
        self.tz = duties.config.institution.tz
        self.since = store.register_jobs(
            {job.id.value: job.trigger.describe() for job in jobs}, clock()
        )

    def run_all_due(self) -> list[Ran]:
        """Every job's due runs, in agenda order (a sync before the digests of 07:30)."""
        done: list[Ran] = []
        for job_id in self.jobs:
            done += self.run_due(job_id)
        return done

    def run_due(self, job_id: JobId | str) -> list[Ran]:
        job = self.jobs[JobId(job_id)]
        now = self.clock()
        dues = self.dues(job, now)
        chosen, skipped, why = self.catch_up(job, dues, now)
        if skipped:
            self.store.skip_runs(job.id.value, skipped, now, why)
            log.warning("%s: %d due run(s) skipped: %s", job.id, len(skipped), why)
        return [ran for due in chosen if (ran := self.run_one(job, due)) is not None]

    def dues(self, job: Job, now: datetime) -> list[datetime]:
        """Due moments without a run row, up to ``now``; a run its owner abandoned first."""
        since = self.since[job.id.value]
        last = self.store.job_runs(job.id.value, limit=1)
        after = max(since, last[0].due_at) if last else since
        dues = list(fire_times(job.trigger, after, now))
        if last and last[0].state is RunState.RUNNING and last[0].due_at > since:
            dues.insert(0, last[0].due_at)  # begin_run decides whether it is abandoned
        return dues

    def catch_up(
        self, job: Job, dues: list[datetime], now: datetime
    ) -> tuple[list[datetime], list[datetime], str]:
        """(to run, to skip, why skipped)."""
        if len(dues) <= 1 and job.catch_up is not CatchUp.SAME_DAY:
            return dues, [], ""
        if job.catch_up is CatchUp.EACH:
            return dues, [], ""
        if job.catch_up is CatchUp.LATEST:
            latest = dues[-1].astimezone(self.tz)
            return dues[-1:], dues[:-1], f"superseded by the run due at {latest:%d.%m.%Y %H:%M}"
        today = now.astimezone(self.tz).date()
        same = [d for d in dues if d.astimezone(self.tz).date() == today]
        past = [d for d in dues if d not in same]
        return same[-1:], past + same[:-1], "its day was over before it could run"

    def run_one(self, job: Job, due: datetime) -> Ran | None:
        now = self.clock()
        late = now - due > self.late_after
        if not self.store.begin_run(job.id.value, due, now, late, self.stale_after):
            return None  # done, or being done, by another run
        try:
            detail = self.duties.run(job, due, late)
            state = RunState.DONE
            log.info("%s due %s: %s", job.id, due.astimezone(self.tz), detail)
        except Exception as exc:  # one job's failure must not stop the scheduler
            detail, state = f"{type(exc).__name__}: {exc}", RunState.FAILED
            log.error("%s due %s failed: %s", job.id, due.astimezone(self.tz), detail)
            log.debug("traceback", exc_info=True)
        self.store.finish_run(job.id.value, due, state, self.clock(), detail)
        return Ran(job.id.value, due, state, late, detail)


def timeline(jobs: Sequence[Job], after: datetime, upto: datetime) -> list[tuple[datetime, Job]]:
    """Every fire of ``jobs`` in (``after``, ``upto``], in time order, then agenda order (as
    APScheduler's one worker runs them): for driving the runner on a simulated clock."""
    fires = [
        (moment, order, job)
        for order, job in enumerate(jobs)
        for moment in fire_times(job.trigger, after, upto)
    ]
    return [(moment, job) for moment, _order, job in sorted(fires, key=lambda f: f[:2])]
