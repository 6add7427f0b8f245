"""``auditor serve`` as a process: its catch-up on start, APScheduler's persistent job store
in the store's database, one scheduler per store, SIGTERM, and ``auditor status``.

The source is a closed port on 127.0.0.1, so the sync it catches up on start fails: the
failure is recorded with its reason, and the scheduler keeps running. (The jobs' work on a
real simulator is tests/test_scheduler_fortnight.py's.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.schedule.agenda import agenda
from auditor.store import SqlStore
from tests.smtp_server import free_port

ENV = {**os.environ, "AUDITOR_TEST_SOURCE_PASSWORD": "not-a-real-password"}


def write_config(folder: Path) -> Path:
    path = folder / "auditor.toml"
    path.write_text(
        f"""
[institution]
name = "ЦТ Тестовый"

[store]
data_dir = "{folder / "data"}"

[source]
base_url = "http://127.0.0.1:{free_port()}"
mobile_base_url = "http://127.0.0.1:{free_port()}/api3d"
username = "operator"
password_env = "AUDITOR_TEST_SOURCE_PASSWORD"
max_retries = 0
timeout_s = 2.0

[schedule]
sync_times = ["07:00", "23:50"]
""",
        encoding="utf-8",
    )
    return path


def auditor(*args: str) -> list[str]:
    return [sys.executable, "-m", "auditor", *args]


class Serving:
    def __init__(self, config: Path) -> None:
        self.process = subprocess.Popen(
            auditor("--config", str(config), "serve"), env=ENV, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.lines: list[str] = []
        started = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                if line.lstrip().startswith("sync ") and " next " in line:
                    started.set()

        threading.Thread(target=read, daemon=True).start()
        if not started.wait(60):
            self.process.kill()
            raise AssertionError(f"serve did not start: {self.lines} {self.process.stderr}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.process.send_signal(sig)
        return self.process.wait(30)


@pytest.fixture
def config_path(tmp_path: Path) -> Iterator[Path]:
    path = write_config(tmp_path)
    config = load_config(path)
    # The scheduler knew its jobs since two days ago and was down since: on start it owes
    # the latest sync (the earlier ones are superseded).
    with SqlStore.open_path(config.store.data_path / "auditor.sqlite3") as store:
        triggers = {job.id.value: job.trigger.describe() for job in agenda(config)}
        store.register_jobs(triggers, datetime.now(config.institution.tz) - timedelta(days=2))
    yield path


def status(config: Path) -> str:
    done = subprocess.run(auditor("--config", str(config), "status"), env=ENV, text=True,
                          capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_serve_catches_up_runs_alone_and_stops_on_sigterm(config_path: Path) -> None:
    serving = Serving(config_path)
    try:
        caught = [line for line in serving.lines if line.startswith("caught up:")]
        assert len(caught) == 1 and caught[0].startswith("caught up: sync due ")
        # the closed port: recorded, not fatal (late or not depends on the hour it runs)
        assert caught[0].endswith(("failed", "failed (late)"))
        assert serving.process.poll() is None

        # APScheduler's jobs are in the store's own database, with their next run
        database = load_config(config_path).store.data_path / "auditor.sqlite3"
        with sqlite3.connect(database) as db:
            stored = db.execute("SELECT id, next_run_time FROM apscheduler_jobs").fetchall()
        assert [row[0] for row in stored] == ["sync"] and stored[0][1] > 0

        shown = status(config_path)
        assert f"scheduler: running as {os.uname().nodename}:{serving.process.pid}" in shown
        assert "failed runs in the last 7 days: 1" in shown and "SourceError" in shown
        assert "skipped runs (missed while stopped) in the last 7 days: " in shown
        assert "mail: disabled (mail.enabled = false): no report jobs" in shown

        second = subprocess.run(auditor("--config", str(config_path), "serve"), env=ENV,
                                text=True, capture_output=True, timeout=60)  # fmt: skip
        assert second.returncode == 12
        assert f"another scheduler runs on this store: {os.uname().nodename}:" in second.stderr
    finally:
        code = serving.stop()
    assert code == 0 and serving.lines[-1] == "scheduler stopped"
    assert "scheduler: not running" in status(config_path)


def test_a_killed_scheduler_does_not_block_the_next(config_path: Path) -> None:
    first = Serving(config_path)
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    assert "NOT RUNNING (stopped without releasing its lease" in status(config_path)
    second = Serving(config_path)  # the dead owner on this host is recognised at once
    try:
        # nothing is owed twice: the sync due before the first start is not run again
        assert not [line for line in second.lines if line.startswith("caught up:")]
    finally:
        assert second.stop() == 0


def test_serve_refuses_to_start_without_its_passwords(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    env = {k: v for k, v in ENV.items() if k != "AUDITOR_TEST_SOURCE_PASSWORD"}
    done = subprocess.run(auditor("--config", str(config), "serve"), env=env, text=True,
                          capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 3
    assert "AUDITOR_TEST_SOURCE_PASSWORD is not set" in done.stderr


def test_schedule_settings_are_checked(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        'sync_times = ["07:00", "23:50"]',
        'sync_times = ["7 утра"]\nmonthly_day = 31\nsetup_from = "31-08"',
    )
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(auditor("--config", str(path), "config", "check"), env=ENV,
                          text=True, capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 3
    for problem in ("schedule.sync_times[0]: expected a local time HH:MM",
                    "schedule.monthly_day: expected 1..28",
                    "schedule.setup_from: expected MM-DD"):  # fmt: skip
        assert problem in done.stderr + done.stdout
