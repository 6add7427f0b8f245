"""``auditor simulate`` and ``auditor generate``: the local ЭШ 2.0 stand-in and its data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from auditor.commands.common import handle_errors, parse_local_moment
from auditor.errors import UsageError
from auditor.simulator.dataset import Dataset, load_dataset, save_dataset

DEMO_SEED = 2025
DEMO_YEAR = 2025


def demo_dataset(seed: int, year: int) -> Dataset:
    from auditor.simulator.generator import generate_demo

    dataset, _key = generate_demo(seed=seed, year=year)
    return dataset


@click.command()
@click.option(
    "--dataset",
    "dataset_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Serve this dataset file (docs/dataset-format.md). Default: the generated demo.",
)
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Seed of the demo dataset.")
@click.option("--year", default=DEMO_YEAR, show_default=True, help="Academic year of the demo.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8765, show_default=True, help="Port to listen on (0: any).")
@click.option(
    "--at",
    "at_text",
    help="Simulated time, e.g. 2025-10-13T18:00 (local to the institution). Default: now.",
)
@click.option("--running", is_flag=True, help="Let the simulated clock advance in real time.")
@click.option(
    "--fault",
    "fault_spec",
    default="",
    help="Fault modes for the whole run, e.g. 'slow=200ms,5xx=0.1,429=0.05' "
    "(docs/simulator.md lists them).",
)
@click.option(
    "--session-ttl", default=1800, show_default=True, help="Idle seconds before a session expires."
)
@handle_errors
def simulate(
    dataset_path: Path | None,
    seed: int,
    year: int,
    host: str,
    port: int,
    at_text: str | None,
    running: bool,
    fault_spec: str,
    session_ttl: int,
) -> None:
    """Serve a dataset as a local ЭШ 2.0: staff web app, mobile API, clock and faults.

    Control endpoints: GET/POST /__sim__/clock, /__sim__/faults, /__sim__/stats.
    Stop with Ctrl-C.
    """
    from auditor.simulator.faults import FaultConfig
    from auditor.simulator.server import build_simulator, make_server

    dataset = load_dataset(dataset_path) if dataset_path else demo_dataset(seed, year)
    tzname = dataset.institution.timezone
    now = (
        parse_local_moment(at_text, tzname)
        if at_text
        else datetime.now(dataset.institution.tz)  # the CLI may read the real clock
    )
    try:
        faults = FaultConfig.parse(fault_spec) if fault_spec else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    sim = build_simulator(
        dataset, now, running=running, faults=faults, session_ttl_s=session_ttl, seed=seed
    )
    try:
        server = make_server(sim, host, port)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="choose another --port (0 picks a free one), or stop what uses it",
        ) from None
    url = f"http://{host}:{server.server_address[1]}"
    staff_logins = [c.login for c in dataset.credentials if c.kind.value == "staff"][:3]
    click.echo(f"ЭШ 2.0 simulator: {dataset.institution.name}")
    click.echo(f"  staff web app  {url}/accounts/login/   (e.g. {', '.join(staff_logins)})")
    click.echo(f"  mobile API     {url}/api3d/")
    click.echo(f"  clock          {now.isoformat()} ({'running' if running else 'frozen'})")
    click.echo("  passwords are in the dataset's credentials section; Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("simulator stopped")
    finally:
        server.server_close()


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory to write dataset.json and answer-key.json into.",
)
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Random seed.")
@click.option("--year", default=DEMO_YEAR, show_default=True, help="Academic year (its autumn).")
@handle_errors
def generate(out_dir: Path, seed: int, year: int) -> None:
    """Generate the demo institution and the answer key of the violations it plants."""
    from auditor.simulator.generator import generate_demo

    dataset, key = generate_demo(seed=seed, year=year)
    save_dataset(dataset, out_dir / "dataset.json")
    key.save(out_dir / "answer-key.json")
    click.echo(
        f"wrote {out_dir / 'dataset.json'} ({len(dataset.groups)} groups, "
        f"{len(dataset.students)} students, {len(dataset.lessons)} lessons) and "
        f"{out_dir / 'answer-key.json'} ({len(key.violations)} planted violations)"
    )


@click.command("sim-clock")
@click.argument("moment", required=False)
@click.option(
    "--url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="The running simulator (`auditor simulate`).",
)
@click.option("--running/--frozen", default=None, help="Let the clock run, or freeze it.")
@handle_errors
def sim_clock(moment: str | None, url: str, running: bool | None) -> None:
    """Show or set a running simulator's clock, e.g. `auditor sim-clock 2025-10-13T18:00`.

    MOMENT is local to the simulated institution (or ISO with an offset). A sync must run
    at the simulator's time (`auditor sync --at` the same moment): the connector refuses a
    site whose clock differs from its own by more than source.max_clock_skew_s.
    """
    import requests

    from auditor.errors import SourceError

    body: dict[str, object] = {} if moment is None else {"now": moment}
    if running is not None:
        body["running"] = running
    endpoint = f"{url.rstrip('/')}/__sim__/clock"
    try:
        if body:
            answer = requests.post(endpoint, json=body, timeout=10)
        else:
            answer = requests.get(endpoint, timeout=10)
    except requests.RequestException as exc:
        raise SourceError(
            f"no simulator answered at {url}: {type(exc).__name__}",
            hint="start one with `auditor simulate`, or pass its address with --url",
        ) from None
    if answer.status_code != 200:
        raise UsageError(f"the simulator refused {moment!r}: {answer.text.strip()[:200]}")
    state = answer.json()
    click.echo(f"{state['now']} ({'running' if state['running'] else 'frozen'})")
