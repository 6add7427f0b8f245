"""``auditor sync``: read ЭШ 2.0 into the local store (incremental, or ``--full``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from auditor.commands.common import AppContext, handle_errors, parse_local_moment

if TYPE_CHECKING:
    from auditor.sync.run import SyncOutcome


def sync_clock(at_text: str | None, tz: ZoneInfo) -> Callable[[], datetime]:
    """The real clock, or one that reads exactly ``--at`` the first time it is asked (the
    run's start, which stamps it) and runs on from there."""
    if not at_text:
        return lambda: datetime.now(tz)  # the CLI is allowed to read the real clock
    start = parse_local_moment(at_text, tz.key)
    began: list[float] = []

    def clock() -> datetime:
        tick = time.monotonic()
        if not began:
            began.append(tick)
        return start + timedelta(seconds=tick - began[0])

    return clock


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
    type=click.Choice(["auto", "staff", "mobile"]),
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
    from auditor.sync.progress import TerminalProgress
    from auditor.sync.service import run_sync
    from auditor.sync.summary import describe

    config = app.config()
    tz = config.institution.tz
    progress = TerminalProgress(sys.stderr, quiet=quiet)

    def show(outcome: SyncOutcome) -> None:
        progress.close()
        click.echo(describe(outcome, tz))

    with open_store(config.store) as store:
        try:
            run_sync(
                config,
                store,
                clock=sync_clock(at_text, tz),
                source=source,  # type: ignore[arg-type]  # click.Choice checked it
                full=full,
                progress=progress,
                on_outcome=show,
            )
        finally:
            progress.close()
