"""``auditor report``: prepare the reports for people, in Russian, as files."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor.commands.common import AppContext, handle_errors, parse_local_moment

if TYPE_CHECKING:
    from auditor.config import Config
    from auditor.report.common import Report
    from auditor.report.outputs import Rendered
    from auditor.report.render import Renderer

KINDS = ("daily", "head-monthly", "monthly", "setup", "audit", "reminder")
ALL_FORMATS = ("html", "pdf", "xlsx", "csv", "json")


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in ALL_FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'}: choose from {','.join(ALL_FORMATS)}",
            param_hint="--format",
        )
    return chosen


def previous_month(today: date) -> str:
    return f"{today.replace(day=1) - timedelta(days=1):%Y-%m}"


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--date", "day_text", help="daily: the digest's day; setup: as of the end of "
              "this day (YYYY-MM-DD). Default: today.")  # fmt: skip
@click.option("--month", help="head-monthly, monthly: YYYY-MM. Default: the previous month.")
@click.option("--period", help="audit: 2025-10, 2025-10-13 or 2025-09-01..2025-10-15.")
@click.option("--department", help="Only this department (daily, head-monthly, audit): "
              "its id, name, or words of it.")  # fmt: skip
@click.option("--group", help="audit: only this group.")
@click.option("--teacher", help="audit: only this teacher.")
@click.option("--at", "at_text", help="Prepare as of this local moment. Default: now.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("reports"), show_default=True,
              help="Directory for the files.")  # fmt: skip
@click.option("--format", "formats", default="html,pdf,xlsx", show_default=True,
              help=f"Comma-separated: {','.join(ALL_FORMATS)}.")  # fmt: skip
@click.option("--send", "send_mail", is_flag=True,
              help="Also mail each report to its readers (the [[directory]] of the config), "
              "exactly once per report and reader.")  # fmt: skip
@click.option("--dry-run", is_flag=True,
              help="With --send: show who would receive what; write and send no mail.")  # fmt: skip
@click.pass_obj
@handle_errors
def report(
    app: AppContext,
    kind: str,
    day_text: str | None,
    month: str | None,
    period: str | None,
    department: str | None,
    group: str | None,
    teacher: str | None,
    at_text: str | None,
    out_dir: Path,
    formats: str,
    send_mail: bool,
    dry_run: bool,
) -> None:
    """Prepare a report for its readers and write it as files.

    \b
    daily         each department head's digest of a working morning (clause 2.3)
    head-monthly  each department's monthly report to the deputy director (clause 2.4)
    monthly       the deputy director's справка for the whole institution
    setup         the setup readiness of clause 2.2 (operator's and deputy's copies)
    audit         any audit of a period as a report, for the operator
    reminder      each teacher's lessons of --date still without topic or attendance, as
                  last observed by --at (default: now): a mail before midnight (clause 1.12)
    """
    from auditor.audit import runner
    from auditor.commands.audit_cmd import parse_period
    from auditor.report.build import Request, prepare
    from auditor.report.common import Kind
    from auditor.report.outputs import Rendered, write_report
    from auditor.report.render import Renderer
    from auditor.store.sqlstore import open_store

    chosen = parse_formats(formats)
    config = app.config()
    tz = config.institution.tz
    now = parse_local_moment(at_text, config.institution.timezone) if at_text else datetime.now(tz)
    try:
        day = date.fromisoformat(day_text) if day_text else now.date()
    except ValueError:
        raise click.BadParameter(
            f"{day_text!r}: expected YYYY-MM-DD", param_hint="--date"
        ) from None
    if kind == "daily":
        request = Request(kind=Kind.DAILY, now=now, day=day, department=department)
    elif kind in ("head-monthly", "monthly"):
        request = Request(kind=Kind(kind), now=now, month=month or previous_month(now.date()),
                          department=department)  # fmt: skip
    elif kind == "reminder":
        request = Request(kind=Kind.REMINDER, now=now, day=day)
    elif kind == "setup":
        moment = now if not day_text or at_text else datetime.combine(day, time(23, 59), tzinfo=tz)
        request = Request(kind=Kind.SETUP, now=moment)
    else:
        if not period:
            raise click.UsageError("report audit needs --period")
        start, end = parse_period(period)
        request = Request(
            kind=Kind.AUDIT, now=now, start=start, end=end,
            filters=runner.Filters(department=department, group=group, teacher=teacher),
        )  # fmt: skip
    with open_store(config.store, create=False) as store:
        reports = prepare(store, config, request)
    renderer = Renderer(config.reports.mail_rows)
    rendered = {item.stem: Rendered(item, renderer) for item in reports}  # files and mails
    for item in reports:
        paths = write_report(
            item, chosen, out_dir, renderer, datetime.now(tz), rendered=rendered[item.stem]
        )
        click.echo(f"{item.heading.title} — {item.heading.subtitle}: "
                   + ", ".join(str(p) for p in paths))  # fmt: skip
    if send_mail:
        mail_reports(config, reports, rendered, renderer, dry_run=dry_run)


def mail_reports(
    config: Config,
    reports: list[Report],
    rendered: dict[str, Rendered],
    renderer: Renderer,
    *,
    dry_run: bool,
) -> None:
    """Compose each report for its readers, write the mails into the ledger, send them."""
    from datetime import UTC

    from auditor.delivery.mailer import SmtpMailer
    from auditor.delivery.outbox import deliver, outgoing
    from auditor.errors import DeliveryError, UsageError
    from auditor.store.sqlstore import open_store

    if not config.mail.enabled and not dry_run:
        raise UsageError("mail is not enabled", hint="set mail.enabled = true in the config")
    now = datetime.now(UTC)
    mails = outgoing(reports, config, renderer, now, rendered=rendered)
    if dry_run:
        for mail in mails:
            click.echo(f"would send to {mail.recipient}: {mail.subject} "
                       f"({len(mail.message) // 1024} KB)")  # fmt: skip
        click.echo(f"{len(mails)} mails (dry run: nothing written or sent)")
        return
    with open_store(config.store, create=False) as store:
        fresh = store.enqueue_mail(mails, now)
        run = deliver(store, SmtpMailer(config.mail), config, lambda: datetime.now(UTC))
    click.echo(f"{len(mails)} mails, {len(mails) - len(fresh)} already in the ledger; "
               f"{len(run.sent)} sent, {len(run.failed)} failed")  # fmt: skip
    if run.failed:
        raise DeliveryError(
            f"{len(run.failed)} mail(s) could not be sent",
            hint="check [mail] and the server; `auditor send` tries them again",
        )
