"""Unit tests of the HTTP layer with `responses` (no server: retry and pacing logic only)."""

from __future__ import annotations

import pytest
import requests
import responses

from auditor.errors import SourceError
from auditor.source.http import HttpClient

BASE = "http://sim.test"


def client(**kwargs: object) -> tuple[HttpClient, list[float]]:
    sleeps: list[float] = []
    http = HttpClient(
        requests.Session(), BASE, user_agent="Mozilla/5.0 test", sleep=sleeps.append, **kwargs
    )
    return http, sleeps


@responses.activate
def test_retries_5xx_with_exponential_backoff() -> None:
    responses.get(f"{BASE}/page/", status=503)
    responses.get(f"{BASE}/page/", status=502)
    responses.get(f"{BASE}/page/", body="ok")
    http, sleeps = client(backoff_s=0.5)
    assert http.get("/page/").text == "ok"
    assert sleeps == [0.5, 1.0]
    assert http.stats.requests == 3 and http.stats.retries == 2


@responses.activate
def test_gives_up_after_max_retries_with_clear_error() -> None:
    responses.get(f"{BASE}/page/", status=500)
    http, sleeps = client(max_retries=2)
    with pytest.raises(SourceError, match=r"HTTP 500 after 3 attempts"):
        http.get("/page/")
    assert len(sleeps) == 2


@responses.activate
def test_honours_retry_after_on_429() -> None:
    responses.get(f"{BASE}/page/", status=429, headers={"Retry-After": "7"})
    responses.get(f"{BASE}/page/", body="ok")
    http, sleeps = client()
    assert http.get("/page/").text == "ok"
    assert sleeps == [7.0]


@responses.activate
def test_refuses_an_unreasonable_retry_after() -> None:
    responses.get(f"{BASE}/page/", status=429, headers={"Retry-After": "86400"})
    http, _ = client()
    with pytest.raises(SourceError, match="asks to wait 86400 s"):
        http.get("/page/")


@responses.activate
def test_connection_errors_are_retried_then_become_source_errors() -> None:
    responses.get(f"{BASE}/page/", body=requests.ConnectionError("refused"))
    http, sleeps = client(max_retries=1)
    with pytest.raises(SourceError, match="failed after 2 attempts: ConnectionError"):
        http.get("/page/")
    assert sleeps == [0.5]


@responses.activate
def test_sends_browser_user_agent_and_timeout() -> None:
    responses.get(f"{BASE}/page/", body="ok")
    http, _ = client(timeout_s=3.0)
    http.get("/page/")
    sent = responses.calls[0].request
    assert sent.headers["User-Agent"] == "Mozilla/5.0 test"
    assert sent.req_kwargs["timeout"] == 3.0


@responses.activate
def test_minimum_interval_between_requests() -> None:
    responses.get(f"{BASE}/page/", body="ok")
    ticks = iter([100.0, 100.1, 100.2])
    http, sleeps = client(min_interval_s=1.0)
    http._clock = lambda: next(ticks)
    for _ in range(3):
        http.get("/page/")
    # The 2nd request waits until 101.0, the 3rd until 102.0.
    assert sleeps == pytest.approx([0.9, 1.8])


@pytest.mark.parametrize("no_proxy", ["", "sim.test"])
def test_environment_read_once_with_requests_precedence(
    monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    """The client puts on its session what requests would read from the environment for
    each request to the site (proxies, CA bundle, netrc login), and stops it looking."""
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/bundle.pem")
    monkeypatch.setenv("NETRC", "/nonexistent/netrc")
    per_request = requests.Session().merge_environment_settings(
        f"{BASE}/page/", {}, None, None, None
    )
    session = requests.Session()
    HttpClient(session, BASE)
    assert not session.trust_env
    assert session.merge_environment_settings(f"{BASE}/page/", {}, None, None, None) == (
        per_request
    )
    assert bool(per_request["proxies"]) == (not no_proxy)
    assert session.verify == "/etc/ssl/bundle.pem" and session.auth is None
