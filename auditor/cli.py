"""The ``auditor`` command: a thin click layer over the library.

The CLI is the only place that reads the real clock, builds the object graph, and turns
errors into exit codes (:class:`auditor.errors.ExitCode`) and one-line messages. A traceback
is shown only with ``--debug``. Each command lives in :mod:`auditor.commands`.
"""

from __future__ import annotations

from pathlib import Path

import click

from auditor import __version__
from auditor.commands import (
    archive_cmd,
    audit_cmd,
    capture_cmd,
    config_cmd,
    demo_cmd,
    mail_cmd,
    report_cmd,
    rules_cmd,
    serve_cmd,
    simulate_cmd,
    store_cmd,
    sync_cmd,
)
from auditor.commands.common import AppContext, configure_logging
from auditor.config import CONFIG_ENV, DEFAULT_CONFIG_FILE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=CONFIG_ENV,
    help=f"Config file (default ./{DEFAULT_CONFIG_FILE}, or ${CONFIG_ENV}).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.option(
    "--log-level",
    type=click.Choice(["error", "warning", "info", "debug"]),
    default="warning",
    show_default=True,
    envvar="AUDITOR_LOG_LEVEL",
    help="What the library logs to stderr. Logs never hold passwords or personal data.",
)
@click.version_option(__version__, prog_name="auditor")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, debug: bool, log_level: str) -> None:
    """ruobr-auditor: checks an ЭШ 2.0 e-journal against the institution's regulation.

    Exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 source unreachable,
    5 authentication, 6 site changed, 7 store, 8 rule, 9 delivery, 10 dataset,
    11 nothing observed in the audited period, 12 another scheduler runs on
    the store, 13 the archive cannot be written or failed a check.
    """
    configure_logging(log_level)
    ctx.obj = AppContext(config_path, debug)


main.add_command(simulate_cmd.simulate)
main.add_command(simulate_cmd.generate)
main.add_command(simulate_cmd.sim_clock)
main.add_command(config_cmd.config_group)
main.add_command(demo_cmd.demo)
main.add_command(audit_cmd.audit)
main.add_command(report_cmd.report)
main.add_command(mail_cmd.outbox)
main.add_command(mail_cmd.send)
main.add_command(serve_cmd.serve)
main.add_command(serve_cmd.status)
main.add_command(rules_cmd.rules_group)
main.add_command(sync_cmd.sync)
main.add_command(capture_cmd.capture)
main.add_command(store_cmd.store_group)
main.add_command(archive_cmd.archive_group)
main.add_command(archive_cmd.replay)
