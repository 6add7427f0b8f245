"""``auditor serve``: APScheduler as the alarm clock of the jobs, one scheduler per store.

- **Time zone**: the scheduler and every trigger use the institution's zone (Asia/
  Novokuznetsk by default); without one APScheduler would use UTC.
- **Persistent job store**: the jobs live in the store's own database (APScheduler's
  SQLAlchemy job store, table ``apscheduler_jobs``); such a job names a module-level
  function, :func:`fire`, which finds the running service through :data:`_RUNNING`.
- **Coalescing, one instance per job, one worker**: jobs run one at a time in due order (a
  sync before the digests it feeds; SQLite has one writer), a burst of missed fires is one
  run, and each job's misfire grace is its own (the default of one second drops a report).
- **Catch-up**: on start, before APScheduler runs anything, every job's missed runs are
  handled by the runner from the store's run rows (:mod:`auditor.schedule.runner`).
- **Single instance**: a lease row in the store, renewed every minute on its own thread;
  a second ``serve`` on the same store is refused (exit 12), and one that loses its lease
  (it stalled past ``schedule.lease_stale_s`` and another took over) stops.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from auditor.config import Config
from auditor.errors import SchedulerBusyError
from auditor.schedule.agenda import agenda
from auditor.schedule.duties import Duties
from auditor.schedule.runner import JobRunner
from auditor.store.sqlstore import open_store, store_url
from auditor.sync.service import chosen_sources

log = logging.getLogger(__name__)

LEASE_RENEW_S = 60
# The service running in this process, for fire(): APScheduler's persistent job store keeps
# a job as a reference to a module-level function, not to an object.
_RUNNING: dict[str, JobRunner] = {}


def fire(job_id: str) -> None:
    """What APScheduler runs: the job's due runs, by the service of this process."""
    runner = _RUNNING.get("runner")
    if runner is None:
        log.warning("%s fired with no scheduler running in this process", job_id)
        return
    runner.run_due(job_id)


def serve(
    config: Config,
    *,
    stop: threading.Event | None = None,
    environ: Mapping[str, str] | None = None,
    echo: Callable[[str], None] = lambda _line: None,
) -> None:
    """Run the jobs until ``stop`` is set (SIGTERM or SIGINT set it)."""
    tz = config.institution.tz
    stop = stop or threading.Event()

    def clock() -> datetime:
        return datetime.now(tz)

    stale = timedelta(seconds=config.schedule.lease_stale_s)
    check_secrets(config, environ)
    with open_store(config.store) as store:
        holder = store.take_lease(clock(), stale)
        if holder is not None:
            raise SchedulerBusyError(
                f"another scheduler runs on this store: {holder.owner}, since "
                f"{holder.started_at.astimezone(tz):%d.%m.%Y %H:%M}, last seen "
                f"{holder.renewed_at.astimezone(tz):%H:%M:%S}",
                hint="stop it first (`auditor status` shows it); a crashed one on this host "
                f"is recognised at once, one elsewhere after {config.schedule.lease_stale_s:.0f} s",
            )
        scheduler: BackgroundScheduler | None = None
        _stop_on_signals(stop)
        try:
            runner = JobRunner(agenda(config), store, Duties(config, store, clock, environ), clock)
            _RUNNING["runner"] = runner
            echo(f"scheduler started ({len(runner.jobs)} jobs, {config.institution.timezone})")
            for ran in runner.run_all_due():  # a downtime's missed runs, before anything else
                echo(f"caught up: {ran.job_id} due {ran.due_at.astimezone(tz):%d.%m %H:%M}: "
                     f"{ran.state.value}{' (late)' if ran.late else ''}")  # fmt: skip
            if stop.is_set():  # asked to stop during the catch-up
                return
            scheduler = _scheduler(config, runner, stop, store.renew_lease, clock)
            scheduler.start()
            forget_removed_jobs(scheduler, {j.value for j in runner.jobs})
            for job in scheduler.get_jobs():
                echo(f"  {job.id:15} next {job.next_run_time:%d.%m.%Y %H:%M}  ({job.trigger})")
            stop.wait()
        finally:
            if scheduler is not None and scheduler.running:
                scheduler.shutdown(wait=True)  # the run under way finishes and is marked
            _RUNNING.pop("runner", None)
            store.release_lease()
            echo("scheduler stopped")


def check_secrets(config: Config, environ: Mapping[str, str] | None) -> None:
    """Every password the jobs will need, read now: a missing one stops ``serve`` at once
    with what to set, not every run for days (ConfigError, exit 3)."""
    chosen = chosen_sources(config)
    if chosen.staff:
        config.source.password.reveal(environ)
    if chosen.mobile:
        for account in config.source.mobile_accounts:
            account.password.reveal(environ)
    if config.mail.enabled and config.mail.username:
        config.mail.password.reveal(environ)


def _scheduler(
    config: Config,
    runner: JobRunner,
    stop: threading.Event,
    renew: Callable[[datetime], bool],
    clock: Callable[[], datetime],
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(url=store_url(config.store)),
            "local": MemoryJobStore(),  # the lease's heartbeat: this process only
        },
        executors={"default": ThreadPoolExecutor(1), "lease": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=config.institution.tz,
    )
    for job in runner.jobs.values():
        scheduler.add_job(
            fire, trigger=job.trigger, args=[job.id.value], id=job.id.value, name=job.title,
            misfire_grace_time=job.grace_s, replace_existing=True,
        )  # fmt: skip

    def heartbeat() -> None:
        if not renew(clock()):
            log.error("the scheduler's lease was taken by another process: stopping")
            stop.set()

    scheduler.add_job(
        heartbeat, "interval", seconds=LEASE_RENEW_S, id="lease", jobstore="local",
        executor="lease",
    )  # fmt: skip
    return scheduler


def forget_removed_jobs(scheduler: BackgroundScheduler, keep: set[str]) -> None:
    """Jobs of an earlier configuration left in the persistent store (e.g. reminders
    switched off) must not fire."""
    for job in scheduler.get_jobs(jobstore="default"):
        if job.id not in keep:
            job.remove()


def _stop_on_signals(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # signals reach the main thread only (tests run serve in a thread)

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping after the run under way", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
