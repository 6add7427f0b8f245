"""The simulator and generator commands, run as a user runs them: real processes, real HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from auditor.cli import main
from auditor.simulator.answer_key import AnswerKey
from auditor.simulator.dataset import load_dataset
from auditor.simulator.process import simulator_process
from tests.conftest import KEMEROVO


@pytest.fixture()
def served_tiny(tiny_dataset_path: Path) -> Iterator[str]:
    """`auditor simulate --dataset` as a child process, as a user starts it."""
    at = datetime(2025, 9, 15, 22, 0, tzinfo=KEMEROVO)
    with simulator_process(at, dataset=tiny_dataset_path) as sim:
        assert sim.base_url.startswith("http://127.0.0.1:")
        yield sim.base_url


def test_simulate_serves_a_hand_written_dataset(served_tiny: str) -> None:
    session = requests.Session()
    form = session.get(f"{served_tiny}/accounts/login/", timeout=5)
    token = form.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = session.post(
        f"{served_tiny}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "operator",
            "password": "tiny-operator-pass",
        },
        timeout=5,
    )
    assert answer.status_code == 200 and "sessionid" in session.cookies
    journal = session.get(f"{served_tiny}/groups/100/journal/?month=2025-09", timeout=5)
    assert "Тёплые и холодные цвета" in journal.text  # entered 21:40, clock at 22:00
    clock = requests.get(f"{served_tiny}/__sim__/clock", timeout=5).json()
    assert clock["now"].startswith("2025-09-15T22:00")


def test_simulate_rejects_a_broken_dataset_with_exit_10(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "ruobr-auditor-dataset", "version": 1}), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "simulate", "--dataset", str(broken), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 10
    assert result.stderr.startswith("error: ") and "institution: required key" in result.stderr
    assert "Traceback" not in result.stderr


def test_simulate_rejects_a_bad_fault_spec(tiny_dataset_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "simulate",
            "--dataset",
            str(tiny_dataset_path),
            "--fault",
            "explode=1",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--fault" in result.stderr


def test_generate_writes_dataset_and_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "generate", "--out", str(tmp_path), "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    dataset = load_dataset(tmp_path / "dataset.json")
    key = AnswerKey.load(tmp_path / "answer-key.json")
    assert len(dataset.groups) == 120 and len(key.violations) > 0


def test_a_port_in_use_is_a_usage_error_not_a_crash(tiny_dataset_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "auditor", "simulate", "--dataset", str(tiny_dataset_path),
             "--port", str(port)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert f"error: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_simulators_clock_is_set_from_the_cli(served_tiny: str) -> None:
    result = CliRunner().invoke(main, ["sim-clock", "2025-09-15T22:30", "--url", served_tiny])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2025-09-15T22:30:00+07:00 (frozen)")
    shown = CliRunner().invoke(main, ["sim-clock", "--url", served_tiny])
    assert shown.output.startswith("2025-09-15T22:30:00+07:00")
    bad = CliRunner().invoke(main, ["sim-clock", "tomorrow", "--url", served_tiny])
    assert bad.exit_code == 2 and "refused 'tomorrow'" in bad.output
    gone = CliRunner().invoke(main, ["sim-clock", "--url", "http://127.0.0.1:9"])
    assert gone.exit_code == 4 and "no simulator answered" in gone.output
