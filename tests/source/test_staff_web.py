"""Unit tests of the staff web session with `responses`: login, re-login, refusals."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
import responses
from responses import matchers

from auditor.errors import AuthError, LoginRefusedError, SiteChangedError, SourceError
from auditor.source.http import HttpClient
from auditor.source.staff_web import StaffWebSession

BASE = "http://sim.test"
SAVED = Path(__file__).parent.parent / "simulator" / "saved_pages"
LOGIN_FORM = (SAVED / "login.html").read_text(encoding="utf-8")
GROUPS = (SAVED / "groups.html").read_text(encoding="utf-8")
HTML = "text/html; charset=utf-8"
TOKEN = "A" * 64


def session(password: str = "secret-pw") -> StaffWebSession:
    http = HttpClient(requests.Session(), BASE, user_agent="Mozilla/5.0 test", sleep=lambda s: None)
    return StaffWebSession(http, "operator", password, config_key="source")


def login_routes(*, accept: bool = True) -> responses.BaseResponse:
    responses.get(
        f"{BASE}/accounts/login/",
        body=LOGIN_FORM,
        content_type=HTML,
        headers={"Set-Cookie": f"csrftoken={'c' * 32}; Path=/"},
    )
    if accept:
        return responses.post(
            f"{BASE}/accounts/login/",
            status=302,
            headers={"Location": "/", "Set-Cookie": "sessionid=s1; Path=/; HttpOnly"},
        )
    error_form = LOGIN_FORM.replace(
        "<form",
        '<ul class="errorlist nonfield"><li>Пожалуйста, введите правильные имя '
        "пользователя и пароль.</li></ul><form",
        1,
    )
    return responses.post(f"{BASE}/accounts/login/", body=error_form, content_type=HTML)


@responses.activate
def test_login_posts_csrf_token_credentials_and_referer() -> None:
    post = login_routes()
    responses.get(f"{BASE}/groups/", body=GROUPS, content_type=HTML)
    web = session()
    assert "table" in web.page("/groups/")
    sent = post.calls[0].request
    form = parse_qs(str(sent.body))
    assert form["csrfmiddlewaretoken"] == [TOKEN]
    assert form["username"] == ["operator"] and form["password"] == ["secret-pw"]
    assert sent.headers["Referer"] == f"{BASE}/accounts/login/"
    assert "csrftoken=" in sent.headers["Cookie"]
    assert web.logins == 1 and web.pages == 1


@responses.activate
def test_wrong_password_is_one_post_and_names_the_config_keys() -> None:
    post = login_routes(accept=False)
    web = session("wrong")
    with pytest.raises(LoginRefusedError) as caught:
        web.page("/groups/")
    assert "source.username" in caught.value.hint and "source.password_env" in caught.value.hint
    assert "wrong" not in caught.value.one_line()  # the password is never shown
    # Every later page (other workers) fails at once without posting again.
    with pytest.raises(LoginRefusedError):
        web.page("/staff/")
    assert post.call_count == 1 and web.logins == 1


@responses.activate
def test_concurrent_workers_share_one_failed_login() -> None:
    post = login_routes(accept=False)
    web = session("wrong")

    def read(path: str) -> str:
        try:
            return web.page(path)
        except AuthError as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(read, ["/a/", "/b/", "/c/", "/d/"]))
    assert outcomes == ["LoginRefusedError"] * 4
    assert post.call_count == 1


@responses.activate
def test_expired_session_logs_in_again_once() -> None:
    post = login_routes()
    expired = f"{BASE}/accounts/login/?next=/groups/"
    responses.get(f"{BASE}/groups/", status=302, headers={"Location": expired})
    responses.get(f"{BASE}/groups/", body=GROUPS, content_type=HTML)
    web = session()
    assert "table" in web.page("/groups/")
    assert post.call_count == 2  # the first login, and one after the expiry


@responses.activate
def test_concurrent_expiry_logs_in_again_only_once() -> None:
    """Workers that find the session expired together share one new login."""
    server = {"valid": "", "logins": 0}
    lock = threading.Lock()

    def login(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        with lock:
            server["logins"] = int(server["logins"]) + 1
            server["valid"] = f"s{server['logins']}"
            cookie = f"sessionid={server['valid']}; Path=/"
        return 302, {"Location": "/", "Set-Cookie": cookie}, ""

    def page(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        with lock:
            live = f"sessionid={server['valid']}" in request.headers.get("Cookie", "")
        if live:
            return 200, {"Content-Type": HTML}, GROUPS
        return 302, {"Location": "/accounts/login/?next=/x/"}, ""

    responses.get(f"{BASE}/accounts/login/", body=LOGIN_FORM, content_type=HTML)
    responses.add_callback(responses.POST, f"{BASE}/accounts/login/", callback=login)
    for name in ("a", "b", "c", "d"):
        responses.add_callback(responses.GET, f"{BASE}/{name}/", callback=page)
    web = session()
    web.ensure_login()
    with lock:
        server["valid"] = "expired"  # the site drops every session at once
    with ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(web.page, ["/a/", "/b/", "/c/", "/d/"]))
    assert all("table" in p for p in pages)
    assert server["logins"] == 2 and web.logins == 2  # the first login and one re-login


@responses.activate
def test_session_that_keeps_expiring_is_a_clear_error() -> None:
    login_routes()
    responses.get(
        f"{BASE}/groups/", status=302, headers={"Location": "/accounts/login/?next=/groups/"}
    )
    web = session()
    with pytest.raises(AuthError, match="kept expiring"):
        web.page("/groups/")
    assert web.logins == 2


@responses.activate
def test_forbidden_page_is_an_auth_error_naming_the_page() -> None:
    login_routes()
    responses.get(f"{BASE}/staff/", status=403, body="<html>403</html>", content_type=HTML)
    with pytest.raises(AuthError, match=r"may not read /staff/ \(HTTP 403\)"):
        session().page("/staff/")


@responses.activate
def test_csrf_failure_on_login_is_site_changed() -> None:
    login_routes()
    responses.replace(responses.POST, f"{BASE}/accounts/login/", status=403, body="csrf")
    with pytest.raises(SiteChangedError, match="CSRF"):
        session().page("/groups/")


@responses.activate
def test_truncated_page_is_fetched_again() -> None:
    login_routes()
    responses.get(f"{BASE}/groups/", body=GROUPS[:500], content_type=HTML)
    responses.get(f"{BASE}/groups/", body=GROUPS, content_type=HTML)
    web = session()
    assert web.page("/groups/") == GROUPS
    assert web.http.stats.requests == 4  # form, login, cut-off page, whole page


@responses.activate
def test_page_that_stays_truncated_is_a_source_error() -> None:
    login_routes()
    responses.get(f"{BASE}/groups/", body=GROUPS[:500], content_type=HTML)
    with pytest.raises(SourceError, match="arrived incomplete 3 times"):
        session().page("/groups/")


@responses.activate
def test_page_parameters_are_sent() -> None:
    login_routes()
    responses.get(
        f"{BASE}/groups/100/journal/",
        body=GROUPS,
        content_type=HTML,
        match=[matchers.query_param_matcher({"month": "2025-09"})],
    )
    assert session().page("/groups/100/journal/", {"month": "2025-09"}) == GROUPS
