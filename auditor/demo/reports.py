"""The demo's reports: a full set for the demo institution under ``DIR/reports/``, and
``DIR/demo.toml``, a configuration pointing at the demo's store so that any command can be
tried on the demo (``auditor --config DIR/demo.toml report daily --date 2025-09-16``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from auditor.config import Config, InstitutionConfig, StoreConfig
from auditor.report.build import Request, prepare
from auditor.report.common import Kind, Report
from auditor.report.monthly import monthly_reports
from auditor.report.outputs import write_report
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
    ]  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")


def demo_requests(first: date, last: date, tz: ZoneInfo, now: datetime) -> list[Request]:
    """The morning after the month (its digests, monthly reports, audit), and the setup
    report a week after the deadline (its burn-down through the deadline)."""
    month = f"{first:%Y-%m}"
    setup_moment = datetime.combine(date(first.year, 9, 15), datetime.max.time(), tzinfo=tz)
    return [
        Request(Kind.DAILY, now, day=last + timedelta(days=1)),
        Request(Kind.MONTHLY, now, month=month),  # with the heads' reports, one audit
        Request(Kind.SETUP, setup_moment.replace(microsecond=0)),
        Request(Kind.AUDIT, now, start=first, end=last),
    ]


def write_demo_reports(
    out_dir: Path,
    store_path: Path,
    institution: str,
    timezone: str,
    first: date,
    last: date,
    now: datetime,
    echo: Echo,
) -> list[Report]:
    config = demo_config(out_dir, institution, timezone)
    config_path = out_dir / "demo.toml"
    write_demo_config(config, config_path)
    tz = config.institution.tz
    reports_dir = out_dir / "reports"
    renderer = Renderer(config.reports.mail_rows)
    made: list[Report] = []
    with SqlStore.open_path(store_path) as store:
        for request in demo_requests(first, last, tz, now):
            started = time.monotonic()
            if request.kind is Kind.MONTHLY:
                deputy, heads = monthly_reports(store, config, str(request.month), now)
                reports = [deputy, *heads]
            else:
                reports = prepare(store, config, request)
            files = 0
            for report in reports:
                files += len(
                    write_report(report, DEMO_FORMATS[report.kind], reports_dir, renderer, now)
                )
            made += reports
            kinds = sorted({r.kind.value for r in reports})
            echo(
                f"      {', '.join(kinds)}: {len(reports)} report(s), {files} files "
                f"in {time.monotonic() - started:.1f} s"
            )
    echo(f"      reports: {reports_dir}; try any command on the demo with --config {config_path}")
    return made
