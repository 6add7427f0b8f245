"""``auditor audit``: run the rules over a period of the local store."""

from __future__ import annotations

import calendar
import sys
from datetime import date, datetime
from pathlib import Path

import click

from auditor.commands.common import AppContext, handle_errors, parse_local_moment


def parse_period(text: str) -> tuple[date, date]:
    """``2025-10`` (a month), ``2025-09-01..2025-10-15``, or ``2025-10-13`` (a day)."""
    try:
        if ".." in text:
            first, last = text.split("..", 1)
            return date.fromisoformat(first), date.fromisoformat(last)
        if len(text) == 7:
            year, month = map(int, text.split("-"))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date.fromisoformat(text)
        return day, day
    except ValueError:
        raise click.BadParameter(
            f"{text!r}: use a month (2025-10), a day (2025-10-13) or a range "
            "(2025-09-01..2025-10-15)",
            param_hint="--period",
        ) from None


FORMATS = ("table", "json", "csv", "xlsx")


def output_format(fmt: str | None, out_path: Path | None) -> str:
    """The format asked for, or the one ``--out``'s extension names; a mismatch is an error."""
    suffix = out_path.suffix.lower().lstrip(".") if out_path else ""
    if out_path is not None and suffix not in FORMATS[1:]:
        if fmt is None:
            raise click.BadParameter(
                f"cannot tell the format of {out_path.name!r}: use .json, .csv or .xlsx, "
                "or give --format",
                param_hint="--out",
            )
        return fmt
    if fmt is None:
        return suffix or "table"
    if suffix and fmt != suffix:
        raise click.BadParameter(
            f"--format {fmt} does not match the file name {out_path.name!r}",  # type: ignore[union-attr]
            param_hint="--out",
        )
    return fmt


@click.command()
@click.option("--period", required=True, help="2025-10, 2025-10-13 or 2025-09-01..2025-10-15.")
@click.option("--department", help="Only this department: its id, name, or words of it.")
@click.option("--group", help="Only this group: its id, name, or words of it.")
@click.option("--teacher", help="Only this teacher: the id, full name, or e.g. the surname.")
@click.option("--rule", "rule_ids", multiple=True, help="Only this rule (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
    help="table: a summary on the terminal (the default without --out); json, csv, xlsx: "
    "a file (the default with --out is taken from its extension).",
)  # fmt: skip
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (.json/.csv/.xlsx). Default: findings.<format>.")  # fmt: skip
@click.option("--at", "at_text", help="Judge as of this moment (local). Default: now.")
@click.option("--limit", default=40, show_default=True, help="Rows shown by --format table.")
@click.option(
    "--record",
    is_flag=True,
    help="Keep this audit, its parameters and findings in the store (as the scheduler's "
    "audits are), within store.keep_audits. Ad-hoc audits are not kept by default.",
)
@click.pass_obj
@handle_errors
def audit(
    app: AppContext,
    period: str,
    department: str | None,
    group: str | None,
    teacher: str | None,
    rule_ids: tuple[str, ...],
    fmt: str | None,
    out_path: Path | None,
    at_text: str | None,
    limit: int,
    record: bool,
) -> None:
    """Check the stored journal against the regulation and show or write the findings.

    Exit code 8 if a rule failed (its error is printed; the other rules' findings stand).
    """
    from auditor.audit import runner as audit_lib
    from auditor.report import export
    from auditor.report.machine import Meta
    from auditor.store.sqlstore import open_store

    fmt = output_format(fmt, out_path)
    config = app.config()
    start, end = parse_period(period)
    tz = config.institution.tz
    now = parse_local_moment(at_text, config.institution.timezone) if at_text else datetime.now(tz)
    with open_store(config.store, create=False) as store:
        filters = audit_lib.Filters(department=department, group=group, teacher=teacher)
        result = audit_lib.run(
            store, config, now, start, end, only_rules=rule_ids, filters=filters, record=record
        )
    findings = result.findings
    if fmt == "table":
        click.echo(export.summary_text(result, findings, tz))
        rows = export.rows_table(findings, tz, limit)
        if rows:
            click.echo("\n" + rows)
    else:
        path = out_path or Path(f"findings.{fmt}")
        meta = Meta(config.institution.name, tz, generated_at=datetime.now(tz))
        export.write_file(result, findings, fmt, path, meta)
        click.echo(f"{len(findings)} findings written to {path}")
    for outcome in result.errors:
        first_line = outcome.error.splitlines()[0]
        click.echo(f"error: rule {outcome.rule_id} failed: {first_line}", err=True)
    if result.errors:
        sys.exit(8)
