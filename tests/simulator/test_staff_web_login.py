"""The staff login over real HTTP: Django-style CSRF, sessions, expiry, logout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests
from bs4 import BeautifulSoup

from auditor.simulator.dataset import Dataset
from auditor.simulator.server import running_simulator
from auditor.simulator.sessions import SessionStore
from auditor.simulator.staff_login import LOGIN_ERROR, safe_next

NOW = datetime.fromisoformat("2025-09-22T22:00:00+07:00")
JOURNAL = "/groups/100/journal/?month=2025-09"


def form_token(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").select_one("input[name=csrfmiddlewaretoken]")
    assert field is not None
    return str(field["value"])


def login(
    session: requests.Session, base: str, username: str, password: str, next_url: str = ""
) -> requests.Response:
    token = form_token(session.get(f"{base}/accounts/login/").text)
    data = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return session.post(f"{base}/accounts/login/", data=data, allow_redirects=False)


@pytest.fixture(scope="module")
def base(tiny_dataset: Dataset) -> Iterator[str]:
    with running_simulator(tiny_dataset, NOW) as (url, _sim):
        yield url


def test_login_page_sets_csrf_cookie_and_serves_the_form(base: str) -> None:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.title is not None and soup.title.string == "ЭШ. Вход"
    assert soup.select_one("#id_username") is not None
    assert soup.select_one("#id_password") is not None
    assert soup.select_one("button.login-btn") is not None
    cookie = session.cookies.get("csrftoken")
    assert cookie and len(cookie) == 32
    token = form_token(page.text)
    assert len(token) == 64 and token != cookie  # masked, as Django does


def test_right_password_sets_httponly_session_and_redirects(base: str) -> None:
    session = requests.Session()
    response = login(session, base, "operator", "tiny-operator-pass")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "sessionid" in session.cookies
    set_cookie = response.headers["Set-Cookie"]
    assert "sessionid=" in set_cookie and "HttpOnly" in set_cookie
    home = session.get(f"{base}/")
    soup = BeautifulSoup(home.text, "html.parser")
    assert soup.title is not None and soup.title.string == "ЭШ. Главная"
    assert soup.select("nav#main-menu a")


def test_login_redirects_to_next_but_only_to_local_paths(base: str) -> None:
    session = requests.Session()
    response = login(session, base, "operator", "tiny-operator-pass", next_url=JOURNAL)
    assert response.headers["Location"] == JOURNAL
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("//evil.example/") == "/"


def test_wrong_password_reshows_form_with_django_error(base: str) -> None:
    session = requests.Session()
    response = login(session, base, "operator", "wrong")
    assert response.status_code == 200
    assert LOGIN_ERROR in response.text
    assert 'ul class="errorlist nonfield"' in response.text
    assert "sessionid" not in session.cookies


def test_login_is_case_sensitive_and_needs_both_fields(base: str) -> None:
    session = requests.Session()
    assert "sessionid" not in login(session, base, "OPERATOR", "tiny-operator-pass").cookies
    response = login(session, base, "operator", "")
    assert response.status_code == 200 and "Обязательное поле." in response.text
    assert "sessionid" not in session.cookies


def test_post_without_csrf_token_is_403(base: str) -> None:
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    data = {"username": "operator", "password": "tiny-operator-pass"}
    response = session.post(f"{base}/accounts/login/", data=data, allow_redirects=False)
    assert response.status_code == 403
    assert "Ошибка проверки CSRF" in response.text
    assert "sessionid" not in session.cookies


def test_post_without_csrf_cookie_is_403(base: str) -> None:
    token = form_token(requests.get(f"{base}/accounts/login/").text)
    data = {"csrfmiddlewaretoken": token, "username": "operator", "password": "tiny-operator-pass"}
    response = requests.post(f"{base}/accounts/login/", data=data, allow_redirects=False)
    assert response.status_code == 403
    assert "Ошибка проверки CSRF" in response.text


def test_post_with_mismatching_csrf_token_is_403(base: str) -> None:
    other_token = form_token(requests.get(f"{base}/accounts/login/").text)  # another cookie's
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    data = {
        "csrfmiddlewaretoken": other_token,
        "username": "operator",
        "password": "tiny-operator-pass",
    }
    response = session.post(f"{base}/accounts/login/", data=data, allow_redirects=False)
    assert response.status_code == 403
    assert "Ошибка проверки CSRF" in response.text


def test_protected_page_without_session_redirects_to_login_with_next(base: str) -> None:
    response = requests.get(f"{base}{JOURNAL}", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == (
        "/accounts/login/?next=/groups/100/journal/%3Fmonth%3D2025-09"
    )
    page = requests.get(f"{base}{JOURNAL}")  # following it lands on the form with next
    assert page.url.endswith("/accounts/login/?next=/groups/100/journal/%3Fmonth%3D2025-09")
    assert 'name="next" value="/groups/100/journal/?month=2025-09"' in page.text


def test_expired_session_redirects_to_login_with_next(tiny_dataset: Dataset) -> None:
    with running_simulator(tiny_dataset, NOW, session_ttl_s=0.2) as (base, _sim):
        session = requests.Session()
        login(session, base, "operator", "tiny-operator-pass")
        assert session.get(f"{base}/groups/", allow_redirects=False).status_code == 200
        time.sleep(0.3)
        response = session.get(f"{base}/groups/", allow_redirects=False)
        assert response.status_code == 302
        assert response.headers["Location"] == "/accounts/login/?next=/groups/"


def test_session_ttl_is_idle_time() -> None:
    moments = iter([0.0, 1000.0, 1999.0, 2998.0, 4000.0])
    store = SessionStore(1000.0, clock=lambda: next(moments))
    key = store.create(1)  # at 0
    assert store.staff_id(key) == 1  # at 1000: idle exactly the TTL, still alive
    assert store.staff_id(key) == 1  # at 1999
    assert store.staff_id(key) == 1  # at 2998: long past 1000 s since login, never idle
    assert store.staff_id(key) is None  # at 4000: idle 1002 s
    assert store.staff_id("no-such-key") is None


def test_session_store_clear_invalidates_everything() -> None:
    store = SessionStore(60.0)
    keys = [store.create(1), store.create(2)]
    assert store.clear() == 2
    assert [store.staff_id(k) for k in keys] == [None, None]


def test_logout_ends_the_session(base: str) -> None:
    session = requests.Session()
    login(session, base, "operator", "tiny-operator-pass")
    old_cookie = session.cookies["sessionid"]
    response = session.get(f"{base}/accounts/logout/", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/"
    assert "sessionid" not in session.cookies
    # The old session key is dead on the server too, not just forgotten by the client.
    stale = requests.get(f"{base}/", cookies={"sessionid": old_cookie}, allow_redirects=False)
    assert stale.status_code == 302


def test_account_created_later_cannot_log_in_yet(tiny_dataset: Dataset) -> None:
    before = datetime.fromisoformat("2025-08-21T08:00:00+07:00")  # teacher3: 09:00 that day
    with running_simulator(tiny_dataset, before) as (base, sim):
        session = requests.Session()
        assert login(session, base, "teacher3", "tiny-teacher-pass").status_code == 200
        sim.clock.set(datetime.fromisoformat("2025-08-21T09:30:00+07:00"))
        assert login(session, base, "teacher3", "tiny-teacher-pass").status_code == 302
