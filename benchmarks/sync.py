"""Benchmark: a full-year sync of the demo institution and one daily sync after it.

The simulator answers every request 20 ms late (fault ``slow=20ms``, standing in for the
network) and the connector reads with concurrency 2, as configured by default. The store is
a fresh SQLite file. Run it from the repository root:

    .venv/bin/python benchmarks/sync.py

Targets: the full year within 120 s; the daily sync's requests at most the groups with
lessons in its window plus a small constant (the institution pages and the login).
The last line is machine-readable:

    RESULT full_year_s=… full_year_requests=… daily_requests=… daily_groups_with_lessons=… daily_s=…
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

import requests

from auditor.domain import Role
from auditor.simulator.dataset import CredentialKind, Dataset
from auditor.simulator.faults import FaultConfig
from auditor.simulator.generator import generate_demo
from auditor.simulator.server import Simulator, running_simulator
from auditor.source.http import HttpClient
from auditor.source.staff_web import StaffWebSession
from auditor.store import SqlStore
from auditor.sync.run import SyncOutcome, sync_staff

LATENCY = "slow=20ms"
CONCURRENCY = 2
FULL_AT = "2026-05-27T23:50"  # a Wednesday near the end of the academic year
DAILY_AT = "2026-05-28T23:50"  # the next evening's daily sync


def session(base_url: str, dataset: Dataset) -> StaffWebSession:
    """A fresh session: each scheduled sync is a new process that logs in."""
    operators = {s.id for s in dataset.staff if Role.OPERATOR in s.roles}
    login = next(
        c
        for c in dataset.credentials
        if c.kind is CredentialKind.STAFF and c.person_id in operators
    )
    http = HttpClient(requests.Session(), base_url, timeout_s=30, min_interval_s=0.0)
    return StaffWebSession(http, login.login, login.password, config_key="source")


def run(base_url: str, sim: Simulator, dataset: Dataset, store: SqlStore, at: str) -> SyncOutcome:
    moment = datetime.fromisoformat(at).replace(tzinfo=dataset.institution.tz)
    sim.clock.set(moment)
    return sync_staff(
        session(base_url, dataset),
        store,
        clock=lambda: moment,
        tz=dataset.institution.tz,
        concurrency=CONCURRENCY,
    )


def main() -> None:
    dataset, _key = generate_demo()
    tz = dataset.institution.tz
    start = datetime.fromisoformat(FULL_AT).replace(tzinfo=tz)
    with (
        tempfile.TemporaryDirectory() as folder,
        running_simulator(dataset, start, faults=FaultConfig.parse(LATENCY)) as (base_url, sim),
    ):
        store = SqlStore.open_path(Path(folder) / "auditor.sqlite3")
        try:
            full = run(base_url, sim, dataset, store, FULL_AT)
            daily = run(base_url, sim, dataset, store, DAILY_AT)
        finally:
            store.close()
    assert full.plan is not None and daily.plan is not None
    plan = daily.plan
    day = datetime.fromisoformat(DAILY_AT).date()
    today = len({x.group_id for x in dataset.lessons if x.date == day})
    print(
        f"full year: {full.snapshot.transfer.pages} pages, {len(full.plan.months)} journal "
        f"months, {full.snapshot.transfer.bytes / 1e6:.1f} MB, {full.elapsed_s:.1f} s, "
        f"{full.summary.new_lessons} lessons"
    )
    print(
        f"daily {DAILY_AT}: {len(plan.months)} journal months = groups with a slot on "
        f"{plan.window[0]:%d.%m}–{plan.window[-1]:%d.%m}: {len(plan.groups_with_lessons)} "
        f"(with lessons on {day:%d.%m} itself: {today}), without a schedule: "
        f"{len(plan.unscheduled)}, still-open months: {plan.reopened}; plus "
        f"{daily.snapshot.transfer.pages - len(plan.months)} institution pages and the "
        f"login; {daily.summary.changes} changes, {len(daily.summary.first_seen)} "
        f"first-seen entries"
    )
    print(
        f"RESULT full_year_s={full.elapsed_s:.1f} "
        f"full_year_requests={full.snapshot.transfer.requests} "
        f"daily_requests={daily.snapshot.transfer.requests} "
        f"daily_groups_with_lessons={len(plan.groups_with_lessons)} "
        f"daily_s={daily.elapsed_s:.1f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
