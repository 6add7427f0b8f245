"""Benchmark: the demo's simulated month, as ``auditor demo`` replays it (step [3/5]).

The simulator runs in a child process on 127.0.0.1 (``auditor simulate``, the demo's seed
and year) and its clock moves from poll to poll: 07:00 and 23:50 every day of September,
then 07:00 on 1 October, 61 syncs through :func:`auditor.demo.replay.replay` into a fresh
SQLite store, exactly as :func:`auditor.demo.month.run_month` does (without the audit that
follows it). Run it from the repository root:

    .venv/bin/python benchmarks/replay.py [STORE]

``STORE`` keeps the replayed store at that path (to compare two versions' rows); without
it the store goes into a temporary directory. Wall time varies with other jobs on the
machine much more than CPU time, so both are printed: this process's (the syncs: HTTP,
parsing, diffing, SQLite) and the child's (the simulator: rendering and serving pages;
its figure includes generating the dataset at start-up, ~3 s). The last line is
machine-readable:

    RESULT replay_s=… syncs=… requests=… sync_cpu_s=… simulator_cpu_s=…
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# benchmarks/rules.py would shadow the rules package that the demo's month imports
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from auditor.commands.simulate_cmd import DEMO_SEED, DEMO_YEAR  # noqa: E402
from auditor.demo.month import month_moments  # noqa: E402
from auditor.demo.replay import replay, simulator_config  # noqa: E402
from auditor.simulator.generator import generate_demo  # noqa: E402
from auditor.simulator.process import simulator_process  # noqa: E402
from auditor.store import SqlStore  # noqa: E402


def cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    keep = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    dataset, _key = generate_demo(seed=DEMO_SEED, year=DEMO_YEAR)
    moments = month_moments(dataset, date(DEMO_YEAR, 9, 1), date(DEMO_YEAR, 9, 30))
    with tempfile.TemporaryDirectory() as folder:
        path = keep or Path(folder) / "auditor.sqlite3"
        path.unlink(missing_ok=True)
        with simulator_process(moments[0], seed=DEMO_SEED, year=DEMO_YEAR) as sim:
            config, environ = simulator_config(sim.base_url, dataset)
            assert sim.base_url.startswith("http://127.0.0.1:")
            with SqlStore.open_path(path) as store:
                began, cpu_began = time.perf_counter(), cpu_s(resource.RUSAGE_SELF)
                outcomes = replay(sim.set_clock, config, environ, store, moments)
                wall = time.perf_counter() - began
                sync_cpu = cpu_s(resource.RUSAGE_SELF) - cpu_began
        simulator_cpu = cpu_s(resource.RUSAGE_CHILDREN)  # the child, reaped on exit
    requests = sum(o.snapshot.transfer.requests for o in outcomes)
    pages = sum(o.snapshot.transfer.pages for o in outcomes)
    print(f"{len(outcomes)} syncs, {requests} requests ({pages} pages) in {wall:.1f} s")
    print(f"CPU: syncs {sync_cpu:.1f} s, simulator {simulator_cpu:.1f} s (with its start-up)")
    print(
        f"RESULT replay_s={wall:.1f} syncs={len(outcomes)} requests={requests} "
        f"sync_cpu_s={sync_cpu:.1f} simulator_cpu_s={simulator_cpu:.1f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
