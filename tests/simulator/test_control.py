"""The control endpoints under /__sim__/: clock, faults, request statistics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests

from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, running_simulator
from auditor.simulator.stats import path_prefix, path_route

START = datetime.fromisoformat("2025-09-15T18:00:00+07:00")


@pytest.fixture
def served(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(tiny_dataset, START) as pair:
        yield pair


def test_clock_get(served: tuple[str, Simulator]) -> None:
    state = requests.get(f"{served[0]}/__sim__/clock").json()
    assert state == {
        "now": "2025-09-15T18:00:00+07:00",
        "running": False,
        "timezone": "Asia/Novokuznetsk",
    }


def test_clock_set_naive_is_local_and_aware_is_converted(served: tuple[str, Simulator]) -> None:
    base, sim = served
    naive = requests.post(f"{base}/__sim__/clock", json={"now": "2025-09-15T22:00"}).json()
    assert naive["now"] == "2025-09-15T22:00:00+07:00"
    assert sim.now() == datetime.fromisoformat("2025-09-15T22:00:00+07:00")
    utc = requests.post(f"{base}/__sim__/clock", json={"now": "2025-09-15T15:00:00Z"}).json()
    assert utc["now"] == "2025-09-15T22:00:00+07:00"


def test_clock_running_and_advance(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    advanced = requests.post(f"{base}/__sim__/clock", json={"advance_s": 3600}).json()
    assert advanced["now"] == "2025-09-15T19:00:00+07:00"
    state = requests.post(f"{base}/__sim__/clock", json={"running": True}).json()
    assert state["running"] is True
    time.sleep(0.05)
    later = datetime.fromisoformat(requests.get(f"{base}/__sim__/clock").json()["now"])
    assert later > datetime.fromisoformat("2025-09-15T19:00:00+07:00")
    stopped = requests.post(f"{base}/__sim__/clock", json={"running": False}).json()
    assert stopped["running"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"now": "yesterday"},
        {"now": 12},
        {"running": "yes"},
        {"advance_s": "1h"},
        {"when": "2025-09-15T22:00"},
        [1, 2],
    ],
)
def test_clock_bad_input_is_400(served: tuple[str, Simulator], body: object) -> None:
    response = requests.post(f"{served[0]}/__sim__/clock", json=body)
    assert response.status_code == 400 and response.json()["error"]


def test_clock_bad_json_is_400(served: tuple[str, Simulator]) -> None:
    response = requests.post(f"{served[0]}/__sim__/clock", data=b"{not json")
    assert response.status_code == 400


def test_faults_set_get_clear(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    assert requests.get(f"{base}/__sim__/faults").json()["spec"] == ""
    state = requests.post(f"{base}/__sim__/faults", json={"spec": "next-5xx=2,slow=10ms"}).json()
    assert state["spec"] == "slow=10ms,next-5xx=2"
    assert state["pending"]["next_5xx"] == 2
    requests.get(f"{base}/")  # consumes one
    assert requests.get(f"{base}/__sim__/faults").json()["pending"]["next_5xx"] == 1
    cleared = requests.delete(f"{base}/__sim__/faults").json()
    assert cleared["spec"] == "" and cleared["pending"]["next_5xx"] == 0
    assert requests.post(f"{base}/__sim__/faults", json={"spec": "429=1"}).ok
    assert requests.post(f"{base}/__sim__/faults", json={"spec": ""}).json()["spec"] == ""


def test_faults_bad_spec_is_400_and_keeps_the_old_faults(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    requests.post(f"{base}/__sim__/faults", json={"spec": "slow=5ms"})
    response = requests.post(f"{base}/__sim__/faults", json={"spec": "slow=never"})
    assert response.status_code == 400 and "slow=never" in response.json()["error"]
    assert requests.post(f"{base}/__sim__/faults", json={"spec": 5}).status_code == 400
    assert requests.get(f"{base}/__sim__/faults").json()["spec"] == "slow=5ms"


def test_stats_count_requests_by_prefix_route_and_status(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    requests.get(f"{base}/accounts/login/")
    requests.get(f"{base}/groups/100/journal/?month=2025-09", allow_redirects=False)
    requests.get(f"{base}/groups/101/journal/", allow_redirects=False)
    requests.get(f"{base}/api3d/user/")
    requests.get(f"{base}/", headers={"X-Sim-Fault": "next-429=1"})
    requests.get(f"{base}/__sim__/clock")  # not counted
    stats = requests.get(f"{base}/__sim__/stats").json()
    assert stats["total"] == 5
    assert stats["by_prefix"] == {"/": 1, "/accounts/": 1, "/api3d/": 1, "/groups/": 2}
    assert stats["by_route"]["/groups/<id>/journal/"] == 2
    assert stats["by_status"] == {"200": 1, "302": 2, "401": 1, "429": 1}
    assert stats["faults"] == {"429": 1}
    reset = requests.post(f"{base}/__sim__/stats/reset").json()
    assert reset["total"] == 0 and reset["by_prefix"] == {}
    assert requests.get(f"{base}/__sim__/stats").json()["total"] == 0


def test_unknown_endpoint_and_wrong_method(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    assert requests.get(f"{base}/__sim__/nothing").status_code == 404
    assert requests.delete(f"{base}/__sim__/clock").status_code == 405
    assert requests.get(f"{base}/__sim__/stats/reset").status_code == 405
    assert "clock" in requests.get(f"{base}/__sim__/").json()["endpoints"]


def test_path_keys() -> None:
    assert path_prefix("/") == "/"
    assert path_prefix("/groups/100/journal/") == "/groups/"
    assert path_prefix("/api3d/timetable2/") == "/api3d/"
    assert path_route("/groups/100/journal/") == "/groups/<id>/journal/"
