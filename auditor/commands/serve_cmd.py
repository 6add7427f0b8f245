"""``auditor serve`` and ``auditor status``: the scheduler and a look at it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from auditor.commands.common import AppContext, configure_logging, handle_errors


@click.command()
@click.option(
    "--log-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Append the log here instead of stderr (reopened after logrotate moves it).",
)
@click.option(
    "--log-level",
    type=click.Choice(["error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
    help="The scheduler logs each run (info) and each failure (error).",
)
@click.pass_obj
@handle_errors
def serve(app: AppContext, log_file: Path | None, log_level: str) -> None:
    """Run the scheduled jobs until stopped (SIGTERM or Ctrl-C).

    Syncs, the teachers' evening reminders, the department heads' daily digests, the
    monthly reports and the setup report, at the times of [schedule] in the institution's
    time zone; each due run exactly once, runs missed during a downtime caught up on start
    (docs/scheduler.md). One scheduler per store: a second one exits with code 12.
    """
    from auditor.schedule.service import serve as run

    configure_logging(log_level, log_file)
    run(app.config(), echo=click.echo)


@click.command()
@click.pass_obj
@handle_errors
def status(app: AppContext) -> None:
    """Show whether the scheduler runs, each job's next and last run, recent failures and
    the mails waiting."""
    from auditor.schedule.status import status_lines
    from auditor.store.sqlstore import open_store

    config = app.config()
    with open_store(config.store, create=False) as store:
        for line in status_lines(config, store, datetime.now(config.institution.tz)):
            click.echo(line)
