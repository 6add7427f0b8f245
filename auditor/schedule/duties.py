"""What each job does when it runs: sync, prepare the reports due, mail them.

Every job that prepares mails ends the same way: the reports are composed for their
readers, written into the delivery ledger (each under its key, so a rerun writes nothing
new), and the ledger is delivered, failed mails of earlier runs included; when mails are
left failed, the operator gets a notice (one a day). The sync job delivers too, so that
mails failed at 07:30 are tried again at the next sync.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time as wall
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from auditor.archive.service import ArchiveStore, archive_pending
from auditor.archive.verify import verify_archive
from auditor.config import Config
from auditor.contract.deliveries import DeliveryState
from auditor.contract.schedule import RunState
from auditor.delivery.mailer import Mailer, SmtpMailer
from auditor.delivery.notice import KIND as NOTICE
from auditor.delivery.notice import archive_notices, failure_notices
from auditor.delivery.outbox import deliver, outgoing
from auditor.errors import ArchiveError, NoObservationsError
from auditor.report.build import Request, prepare
from auditor.report.common import Kind, Report
from auditor.report.render import Renderer
from auditor.schedule.agenda import Job, JobId
from auditor.source.parse_memo import ParseMemo
from auditor.store.interface import AuditStore, DeliveryLedger, ScheduleRecords, Store
from auditor.sync.run import SyncOutcome
from auditor.sync.service import run_sync

log = logging.getLogger(__name__)
WAIT_REPORTS = timedelta(days=7)  # a month's archive waits this long for its reports


class SchedulerStore(Store, AuditStore, DeliveryLedger, ScheduleRecords, ArchiveStore, Protocol):
    """All the scheduler needs of the store (``SqlStore`` is one)."""


@dataclass
class Duties:
    """The jobs' actions, with what they share: one parse memo for all syncs (the process
    syncs again and again), one renderer, the mailer factory."""

    config: Config
    store: SchedulerStore
    clock: Callable[[], datetime]
    environ: Mapping[str, str] | None = None
    mailer: Callable[[], Mailer] | None = None  # default: SMTP from [mail]
    sleep: Callable[[float], None] = wall.sleep
    memo: ParseMemo = field(default_factory=ParseMemo)
    renderer: Renderer | None = None
    on_sync: Callable[[SyncOutcome], None] | None = None  # hears of each recorded sync

    def __post_init__(self) -> None:
        if self.renderer is None:
            self.renderer = Renderer(self.config.reports.mail_rows)

    # -- the jobs

    def run(self, job: Job, due: datetime, late: bool) -> str:
        """Do ``job``'s run due at ``due``; a line saying what was done."""
        day = due.astimezone(self.config.institution.tz).date()
        if job.id is JobId.SYNC:
            mailed = self.deliver() if self.config.mail.enabled else ""
            return self.sync() + (f"; {mailed}" if mailed else "")
        if job.id is JobId.REMINDER:
            try:
                synced = self.sync()
            except Exception as exc:  # the last observations still say what is open
                log.warning("the reminder's sync failed, using the last one: %s", exc)
                synced = f"sync failed ({exc})"
            try:
                reports = self.prepare(Request(Kind.REMINDER, self.clock(), day=day))
            except NoObservationsError:
                return f"{synced}; no sync of {day:%d.%m.%Y} in the store: no reminders"
            return f"{synced}; " + self.mail(reports, due, late)
        if job.id is JobId.DIGESTS:
            since = self.previous_digest(due)
            try:
                reports = self.prepare(Request(Kind.DAILY, self.clock(), day=day, since=since))
            except NoObservationsError as exc:  # the scheduler's first morning
                return f"no digests: {exc}"
            return self.mail(reports, due, late)
        if job.id in (JobId.HEADS_MONTHLY, JobId.DEPUTY_MONTHLY):
            month = f"{date(day.year, day.month, 1) - timedelta(days=1):%Y-%m}"
            kind = Kind.HEAD_MONTHLY if job.id is JobId.HEADS_MONTHLY else Kind.MONTHLY
            reports = self.prepare(Request(kind, self.clock(), month=month))
            return f"{month}: " + self.mail(reports, due, late)
        if job.id is JobId.SETUP:
            return self.mail(self.prepare(Request(Kind.SETUP, self.clock())), due, late)
        if job.id is JobId.ARCHIVE:
            with tempfile.TemporaryDirectory(prefix="auditor-archive-") as folder:
                written = archive_pending(
                    self.store, self.config, self.clock(), ready=self.month_reported,
                    reports=lambda month: self.mailed_reports(month, Path(folder)),
                )  # fmt: skip
            return f"{len(written)} entr{'y' if len(written) == 1 else 'ies'} archived" + (
                f": {', '.join(e.name for e in written)}" if written else ""
            )
        if job.id is JobId.ARCHIVE_VERIFY:
            return self.verify_archive()
        raise AssertionError(f"no action for job {job.id}")  # pragma: no cover

    def sync(self) -> str:
        outcomes = run_sync(
            self.config, self.store, clock=self.clock, environ=self.environ, memo=self.memo,
            on_outcome=self.on_sync,
        )  # fmt: skip
        pages = sum(o.snapshot.transfer.requests for o in outcomes)
        return f"synced {len(outcomes)} source(s), {pages} requests"

    def prepare(self, request: Request) -> list[Report]:
        return prepare(self.store, self.config, request)

    def previous_digest(self, due: datetime) -> date | None:
        """The day of the last digest run done before ``due`` (the catch-up's baseline)."""
        tz = self.config.institution.tz
        for run in self.store.job_runs(JobId.DIGESTS.value, limit=20):
            if run.due_at < due and run.state is RunState.DONE:
                return run.due_at.astimezone(tz).date()
        return None

    def month_reported(self, month: str) -> bool:
        """A closed month is archived once its monthly reports went out (so that the entry
        holds them, as delivered), or a week after they were due if they did not."""
        if not (self.config.mail.enabled and self.config.schedule.monthly_enabled):
            return True
        first = date.fromisoformat(f"{month}-01")
        following = f"{date(first.year + first.month // 12, first.month % 12 + 1, 1):%Y-%m}"
        runs = self.store.job_runs(JobId.DEPUTY_MONTHLY.value, limit=24)
        tz = self.config.institution.tz
        for run in runs:
            if f"{run.due_at.astimezone(tz):%Y-%m}" == following:
                return run.state is RunState.DONE or self.clock() - run.due_at > WAIT_REPORTS
        return False

    def mailed_reports(self, month: str, folder: Path) -> list[Path]:
        """The month's monthly reports as they were sent (the ledger keeps each message)."""
        paths = []
        for row in self.store.deliveries([DeliveryState.SENT]):
            if row.kind in ("monthly", "head-monthly") and row.period.startswith(month):
                message = self.store.mail_message(row.key)
                if message is not None:
                    name = re.sub(r"[^A-Za-z0-9._-]", "_", row.key.replace("|", "--"))
                    path = folder / f"{name}.eml"
                    path.write_bytes(message)
                    paths.append(path)
        return paths

    def verify_archive(self) -> str:
        """Verify every copy; problems go to the operator (one notice a day) and fail the
        run, so that `auditor status` shows them too."""
        problems = [str(p) for p in verify_archive(self.config)]
        if not problems:
            return "archive ok"
        if self.config.mail.enabled:
            assert self.renderer is not None
            notices = archive_notices(problems, self.config, self.renderer, self.clock())
            self.store.enqueue_mail(notices, self.clock())
            self.deliver()
        raise ArchiveError(f"{len(problems)} archive problem(s): {problems[0]}")

    # -- mail

    def mail(self, reports: Sequence[Report], due: datetime, late: bool) -> str:
        assert self.renderer is not None
        now = self.clock()
        items = outgoing(reports, self.config, self.renderer, now, due_at=due, late=late)
        written = self.store.enqueue_mail(items, now)
        made = f"{len(reports)} report(s), {len(written)} new mail(s)"
        if len(written) < len(items):
            made += f" ({len(items) - len(written)} already in the ledger)"
        return f"{made}; {self.deliver()}"

    def deliver(self) -> str:
        """Send what the ledger holds; tell the operator of what failed."""
        factory = self.mailer or (lambda: SmtpMailer(self.config.mail, self.environ))
        run = deliver(self.store, factory(), self.config, self.clock, self.sleep)
        line = f"{len(run.sent)} sent, {len(run.failed)} failed"
        if run.untried:
            line += f", {run.untried} left for the next run (the server is unreachable)"
        if run.failed:  # the notice goes with the next run that reaches the server
            assert self.renderer is not None
            failed = [d for d in self.store.deliveries([DeliveryState.FAILED])
                      if d.kind != NOTICE]  # fmt: skip
            waiting = len(self.store.deliveries([DeliveryState.PENDING]))
            notices = failure_notices(failed, self.config, self.renderer, self.clock(), waiting)
            if self.store.enqueue_mail(notices, self.clock()):
                line += "; the operator's notice is queued"
        return line
