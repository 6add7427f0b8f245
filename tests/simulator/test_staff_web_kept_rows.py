"""Rows kept between requests never show through: a long-running simulator serves each page
exactly as a fresh one does, whatever order the served moments come in."""

from __future__ import annotations

from datetime import datetime

import pytest

from auditor.domain import Role
from auditor.simulator.dataset import Dataset
from auditor.simulator.generator import generate_demo
from auditor.simulator.http import SimRequest
from auditor.simulator.server import Simulator, build_simulator

# Through September's setup and first lessons, then back in time and forward again.
MOMENTS = (
    "2025-08-25T09:00",
    "2025-09-01T07:00",
    "2025-09-01T23:50",
    "2025-09-08T12:00",
    "2025-09-03T18:00",
    "2025-09-16T23:50",
    "2025-09-01T12:00",
    "2025-09-30T23:50",
)


@pytest.fixture(scope="module")
def demo() -> Dataset:
    dataset, _key = generate_demo(seed=2025, year=2025)
    return dataset


def viewers(dataset: Dataset) -> list[int]:
    """An operator, a head of department and a teacher."""
    wanted = (Role.OPERATOR, Role.HEAD, Role.TEACHER)
    return [next(s.id for s in dataset.staff if role in s.roles) for role in wanted]


def pages(dataset: Dataset) -> list[tuple[str, dict[str, str]]]:
    journals = [
        (f"/groups/{g.id}/journal/", {"month": month})
        for g in dataset.groups[:: len(dataset.groups) // 12]
        for month in ("2025-08", "2025-09")
    ]
    students = [("/students/", {"page": str(n)}) for n in (1, 2, 7)]
    setup = [(p, {}) for p in ("/", "/groups/", "/staff/", "/schedule/", "/structure/")]
    return journals + students + setup


def serve(sim: Simulator, cookie: str, moment: datetime, path: str, query: dict[str, str]) -> bytes:
    sim.clock.set(moment)
    answer = sim.handle(SimRequest("GET", path, query, {"cookie": cookie}))
    return f"{answer.status} ".encode() + answer.body


def test_a_long_running_simulator_serves_what_a_fresh_one_does(demo: Dataset) -> None:
    tz = demo.institution.tz
    moments = [datetime.fromisoformat(m).replace(tzinfo=tz) for m in MOMENTS]
    long_running = build_simulator(demo, moments[0])
    cookies = {v: f"sessionid={long_running.sessions.create(v)}" for v in viewers(demo)}
    for moment in moments:
        fresh = build_simulator(demo, moment)
        for viewer, cookie in cookies.items():
            fresh_cookie = f"sessionid={fresh.sessions.create(viewer)}"
            for path, query in pages(demo):
                kept = serve(long_running, cookie, moment, path, query)
                assert kept == serve(fresh, fresh_cookie, moment, path, query), (
                    moment,
                    viewer,
                    path,
                    query,
                )
