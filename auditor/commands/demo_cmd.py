"""``auditor demo``: the main job on the embedded demo institution."""

from __future__ import annotations

import time
from pathlib import Path

import click

from auditor.commands.common import handle_errors
from auditor.commands.simulate_cmd import DEMO_SEED, DEMO_YEAR


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("demo-output"),
    show_default=True,
    help="Directory for the demo's dataset, answer key and results.",
)
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Seed of the demo dataset.")
@click.option("--year", default=DEMO_YEAR, show_default=True, help="Academic year (its autumn).")
@handle_errors
def demo(out_dir: Path, seed: int, year: int) -> None:
    """Run the auditor end to end on the generated demo institution (no network).

    Starts the ЭШ 2.0 simulator on 127.0.0.1, reads it through the staff login and the
    mobile API at several simulated times, and prints what it saw.
    """
    from auditor.demo.showcase import run_demo

    began = time.monotonic()
    run_demo(out_dir, click.echo, seed=seed, year=year)
    click.echo(f"demo finished in {time.monotonic() - began:.0f} s")
