"""The simulator in a child process, driven over HTTP like a remote ЭШ 2.0.

The demo and the long end-to-end tests run the simulator in its own process: rendering
pages there and parsing them here then use both cores instead of sharing one interpreter.
The child serves the same deterministic demo (same seed and year), or a dataset file; its
clock is set through ``POST /__sim__/clock``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import requests

from auditor.errors import SourceError


@dataclass(frozen=True, slots=True)
class RemoteSimulator:
    base_url: str

    def set_clock(self, moment: datetime) -> None:
        answer = requests.post(
            f"{self.base_url}/__sim__/clock", json={"now": moment.isoformat()}, timeout=10
        )
        answer.raise_for_status()

    def stats(self) -> dict[str, object]:
        data: dict[str, object] = requests.get(f"{self.base_url}/__sim__/stats", timeout=10).json()
        return data


@contextmanager
def simulator_process(
    at: datetime,
    *,
    seed: int = 2025,
    year: int = 2025,
    dataset: Path | None = None,
    faults: str = "",
) -> Iterator[RemoteSimulator]:
    """Start ``auditor simulate`` on 127.0.0.1 (any free port); stop it on exit."""
    command = [sys.executable, "-m", "auditor", "simulate", "--port", "0", "--at", at.isoformat()]
    command += (
        ["--dataset", str(dataset)] if dataset else ["--seed", str(seed), "--year", str(year)]
    )
    if faults:
        command += ["--fault", faults]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        url = ""
        for line in child.stdout:  # the banner names the login URL once the server listens
            if "/accounts/login/" in line:
                url = line.split()[3].removesuffix("/accounts/login/")
                break
        if not url:
            error = child.stderr.read() if child.stderr else ""
            raise SourceError(f"the simulator did not start: {error.strip()[:300]}")
        yield RemoteSimulator(url)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
