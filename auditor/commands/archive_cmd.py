"""``auditor archive`` and ``auditor replay``: the archive of clauses 3.1 and 3.2."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from auditor.commands.common import AppContext, handle_errors
from auditor.errors import ArchiveError, ExitCode


@click.group("archive", invoke_without_command=True)
@click.option("--month", help="Archive this closed month (YYYY-MM) only.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A report file to archive with --month (repeatable).",
)
@click.pass_context
@handle_errors
def archive_group(ctx: click.Context, month: str | None, reports: tuple[Path, ...]) -> None:
    """Archive closed months and recorded audits: signed entries on every destination of
    [archive] (docs/archive.md).

    Without a subcommand: every closed month and every recorded audit not archived yet, or
    only --month. Exit code 13 if the archive cannot be written.
    """
    if ctx.invoked_subcommand is not None:
        return
    from auditor.archive.service import archive_month, archive_pending
    from auditor.store.sqlstore import open_store

    app: AppContext = ctx.obj
    config = app.config()
    if not config.archive.enabled:
        raise ArchiveError("the archive is off", hint="set [archive] enabled = true")
    if reports and not month:
        raise click.BadParameter("--report needs --month", param_hint="--report")
    now = datetime.now(config.institution.tz)
    with open_store(config.store, create=False) as store:
        if month:
            written = [archive_month(store, config, month, now, reports)]
        else:
            written = archive_pending(store, config, now)
    for entry in written:
        click.echo(f"{entry.name}  manifest sha256 {entry.manifest_sha256}")
        for path in entry.paths:
            click.echo(f"  {path}")
    if not written:
        click.echo("nothing to archive: every closed month and recorded audit is archived")


@archive_group.command("verify")
@click.pass_obj
@handle_errors
def verify(app: AppContext) -> None:
    """Check every copy: hashes, sizes, missing and extra files, signatures, the chain, the
    copies against each other. Prints each problem on a line; exit code 13 if any."""
    from auditor.archive.verify import verify_archive

    problems = verify_archive(app.config())
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problems found", err=True)
        sys.exit(int(ExitCode.ARCHIVE))
    click.echo("archive ok")


@archive_group.command("certify")
@click.argument("entry")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("certified"),
    show_default=True,
    help="Directory for the certified PDFs.",
)
@click.pass_obj
@handle_errors
def certify(app: AppContext, entry: str, out_dir: Path) -> None:
    """Certified print copies of a month ENTRY (its directory or number), clause 3.2: the
    справка and each department's report made from the verified entry, with the entry and
    its manifest's SHA-256 on every page."""
    from auditor.archive.certify import certify_month

    for path in certify_month(_entry_path(app, entry), app.config(), out_dir):
        click.echo(str(path))


@archive_group.command("keygen")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The private key file to write (0600); the public key goes beside it.",
)
@handle_errors
def keygen(out: Path) -> None:
    """Write a new Ed25519 signing key (PEM, PKCS8) and its public key (*.pub.pem)."""
    from auditor.archive.signing import generate_key

    private, public = generate_key(out)
    click.echo(f"private key: {private} (keep it off the archive media, and back it up)")
    click.echo(f"public key:  {public}")


@click.command("replay")
@click.argument("entry")
@click.pass_obj
@handle_errors
def replay(app: AppContext, entry: str) -> None:
    """Judge an archived ENTRY (its directory, or its number) again and compare with its
    archived findings; exit code 13 if they differ."""
    from auditor.archive.replay import replay_entry

    result = replay_entry(_entry_path(app, entry))
    if result.identical:
        click.echo(f"{result.entry}: identical ({result.archived} findings)")
        return
    click.echo(
        f"{result.entry}: {len(result.differences)} differences "
        f"(archived {result.archived} findings, replayed {result.replayed})"
    )
    for difference in result.differences:
        click.echo(f"  {difference}")
    sys.exit(int(ExitCode.ARCHIVE))


def _entry_path(app: AppContext, entry: str) -> Path:
    path = Path(entry)
    if path.is_dir() or not entry.isdigit():
        if not path.is_dir():
            raise ArchiveError(f"no entry directory {path}")
        return path
    from auditor.archive import layout

    for destination in app.config().archive.destination_paths:
        if destination.is_dir():
            for name in layout.entries(destination):
                if layout.entry_number(name) == int(entry):
                    return destination / name
    raise ArchiveError(f"no entry number {entry} in archive.destinations")
