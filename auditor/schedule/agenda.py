"""The jobs ``auditor serve`` runs, from ``[schedule]``: what, when, and what a missed run
becomes after a downtime.

Catch-up after a downtime is decided per job, because a missed run means different things:

- a **sync** reads what the journal shows now; a missed poll cannot be taken afterwards
  (its lessons become "cannot prove", never breaches), so only the latest runs;
- a **digest** covers "since the previous digest": the one of the day the scheduler is
  back covers everything since the last one it sent (one mail, marked late, not a flood);
- a **reminder** asks for entries before midnight of its day: after that it is pointless;
- a **monthly report** is about its month: each missed one is sent, once, marked late;
- the **setup report** is a snapshot of today: the latest supersedes the missed ones;
- the **archive** writes whatever is not archived yet, and a **verification** checks all
  of it: the latest of each covers the missed ones.

Skipped runs are written into the store with the reason, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from auditor.config import Config
from auditor.schedule.triggers import WEEKDAY_NAMES, CalendarTrigger, Days


class JobId(StrEnum):
    SYNC = "sync"
    REMINDER = "reminder"
    DIGESTS = "digests"
    HEADS_MONTHLY = "heads-monthly"
    DEPUTY_MONTHLY = "deputy-monthly"
    SETUP = "setup"
    ARCHIVE = "archive"
    ARCHIVE_VERIFY = "archive-verify"


class CatchUp(StrEnum):
    EACH = "each"  # every missed run, in order
    LATEST = "latest"  # the latest missed run only; the others are superseded by it
    SAME_DAY = "same-day"  # only a run due today (local); earlier ones are too late


@dataclass(frozen=True, slots=True)
class Job:
    id: JobId
    title: str
    trigger: CalendarTrigger
    catch_up: CatchUp
    # APScheduler's misfire grace: how late (a busy worker, a short stop) a fire still
    # runs through APScheduler; anything later is the catch-up's (on start and each run).
    grace_s: int
    mails: bool  # prepares mails (off with the mail)


def agenda(config: Config) -> list[Job]:
    """The configured jobs, in the order they run when due at the same moment."""
    sched, tz = config.schedule, config.institution.timezone
    extra = tuple(config.institution.extra_holidays)
    inst = config.institution
    deadline = f"{inst.setup_deadline_month:02d}-{inst.setup_deadline_day:02d}"

    def on(days: Days, *at: str, **kw: object) -> CalendarTrigger:
        return CalendarTrigger(tuple(at), days, tz, extra_holidays=extra, **kw)  # type: ignore[arg-type]

    jobs = [
        Job(JobId.SYNC, "sync the journal", on(Days.EVERY, *sched.sync_times),
            CatchUp.LATEST, grace_s=30 * 60, mails=False),
    ]  # fmt: skip
    if config.archive.enabled:
        weekday = WEEKDAY_NAMES.index(sched.verify_weekday)
        jobs += [
            Job(JobId.ARCHIVE, "closed months and recorded audits into the archive",
                on(Days.EVERY, sched.archive_time), CatchUp.LATEST, 6 * 3600, mails=False),
            Job(JobId.ARCHIVE_VERIFY, "verify every archive copy (problems to the operator)",
                on(Days.WEEKLY, sched.verify_time, weekday=weekday), CatchUp.LATEST,
                24 * 3600, mails=False),
        ]  # fmt: skip
    if not config.mail.enabled:
        return [job for job in jobs if not job.mails]
    if sched.reminder_enabled:
        jobs.append(
            Job(JobId.REMINDER, "teachers' evening reminders (sync first)",
                on(Days.WORKING, sched.reminder_time), CatchUp.SAME_DAY, 2 * 3600, True)
        )  # fmt: skip
    if sched.digests_enabled:
        jobs.append(
            Job(JobId.DIGESTS, "department heads' daily digests",
                on(Days.WORKING, config.reports.digest_time), CatchUp.LATEST, 6 * 3600, True)
        )  # fmt: skip
    if sched.monthly_enabled:
        monthly = {"month_day": sched.monthly_day, "move_back": sched.monthly_move_back}
        jobs.append(
            Job(JobId.HEADS_MONTHLY, "heads' monthly reports (previous month)",
                on(Days.MONTHLY, sched.heads_monthly_time, **monthly), CatchUp.EACH,
                24 * 3600, True)
        )  # fmt: skip
        jobs.append(
            Job(JobId.DEPUTY_MONTHLY, "deputy director's справка (previous month)",
                on(Days.MONTHLY, sched.deputy_monthly_time, **monthly), CatchUp.EACH,
                24 * 3600, True)
        )  # fmt: skip
    if sched.setup_enabled:
        jobs.append(
            Job(JobId.SETUP, "setup readiness report (clause 2.2)",
                on(Days.WINDOW, sched.setup_time, window=(sched.setup_from, deadline)),
                CatchUp.LATEST, 6 * 3600, True)
        )  # fmt: skip
    return jobs
