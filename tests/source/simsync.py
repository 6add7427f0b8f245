"""Helpers for tests that sync against the simulator: sessions, clocks, store dumps."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import requests

from auditor.domain import Role
from auditor.simulator.dataset import Dataset, staff_credential
from auditor.simulator.generator import generate_demo
from auditor.simulator.server import Simulator
from auditor.source.http import HttpClient
from auditor.source.staff_web import StaffWebSession
from auditor.store.interface import Store
from auditor.sync.run import SyncOutcome, sync_staff


@functools.cache
def demo_dataset() -> Dataset:
    """The generated demo institution (deterministic; built once per test process)."""
    dataset, _key = generate_demo()
    return dataset


def make_session(
    base_url: str,
    dataset: Dataset,
    *,
    password: str | None = None,
    sleeps: list[float] | None = None,
    timeout_s: float = 10.0,
) -> StaffWebSession:
    """A session as the CLI builds it, but never sleeping for real (waits are recorded)."""
    cred = staff_credential(dataset, Role.OPERATOR)
    waits = sleeps if sleeps is not None else []
    http = HttpClient(
        requests.Session(),
        base_url,
        timeout_s=timeout_s,
        user_agent="Mozilla/5.0 (test)",
        sleep=waits.append,
        backoff_s=0.01,
    )
    return StaffWebSession(
        http, cred.login, cred.password if password is None else password, config_key="source"
    )


def fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def sync_at(
    sim: Simulator,
    session: StaffWebSession,
    store: Store,
    moment: datetime,
    *,
    full: bool = False,
    concurrency: int = 2,
) -> SyncOutcome:
    """Move the simulator's clock to ``moment`` and sync as of then."""
    sim.clock.set(moment)
    return sync_staff(
        session,
        store,
        clock=fixed(moment),
        tz=sim.tz,
        full=full,
        concurrency=concurrency,
    )


def dump(path: Path) -> list[str]:
    """Every row of an SQLite store, as SQL: equal dumps mean an unchanged store."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()
