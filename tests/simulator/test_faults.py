"""Fault modes: the spec parser, the injector's draws, and every mode over real HTTP."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests
from bs4 import BeautifulSoup

from auditor.simulator.dataset import Dataset
from auditor.simulator.fault_injector import FaultInjector
from auditor.simulator.faults import FaultConfig, FaultSpecError
from auditor.simulator.server import Simulator, running_simulator
from auditor.simulator.staff_login import LOGIN_ERROR

NOW = datetime.fromisoformat("2025-09-30T12:00:00+07:00")
JOURNAL = "/groups/100/journal/?month=2025-09"

# ---------------------------------------------------------------------------
# The spec parser


def test_parse_the_full_example() -> None:
    spec = (
        "slow=200ms,5xx=0.1,429=0.05,expire-after=30,layout=changed,truncate=0.2,wrong-credentials"
    )
    config = FaultConfig.parse(spec)
    assert config == FaultConfig(
        delay_s=0.2,
        error_rate=0.1,
        throttle_rate=0.05,
        expire_after=30,
        layout_changed=True,
        truncate_rate=0.2,
        wrong_credentials=True,
    )
    assert FaultConfig.parse(config.to_spec()) == config


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", FaultConfig()),
        ("  ,  ", FaultConfig()),
        ("slow=1.5s", FaultConfig(delay_s=1.5)),
        ("slow=250", FaultConfig(delay_s=0.25)),  # a bare number is milliseconds
        ("5xx=10%", FaultConfig(error_rate=0.1)),
        ("5xx=1,5xx-status=500", FaultConfig(error_rate=1.0, error_status=500)),
        (
            "next-5xx=2,next-429=1,retry-after=7",
            FaultConfig(next_5xx=2, next_429=1, retry_after_s=7),
        ),
        ("expire-now", FaultConfig(expire_after=0)),
        ("truncate", FaultConfig(truncate_rate=1.0)),
        ("LAYOUT=changed, seed=42", FaultConfig(layout_changed=True, seed=42)),
        ("5xx=0.5,5xx=0", FaultConfig()),  # the last value wins
    ],
)
def test_parse_items(spec: str, expected: FaultConfig) -> None:
    assert FaultConfig.parse(spec) == expected


def test_parse_reports_every_bad_item_at_once() -> None:
    with pytest.raises(FaultSpecError) as caught:
        FaultConfig.parse("slow=fast,5xx=2,bogus=1,next-429=-1,5xx-status=502,layout=weird,oops")
    assert len(caught.value.problems) == 7
    assert "fault spec" in caught.value.one_line()


def test_with_spec_applies_over_a_config() -> None:
    base = FaultConfig(delay_s=0.1, error_rate=0.5)
    assert base.with_spec("5xx=0") == FaultConfig(delay_s=0.1)
    assert FaultConfig().is_clean and not base.is_clean


# ---------------------------------------------------------------------------
# The injector's draws


def test_next_n_counters_are_exact() -> None:
    injector = FaultInjector(FaultConfig.parse("next-5xx=2,next-429=1,retry-after=9"))
    statuses = [injector.decide().fail_status for _ in range(5)]
    assert statuses == [503, 503, 429, None, None]


def test_rates_are_seeded_and_repeatable() -> None:
    def draws(seed: int) -> list[int | None]:
        injector = FaultInjector(FaultConfig.parse("5xx=0.3,429=0.3"), seed=seed)
        return [injector.decide().fail_status for _ in range(50)]

    assert draws(1) == draws(1)
    assert draws(1) != draws(2)
    assert {503, 429, None} == set(draws(1))


def test_expire_after_counts_requests_then_stops() -> None:
    injector = FaultInjector()
    assert injector.configure(FaultConfig(expire_after=2)) is False
    assert [injector.decide().expire_sessions for _ in range(5)] == [
        False,
        False,
        True,
        False,
        False,
    ]
    assert injector.configure(FaultConfig(expire_after=0)) is True  # now


def test_header_faults_do_not_touch_the_run() -> None:
    injector = FaultInjector(FaultConfig(next_5xx=1))
    assert injector.decide("next-429=1").fail_status == 429
    assert injector.decide().fail_status == 503  # the run's counter was kept for this one
    assert injector.decide().fail_status is None


# ---------------------------------------------------------------------------
# Every mode over HTTP


def login(session: requests.Session, base: str, password: str = "tiny-operator-pass") -> int:
    page = session.get(f"{base}/accounts/login/")
    token = BeautifulSoup(page.text, "html.parser").select_one("[name=csrfmiddlewaretoken]")
    assert token is not None
    data = {"csrfmiddlewaretoken": token["value"], "username": "operator", "password": password}
    return session.post(f"{base}/accounts/login/", data=data, allow_redirects=False).status_code


@pytest.fixture
def served(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(tiny_dataset, NOW) as pair:
        yield pair


@pytest.fixture
def logged_in(served: tuple[str, Simulator]) -> tuple[str, requests.Session]:
    session = requests.Session()
    assert login(session, served[0]) == 302
    return served[0], session


def set_faults(base: str, spec: str) -> None:
    assert requests.post(f"{base}/__sim__/faults", json={"spec": spec}).status_code == 200


def test_slow_responses(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    set_faults(base, "slow=200ms")
    started = time.monotonic()
    assert session.get(f"{base}{JOURNAL}").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_5xx_next_n_and_status(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    set_faults(base, "next-5xx=2")
    statuses = [session.get(f"{base}{JOURNAL}").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    set_faults(base, "5xx=1,5xx-status=500")
    assert session.get(f"{base}/api3d/user/").status_code == 500  # the mobile API too


def test_429_with_retry_after(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    set_faults(base, "429=1,retry-after=5")
    response = session.get(f"{base}{JOURNAL}")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "5"
    set_faults(base, "next-429=1")
    assert session.get(f"{base}{JOURNAL}").headers["Retry-After"] == "1"
    assert session.get(f"{base}{JOURNAL}").status_code == 200


def test_session_expiry_in_the_middle_of_a_crawl(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    set_faults(base, "expire-after=3")
    crawl = [session.get(f"{base}{path}", allow_redirects=False) for path in ("/", "/groups/")]
    crawl += [session.get(f"{base}{JOURNAL}", allow_redirects=False) for _ in range(2)]
    assert [r.status_code for r in crawl] == [200, 200, 200, 302]
    assert crawl[-1].headers["Location"].startswith("/accounts/login/?next=/groups/100/journal/")
    assert login(session, base) == 302  # one-shot: logging in again works
    assert session.get(f"{base}{JOURNAL}", allow_redirects=False).status_code == 200


def test_expire_now(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    set_faults(base, "expire-now")
    assert session.get(f"{base}/", allow_redirects=False).status_code == 302


def test_changed_layout_moves_the_hooks(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    normal = BeautifulSoup(session.get(f"{base}{JOURNAL}").text, "html.parser")
    set_faults(base, "layout=changed")
    changed = BeautifulSoup(session.get(f"{base}{JOURNAL}").text, "html.parser")
    assert normal.select_one("table#journal") and normal.select("tr[data-lesson-id]")
    assert changed.select_one("table#journal") is None
    assert changed.select("tr[data-lesson-id]") == [] and changed.select("tr.lesson") == []
    assert changed.select_one("table#lessons-grid") is not None
    headers = [th.get_text() for th in normal.select("thead th")]
    changed_headers = [th.get_text() for th in changed.select("thead th")]
    assert changed_headers != headers and sorted(changed_headers) == sorted(headers)
    # The data did not change, only the markup.
    assert changed.select_one("table").get_text(" ", strip=True) != ""  # type: ignore[union-attr]
    assert "Тёплые и холодные цвета" in changed.get_text()
    assert changed.title is not None and changed.title.string == normal.title.string  # type: ignore[union-attr]


def test_truncated_html(logged_in: tuple[str, requests.Session]) -> None:
    base, session = logged_in
    full = session.get(f"{base}{JOURNAL}").text
    set_faults(base, "truncate")
    cut = session.get(f"{base}{JOURNAL}")
    assert cut.status_code == 200
    assert len(cut.text) < len(full) and full.startswith(cut.text)
    assert not cut.text.rstrip().endswith("</html>")
    assert "</body>" not in cut.text


def test_wrong_credentials_refuses_staff_logins(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    set_faults(base, "wrong-credentials")
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = BeautifulSoup(page.text, "html.parser").select_one("[name=csrfmiddlewaretoken]")
    assert token is not None
    data = {
        "csrfmiddlewaretoken": token["value"],
        "username": "operator",
        "password": "tiny-operator-pass",
    }
    response = session.post(f"{base}/accounts/login/", data=data, allow_redirects=False)
    assert response.status_code == 200 and LOGIN_ERROR in response.text
    assert "sessionid" not in session.cookies


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_wrong_credentials_answers_the_mobile_api_as_a_wrong_password(
    served: tuple[str, Simulator],
) -> None:
    base, _sim = served
    good = {"username": b64("PARENT500"), "password": b64("tiny-parent-pass")}
    bad = {"username": b64("PARENT500"), "password": b64("not-the-password")}
    refused = requests.get(f"{base}/api3d/user/", headers=bad)
    set_faults(base, "wrong-credentials")
    faulted = requests.get(f"{base}/api3d/user/", headers=good)
    assert (faulted.status_code, faulted.content) == (refused.status_code, refused.content)
    assert faulted.status_code != 200


def test_faults_never_touch_control_endpoints(served: tuple[str, Simulator]) -> None:
    base, _sim = served
    set_faults(base, "5xx=1,429=1,slow=300ms,truncate,layout=changed")
    started = time.monotonic()
    response = requests.get(f"{base}/__sim__/clock", headers={"X-Sim-Fault": "next-5xx=1"})
    assert response.status_code == 200 and response.json()["now"]
    assert time.monotonic() - started < 0.3
    assert requests.delete(f"{base}/__sim__/faults").status_code == 200


def test_header_faults_apply_to_that_request_only(
    logged_in: tuple[str, requests.Session],
) -> None:
    base, session = logged_in
    url = f"{base}{JOURNAL}"
    throttled = session.get(url, headers={"X-Sim-Fault": "next-429=1,retry-after=3"})
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "3"
    assert session.get(url).status_code == 200
    assert session.get(url, headers={"X-Sim-Fault": "5xx=1"}).status_code == 503
    changed = session.get(url, headers={"X-Sim-Fault": "layout=changed"}).text
    assert 'id="lessons-grid"' in changed and 'id="journal"' not in changed
    started = time.monotonic()
    assert session.get(url, headers={"X-Sim-Fault": "slow=150ms"}).status_code == 200
    assert time.monotonic() - started >= 0.15
    expired = session.get(url, headers={"X-Sim-Fault": "expire-now"}, allow_redirects=False)
    assert expired.status_code == 302
    assert requests.get(f"{base}/__sim__/faults").json()["spec"] == ""


def test_bad_fault_header_is_400(served: tuple[str, Simulator]) -> None:
    response = requests.get(f"{served[0]}/", headers={"X-Sim-Fault": "5xx=lots"})
    assert response.status_code == 400
    assert "X-Sim-Fault" in response.json()["error"]


def test_run_faults_from_the_constructor(tiny_dataset: Dataset) -> None:
    faults = FaultConfig.parse("next-5xx=1,5xx-status=500")
    with running_simulator(tiny_dataset, NOW, faults=faults, seed=3) as (base, _sim):
        assert requests.get(f"{base}/accounts/login/").status_code == 500
        assert requests.get(f"{base}/accounts/login/").status_code == 200
