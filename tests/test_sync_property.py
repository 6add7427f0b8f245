"""Property: a sync whose pages arrive garbled or cut short never writes part of a run.

A transport adapter damages one answer of the crawl (chosen by hypothesis: which one, and
how). Whatever happens, the sync either records one complete run or raises an
:class:`AuditorError` and leaves the store byte-for-byte as it was; never another exception.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter

from auditor.errors import AuditorError
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, running_simulator
from auditor.store import SqlStore
from tests.source.simsync import dump, make_session, sync_at

TZ = ZoneInfo("Asia/Novokuznetsk")
START = datetime(2025, 9, 15, 22, 0, tzinfo=TZ)


class Damage(HTTPAdapter):
    """Damages the ``target``-th answer (counting from 0) with ``how``."""

    def __init__(self, target: int, how: tuple[str, float, str]) -> None:
        super().__init__()
        self.target, self.how, self.count = target, how, 0

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().send(request, *args, **kwargs)
        if self.count == self.target:
            response._content = garble(response.content, self.how)
        self.count += 1
        return response


def garble(body: bytes, how: tuple[str, float, str]) -> bytes:
    kind, where, junk = how
    at = int(len(body) * where)
    if kind == "cut":
        return body[:at]
    if kind == "insert":
        return body[:at] + junk.encode("utf-8") + body[at:]
    if kind == "delete":
        return body[:at] + body[at + 1 + len(junk) * 7 :]
    digits = [i for i, b in enumerate(body) if 0x30 <= b <= 0x39]  # "digit": change a number
    if not digits:
        return body
    i = digits[int(where * (len(digits) - 1))]
    return body[:i] + bytes([0x30 + (body[i] - 0x30 + 1) % 10]) + body[i + 1 :]


@pytest.fixture(scope="module")
def simulator(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(tiny_dataset, START) as served:
        yield served


@pytest.fixture(scope="module")
def baseline(simulator: tuple[str, Simulator], tiny_dataset: Dataset) -> Iterator[Path]:
    """A store with one good sync, copied afresh for every example."""
    base_url, sim = simulator
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "baseline.sqlite3"
        store = SqlStore.open_path(path)
        sync_at(sim, make_session(base_url, tiny_dataset), store, START - timedelta(hours=4))
        store.close()
        yield path


def runs(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM runs").fetchone()[0])
    finally:
        connection.close()


COUNTER = itertools.count()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    target=st.integers(min_value=0, max_value=10),
    how=st.tuples(
        st.sampled_from(["cut", "insert", "delete", "digit"]),
        st.floats(min_value=0.0, max_value=1.0),
        st.text(alphabet="<>/\"'=a-z0-9 тд", max_size=12),
    ),
)
def test_damaged_answer_never_writes_part_of_a_run(
    simulator: tuple[str, Simulator],
    baseline: Path,
    tiny_dataset: Dataset,
    target: int,
    how: tuple[str, float, str],
) -> None:
    base_url, sim = simulator
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "auditor.sqlite3"
        path.write_bytes(baseline.read_bytes())
        before = dump(path)
        session = make_session(base_url, tiny_dataset)
        session.http.session.mount("http://", Damage(target, how))
        store = SqlStore.open_path(path)
        try:
            moment = START + timedelta(minutes=next(COUNTER))
            try:
                sync_at(sim, session, store, moment)
            except AuditorError:
                assert dump(path) == before
            else:
                assert runs(path) == 2  # one whole run more, nothing less
        finally:
            store.close()
