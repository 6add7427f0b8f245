"""``auditor sync``: read ЭШ 2.0 into the local store (incremental, or ``--full``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click

from auditor.commands.common import AppContext, handle_errors, parse_local_moment
from auditor.config import Config
from auditor.errors import ConfigError

SOURCES = ("auto", "staff", "mobile")


def sync_clock(at_text: str | None, tz: ZoneInfo) -> Callable[[], datetime]:
    """The real clock, or one that starts at ``--at`` and runs on from there."""
    if not at_text:
        return lambda: datetime.now(tz)  # the CLI is allowed to read the real clock
    start, began = parse_local_moment(at_text, tz.key), time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def chosen_sources(config: Config, source: str) -> tuple[bool, bool]:
    """(staff, mobile): which sources this run reads."""
    has_staff, has_mobile = bool(config.source.username), bool(config.source.mobile_accounts)
    staff = source == "staff" or (source == "auto" and has_staff)
    mobile = source == "mobile" or (source == "auto" and has_mobile)
    if mobile and not has_mobile:
        raise ConfigError(["source.mobile_accounts: none configured"])
    if not staff and not mobile:
        raise ConfigError(
            ["source.username: empty, and no source.mobile_accounts either"],
            hint="set source.username to the operator account's login "
            "(its password goes into the variable named by source.password_env)",
        )
    return staff, mobile


@click.command()
@click.option("--full", is_flag=True, help="Re-read every journal month of the year so far.")
@click.option(
    "--at",
    "at_text",
    help="Pretend the sync starts at this local moment, e.g. 2025-10-13T18:00 (for a "
    "simulator started with `auditor simulate --at`). Default: now.",
)
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    default="auto",
    show_default=True,
    help="auto: the staff web app if source.username is set, and the mobile API if "
    "source.mobile_accounts are configured.",
)
@click.option("--quiet", is_flag=True, help="No progress line, even on a terminal.")
@click.pass_obj
@handle_errors
def sync(app: AppContext, full: bool, at_text: str | None, source: str, quiet: bool) -> None:
    """Read ЭШ 2.0 into the local store and say what changed.

    Incremental by default: the institution pages, the current journal months of groups
    with lessons since the last run, and months with entries still missing. The first sync
    into an empty store reads everything. Nothing is written unless the whole run
    completes. The password comes from the variable named by source.password_env.
    """
    from auditor.store import open_store
    from auditor.sync.connect import mobile_clients, staff_session
    from auditor.sync.progress import TerminalProgress
    from auditor.sync.run import sync_mobile, sync_staff
    from auditor.sync.summary import describe

    config = app.config()
    tz = config.institution.tz
    clock = sync_clock(at_text, tz)
    read_staff, read_mobile = chosen_sources(config, source)
    src = config.source
    session = staff_session(src, src.password.reveal()) if read_staff else None
    mobile = mobile_clients(src) if read_mobile else None  # secrets are read before any I/O
    progress = TerminalProgress(sys.stderr, quiet=quiet)
    with open_store(config.store) as store:
        try:
            if session is not None:
                outcome = sync_staff(
                    session,
                    store,
                    clock=clock,
                    tz=tz,
                    full=full,
                    concurrency=src.concurrency,
                    progress=progress,
                )
                progress.close()
                click.echo(describe(outcome, tz))
            if mobile is not None:
                http, clients = mobile
                outcome = sync_mobile(
                    clients,
                    http,
                    store,
                    clock=clock,
                    tz=tz,
                    full=full,
                    concurrency=src.concurrency,
                    progress=progress,
                )
                progress.close()
                click.echo(describe(outcome, tz))
        finally:
            progress.close()
