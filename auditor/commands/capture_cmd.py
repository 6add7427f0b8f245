"""``auditor capture``: save the pages a sync reads, without personal data."""

from __future__ import annotations

import re
from pathlib import Path

import click

from auditor.commands.common import AppContext, handle_errors
from auditor.commands.sync_cmd import sync_clock

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="An empty (or new) directory for the pages, manifest.json and README.txt.",
)
@click.option(
    "--month",
    "months",
    multiple=True,
    help="Journal month to save, YYYY-MM (repeatable). Default: the current month.",
)
@click.option(
    "--max-groups",
    default=0,
    show_default=True,
    help="Save the journals of at most this many groups (0: every group).",
)
@click.option("--at", "at_text", help="The current moment, local ISO (default: now).")
@click.pass_obj
@handle_errors
def capture(
    app: AppContext, out_dir: Path, months: tuple[str, ...], max_groups: int, at_text: str | None
) -> None:
    """Save the raw pages a sync reads, with personal data replaced by placeholders.

    Names, phones, e-mails, dates of birth, addresses and logins become placeholders, so
    the directory can be handed over for adapting the parsers to the real site
    (auditor/source/staff_pages/). Uses the same source.* settings as `auditor sync`;
    nothing is written to the store.
    """
    from auditor.source.capture import Capture
    from auditor.sync.connect import mobile_clients, staff_session

    for month in months:
        if not MONTH.fullmatch(month):
            raise click.BadParameter(f"{month!r} is not YYYY-MM", param_hint="--month")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.BadParameter(f"{out_dir} is not empty", param_hint="--out")
    config = app.config()
    now = sync_clock(at_text, config.institution.tz)()
    wanted = list(months) or [f"{now:%Y-%m}"]
    job = Capture(capture_year=now.year)
    src = config.source
    if src.username:
        job.staff(staff_session(src, src.password.reveal()), wanted, max_groups=max_groups)
    if src.mobile_accounts:
        _http, clients = mobile_clients(src, on_answer=job.answer_sink())
        job.mobile(clients, wanted)
    report = job.write(out_dir)
    click.echo(
        f"saved {len(report.saved)} pages to {out_dir} ({report.replaced_values} personal "
        f"values replaced, plus patterns); {len(report.failed)} could not be read "
        "(listed in manifest.json)"
    )
