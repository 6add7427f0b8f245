"""Every fault mode of the simulator ends in a complete sync or a clear error, and an error
leaves the store exactly as it was (compared as a full SQL dump before and after)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from auditor.errors import AuditorError, AuthError, LoginRefusedError, SiteChangedError, SourceError
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, running_simulator
from auditor.source.staff_web import StaffWebSession
from auditor.store import SqlStore
from auditor.sync.run import sync_staff
from tests.source.simsync import dump, make_session, sync_at

TZ = ZoneInfo("Asia/Novokuznetsk")
BASELINE = datetime(2025, 9, 15, 18, 0, tzinfo=TZ)
LATER = datetime(2025, 9, 15, 22, 0, tzinfo=TZ)


@dataclass
class Rig:
    base_url: str
    sim: Simulator
    store: SqlStore
    path: Path
    session: StaffWebSession
    sleeps: list[float]
    posts: list[str]

    def faults(self, spec: str) -> None:
        answer = requests.post(f"{self.base_url}/__sim__/faults", json={"spec": spec}, timeout=5)
        answer.raise_for_status()

    def fresh_session(self, dataset: Dataset, **kwargs: Any) -> StaffWebSession:
        self.session = make_session(self.base_url, dataset, sleeps=self.sleeps, **kwargs)
        self.session.http.session.hooks["response"].append(self._count_post)
        return self.session

    def _count_post(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.request.method == "POST":
            self.posts.append(str(response.request.url))


@pytest.fixture
def rig(tiny_dataset: Dataset, tmp_path: Path) -> Iterator[Rig]:
    """A simulator and a store that already holds one good sync (so "unchanged" means
    something), with a fresh session for the run under test."""
    path = tmp_path / "auditor.sqlite3"
    with running_simulator(tiny_dataset, BASELINE) as (base_url, sim):
        store = SqlStore.open_path(path)
        try:
            sync_at(sim, make_session(base_url, tiny_dataset), store, BASELINE)
            setup = Rig(base_url, sim, store, path, None, [], [])  # type: ignore[arg-type]
            setup.fresh_session(tiny_dataset)
            yield setup
        finally:
            store.close()


def fails_cleanly(rig: Rig, error: type[AuditorError], match: str) -> AuditorError:
    before = dump(rig.path)
    with pytest.raises(error, match=match) as caught:
        sync_at(rig.sim, rig.session, rig.store, LATER)
    assert dump(rig.path) == before, "a failed sync wrote to the store"
    return caught.value


def completes(rig: Rig, *, concurrency: int = 2) -> None:
    before = dump(rig.path)
    outcome = sync_at(rig.sim, rig.session, rig.store, LATER, concurrency=concurrency)
    assert dump(rig.path) != before
    assert outcome.summary.run_id == 2
    seen = {(x.lesson_id, x.field) for x in outcome.summary.first_seen}
    assert (9001, "topic") in seen  # entered at 21:40, between the two syncs


def test_slow_answers_within_the_timeout_complete(rig: Rig) -> None:
    rig.faults("slow=30ms")
    completes(rig)


def test_answers_slower_than_the_timeout_are_a_clear_error(rig: Rig, tiny_dataset: Dataset) -> None:
    rig.fresh_session(tiny_dataset, timeout_s=0.05)
    rig.faults("slow=300ms")
    error = fails_cleanly(rig, SourceError, "failed after 5 attempts: ReadTimeout")
    assert "source.base_url" in error.hint
    assert rig.sleeps[:4] == [0.01, 0.02, 0.04, 0.08]  # exponential backoff


def test_occasional_5xx_are_retried(rig: Rig) -> None:
    # Sequential requests: the simulator's seeded draws then fall the same way every run.
    rig.faults("5xx=0.3,seed=7")
    completes(rig, concurrency=1)
    assert rig.session.http.stats.retries > 0


def test_a_burst_of_5xx_is_retried(rig: Rig) -> None:
    rig.faults("next-5xx=4")
    completes(rig)
    assert rig.session.http.stats.retries == 4


def test_persistent_5xx_is_a_clear_error(rig: Rig) -> None:
    rig.faults("5xx=1,5xx-status=500")
    fails_cleanly(rig, SourceError, "HTTP 500 after 5 attempts")


def test_429_waits_as_retry_after_says(rig: Rig) -> None:
    rig.faults("next-429=3,retry-after=2")
    completes(rig)
    assert rig.sleeps.count(2.0) == 3  # recorded, not slept: the client's sleep is injected


def test_session_expiry_mid_crawl_logs_in_once_more(rig: Rig) -> None:
    rig.session.ensure_login()
    rig.faults("expire-after=4")
    completes(rig)
    assert rig.session.logins == 2 and len(rig.posts) == 2


def test_changed_layout_names_page_and_element(rig: Rig) -> None:
    rig.faults("layout=changed")
    error = fails_cleanly(rig, SiteChangedError, r"page /\S+: element \S+ not found")
    assert "auditor capture" in error.hint


def test_occasionally_truncated_pages_are_fetched_again(rig: Rig) -> None:
    rig.faults("truncate=0.3,seed=3")
    completes(rig, concurrency=1)  # sequential: the seeded draws fall the same way every run
    assert rig.sim.stats.snapshot()["faults"].get("truncated", 0) > 0


def test_always_truncated_pages_are_a_clear_error(rig: Rig) -> None:
    rig.faults("truncate")
    fails_cleanly(rig, SourceError, "arrived incomplete 3 times")


def test_wrong_password_is_one_login_post_and_names_the_keys(rig: Rig) -> None:
    rig.faults("wrong-credentials")
    error = fails_cleanly(rig, LoginRefusedError, "refused the login 'operator'")
    assert isinstance(error, AuthError)
    assert "source.username" in error.hint and "source.password_env" in error.hint
    assert len(rig.posts) == 1 and rig.session.logins == 1
    assert "tiny-operator-pass" not in error.one_line()


def test_the_sync_counts_every_extra_request_as_retried(rig: Rig) -> None:
    # truncated pages fetched again and an expired session's redirect are retries too
    rig.session.ensure_login()
    rig.faults("truncate=0.3,seed=3,expire-after=4")
    rig.sim.clock.set(LATER)
    served_before = rig.sim.stats.snapshot()["total"]
    outcome = sync_staff(rig.session, rig.store, clock=lambda: LATER, tz=TZ, concurrency=1)
    transfer = outcome.snapshot.transfer
    logins = 1  # the run logs in again once, after the expiry (2 requests)
    assert transfer.retries > 0
    assert transfer.requests == transfer.pages + transfer.retries + 2 * logins
    assert transfer.requests == rig.sim.stats.snapshot()["total"] - served_before
