"""The demo's reports: a full set for the demo institution under ``DIR/reports/``, and
``DIR/demo.toml``, a configuration pointing at the demo's store so that any command can be
tried on the demo (``auditor --config DIR/demo.toml report daily --date 2025-09-16``)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time as clock
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from auditor.audit.engine import AuditResult
from auditor.config import Config, InstitutionConfig, StoreConfig
from auditor.delivery.mailer import SmtpMailer
from auditor.delivery.outbox import deliver, outgoing
from auditor.demo.archiving import archive_demo_month, demo_archive_config
from auditor.report.adhoc import audit_report
from auditor.report.build import Request, prepare
from auditor.report.common import Kind
from auditor.report.monthly import monthly_reports
from auditor.report.outputs import Rendered, write_report
from auditor.report.render import Renderer
from auditor.store import SqlStore
from auditor.tomlwrite import toml_table

Echo = Callable[[str], None]
# What each report is written as: people's formats, the findings' codes for the audit.
DEMO_FORMATS: dict[Kind, tuple[str, ...]] = {
    Kind.DAILY: ("html", "xlsx"),
    Kind.HEAD_MONTHLY: ("html", "pdf", "xlsx"),
    Kind.MONTHLY: ("html", "pdf", "xlsx"),
    Kind.SETUP: ("html", "pdf", "xlsx"),
    Kind.AUDIT: ("html", "xlsx", "csv", "json"),
}


def demo_config(out_dir: Path, institution: str, timezone: str) -> Config:
    return Config(
        institution=InstitutionConfig(name=institution, timezone=timezone),
        store=StoreConfig(data_dir=str((out_dir / "store").resolve())),
        archive=demo_archive_config(out_dir),
    )


def write_demo_config(config: Config, path: Path) -> None:
    lines = [
        "# The demo institution's configuration, written by `auditor demo`: it points at the",
        "# demo's store, so any command can be tried on it, e.g.",
        f"#   auditor --config {path} report daily --date 2025-09-16",
        "# (the simulator the demo synced from is no longer running: `sync` has no site here).",
        "",
        *toml_table("institution", {"name": config.institution.name,
                                    "timezone": config.institution.timezone}),
        "",
        *toml_table("store", {"data_dir": config.store.data_dir}),
        "",
        # the demo scheduler's polls (its mail went to a server that has stopped since)
        *toml_table("schedule", {"sync_times": ["07:00", "23:50"]}),
        "",
        *toml_table("archive", {"enabled": config.archive.enabled,
                                "destinations": list(config.archive.destinations),
                                "key_path": config.archive.key_path}),
        "",
    ]  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")


def demo_requests(first: date, last: date, tz: ZoneInfo, now: datetime) -> list[Request]:
    """The morning after the month (its digests and monthly reports), and the setup report
    three days before the deadline (what is still pending, with the days left, and the
    burn-down so far: each of its days is a judgement of its own)."""
    month = f"{first:%Y-%m}"
    setup_moment = datetime.combine(date(first.year, 9, 5), time(18, 0), tzinfo=tz)
    return [
        Request(Kind.DAILY, now, day=last + timedelta(days=1)),
        Request(Kind.MONTHLY, now, month=month),  # with the heads' reports, one audit
        Request(Kind.SETUP, setup_moment),
    ]


@dataclass(frozen=True, slots=True)
class Job:
    """One request of the demo's reports, written by whichever process runs it."""

    request: Request
    config: Config
    store_path: Path
    reports_dir: Path
    now: datetime
    mail: Config | None  # the scheduler's (mail and directory): mail the reports too


def run_job(job: Job) -> tuple[str, list[str]]:
    """Prepare and write one request's reports, and put their mails into the delivery
    ledger (the daily digests excepted: the scheduler mailed those); the line the demo
    prints about them."""
    started = clock.monotonic()
    renderer = Renderer(job.config.reports.mail_rows)
    files = mails = 0
    with SqlStore.open_path(job.store_path) as store:
        if job.request.kind is Kind.MONTHLY:
            deputy, heads = monthly_reports(store, job.config, str(job.request.month), job.now)
            reports = [deputy, *heads]
        else:
            reports = prepare(store, job.config, job.request)
        for report in reports:
            made = Rendered(report, renderer)  # one rendering for the files and the mails
            formats = DEMO_FORMATS[report.kind]
            files += len(
                write_report(report, formats, job.reports_dir, renderer, job.now, rendered=made)
            )
            if job.mail is not None and report.kind is not Kind.DAILY:
                items = outgoing([report], job.mail, renderer, job.now,
                                 rendered={report.stem: made})  # fmt: skip
                mails += len(store.enqueue_mail(items, job.now))
    kinds = ", ".join(sorted({r.kind.value for r in reports}))
    mailed = f", {mails} mails queued" if mails else ""
    line = (
        f"      {kinds}: {len(reports)} report(s), {files} files{mailed} "
        f"in {clock.monotonic() - started:.1f} s"
    )
    return line, _archive(job)


def _archive(job: Job) -> list[str]:
    """After the month's reports: the month into the archive, with them (in the same
    worker, which has the PDF stack loaded, while the other writes the rest)."""
    if job.request.kind is not Kind.MONTHLY or not job.config.archive.enabled:
        return []
    month = str(job.request.month)
    return archive_demo_month(job.config, job.store_path, month, job.now, job.reports_dir)


def _load_report_stack() -> None:
    """What writing the reports imports (the PDF, chart and workbook libraries)."""
    from auditor.report.pdf import quiet_weasyprint

    quiet_weasyprint()
    import matplotlib.figure  # noqa: F401
    import openpyxl  # noqa: F401
    import weasyprint  # noqa: F401
    import xlsxwriter  # noqa: F401


@contextlib.contextmanager
def report_workers() -> Iterator[Executor | None]:
    """Two forked workers for the reports, or None on one core (or without fork).

    Started before the month is replayed: the replay keeps one core busy and the simulator
    uses little of the other, so the workers import the report stack (~1.5 s each) there,
    not after the replay. They open the store only when given a job, after the replay."""
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(2, mp_context=context, initializer=_load_report_stack)
    with pool:
        pool.submit(int)  # forks both workers now (a fork pool starts all at the first job)
        yield pool


def write_demo_reports(
    out_dir: Path,
    store_path: Path,
    institution: str,
    timezone: str,
    first: date,
    last: date,
    audit: AuditResult,
    echo: Echo,
    mail: Config | None = None,
    workers: Executor | None = None,
) -> list[str]:
    """Write the reports; ``audit`` is the month's audit the demo made already (its report
    is the operator's ad-hoc audit).

    The requests are independent: on a machine with two cores or more they run in forked
    workers (each opens the store itself), which keeps the demo within its minute;
    ``workers`` are such workers started earlier (:func:`report_workers`). Returns the
    archive step's lines (the month's job archives the month with its reports)."""
    now = audit.now
    config = demo_config(out_dir, institution, timezone)
    config_path = out_dir / "demo.toml"
    write_demo_config(config, config_path)
    tz = config.institution.tz
    reports_dir = out_dir / "reports"
    # The longest first, so that two workers finish together.
    jobs = [
        Job(request, config, store_path, reports_dir, now, mail)
        for request in sorted(
            demo_requests(first, last, tz, now), key=lambda r: r.kind is Kind.DAILY
        )
    ]
    done: list[tuple[str, list[str]]]
    with contextlib.ExitStack() as stack:
        pool = workers or stack.enter_context(report_workers())
        if pool is not None:
            pending = [pool.submit(run_job, job) for job in jobs]
            echo(_audit_line(config, audit, reports_dir))  # meanwhile, in this process
            done = [future.result() for future in pending]
        else:
            done = [run_job(job) for job in jobs]
            echo(_audit_line(config, audit, reports_dir))
    for line, _ in done:
        echo(line)
    if mail is not None:
        with SqlStore.open_path(store_path) as store:
            run = deliver(store, SmtpMailer(mail.mail), mail, lambda: now)
        echo(f"      delivery run: {len(run.sent)} mails sent, {len(run.failed)} failed")
    echo(f"      reports: {reports_dir}; try any command on the demo with --config {config_path}")
    return [line for _, archived in done for line in archived]


def _audit_line(config: Config, audit: AuditResult, reports_dir: Path) -> str:
    report = audit_report(config, audit)
    renderer = Renderer(config.reports.mail_rows)
    files = write_report(report, DEMO_FORMATS[Kind.AUDIT], reports_dir, renderer, audit.now)
    return f"      audit: 1 report, {len(files)} files"
