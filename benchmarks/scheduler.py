"""Benchmark: the scheduler's mail jobs on the demo institution, on a simulated clock.

Copies the demo's store, then runs the department heads' digests (07:30) and the teachers'
evening reminders (20:00) of every working day from 15 to 30 September 2025 through the
scheduler's runner, mailing to an SMTP server on 127.0.0.1 (the demo's mailbox). The
reminders' own syncs have no site here and fail fast (a closed port): the reminders use
the store's last observations, as the scheduler does when a sync fails. Target: a morning's
digests for the whole institution, mailed, within 5 s on the 2-core machine. Run the demo
first, then, from the repository root:

    .venv/bin/auditor demo --out /tmp/demo
    .venv/bin/python benchmarks/scheduler.py /tmp/demo

The last line is machine-readable:

    RESULT digest_runs=… digest_run_s=… reminder_runs=… reminder_run_s=… mails=… seconds=…
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

# This folder holds a script named rules.py, which would shadow the `rules` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from auditor.config import SourceConfig, StoreConfig, load_config  # noqa: E402
from auditor.demo.mailbox import mailbox_server  # noqa: E402
from auditor.demo.scheduled import demo_schedule_config  # noqa: E402
from auditor.schedule.agenda import JobId, agenda  # noqa: E402
from auditor.schedule.duties import Duties  # noqa: E402
from auditor.schedule.runner import JobRunner, timeline  # noqa: E402
from auditor.simulator.dataset import load_dataset  # noqa: E402
from auditor.store import SqlStore  # noqa: E402


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(demo_dir: Path) -> None:
    base = load_config(demo_dir / "demo.toml")
    dataset = load_dataset(demo_dir / "dataset.json")
    work = Path(tempfile.mkdtemp(prefix="bench-scheduler-"))
    shutil.copy(Path(base.store.data_dir) / "auditor.sqlite3", work / "auditor.sqlite3")
    with sqlite3.connect(work / "auditor.sqlite3") as db:  # the demo's own scheduler's
        db.executescript("DELETE FROM job_runs; DELETE FROM schedule_jobs; DELETE FROM deliveries;")
    tz = base.institution.tz
    start = datetime(2025, 9, 15, 6, 0, tzinfo=tz)
    end = datetime(2025, 9, 30, 21, 0, tzinfo=tz)
    port = closed_port()
    source = SourceConfig(base_url=f"http://127.0.0.1:{port}", username="operator",
                          password_env="BENCH_PASSWORD", max_retries=0, timeout_s=1.0)  # fmt: skip
    with mailbox_server(work / "mail") as (mailbox, mail_port):
        config = replace(demo_schedule_config(base, dataset, mail_port), source=source,
                         store=StoreConfig(data_dir=str(work)))  # fmt: skip
        clock_now = [start]
        with SqlStore.open_path(work / "auditor.sqlite3") as store:
            duties = Duties(config, store, lambda: clock_now[0], {"BENCH_PASSWORD": "x"},
                            sleep=lambda _s: None)  # fmt: skip
            jobs = [j for j in agenda(config) if j.id in (JobId.DIGESTS, JobId.REMINDER)]
            runner = JobRunner(jobs, store, duties, lambda: clock_now[0])
            spent: dict[str, list[float]] = {"digests": [], "reminder": []}
            began = time.perf_counter()
            for moment, job in timeline(jobs, start, end):
                clock_now[0] = moment
                t0 = time.perf_counter()
                runner.run_due(job.id)
                spent[job.id.value].append(time.perf_counter() - t0)
                print(f"{moment:%d.%m %H:%M} {job.id.value:9} {spent[job.id.value][-1]:.2f} s")
            total = time.perf_counter() - began
    digests, reminders = spent["digests"], spent["reminder"]
    print(f"digests: {len(digests)} runs, {sum(digests) / len(digests):.2f} s each; "
          f"reminders: {len(reminders)} runs, {sum(reminders) / len(reminders):.2f} s each; "
          f"{len(mailbox.files)} mails; {total:.1f} s")  # fmt: skip
    print(
        f"RESULT digest_runs={len(digests)} digest_run_s={sum(digests) / len(digests):.2f} "
        f"reminder_runs={len(reminders)} reminder_run_s={sum(reminders) / len(reminders):.2f} "
        f"mails={len(mailbox.files)} seconds={total:.1f}"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output"))
