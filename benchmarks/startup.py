"""Benchmark: how long the CLI takes to start, as a user types it.

Runs ``auditor --help`` and ``auditor rules list`` as whole processes several times and
prints the median wall time of each. Target: within half a second each (the commands
import pandas, SQLAlchemy and the connector only when they run). Run from the repository
root:

    .venv/bin/python benchmarks/startup.py

The last line is machine-readable:

    RESULT help_s=… rules_list_s=…
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
AUDITOR = str(Path(sys.executable).with_name("auditor"))


def median_seconds(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        subprocess.run([AUDITOR, *args], check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    help_s = median_seconds(["--help"])
    rules_s = median_seconds(["rules", "list"])
    print(f"auditor --help: {help_s:.3f} s; auditor rules list: {rules_s:.3f} s ({RUNS} runs)")
    print(f"RESULT help_s={help_s:.3f} rules_list_s={rules_s:.3f}")


if __name__ == "__main__":
    main()
