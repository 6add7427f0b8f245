"""Login, logout and the CSRF check of the staff web app, as Django does them (ASSUMED).

Known from a public script: the staff login lives at ``/accounts/login/`` with fields
``#id_username`` / ``#id_password`` and a ``button.login-btn``, and the page after login is
titled «ЭШ. Главная». Everything else is copied from Django's defaults and is an assumption:

* ``GET /accounts/login/`` sets the ``csrftoken`` cookie (a 32-character secret) and serves
  the form with a masked ``csrfmiddlewaretoken`` and a hidden ``next``;
* ``POST`` with a missing cookie or a missing / mismatching token gets Django's 403 page
  «Ошибка проверки CSRF. Запрос отклонён.»;
* a right login and password (a ``staff`` credential of the dataset whose account exists at
  the served moment) sets ``sessionid`` (HttpOnly), rotates the CSRF secret and redirects 302
  to ``next`` (a local path) or ``/``; a wrong one re-serves the form (200) with Django's
  error «Пожалуйста, введите правильные имя пользователя и пароль. Оба поля могут быть
  чувствительны к регистру.»; logins are case-sensitive, as Django's are;
* ``GET`` or ``POST /accounts/logout/`` ends the session and redirects to the login page.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import quote, urlencode

from auditor.simulator import csrf
from auditor.simulator.http import SimRequest, SimResponse
from auditor.simulator.index import DatasetIndex
from auditor.simulator.render import Renderer
from auditor.simulator.sessions import SessionStore

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
CSRF_COOKIE_AGE_S = 31_449_600  # Django's default: one year
LOGIN_ERROR = (
    "Пожалуйста, введите правильные имя пользователя и пароль. "
    "Оба поля могут быть чувствительны к регистру."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def safe_next(target: str | None) -> str:
    """Only local paths are followed after login (Django's url_has_allowed_host_and_scheme)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_redirect(request: SimRequest) -> SimResponse:
    """Django's redirect_to_login: the full path goes in ``next``."""
    full_path = request.path
    if request.query:
        full_path += "?" + urlencode(dict(request.query))
    return SimResponse.redirect(f"{LOGIN_URL}?next={quote(full_path, safe='/')}")


def csrf_failure(request: SimRequest, renderer: Renderer) -> SimResponse | None:
    """Django's CsrfViewMiddleware for an unsafe method: None if the request passes."""
    if request.method in SAFE_METHODS:
        return None
    secret = request.cookies.get("csrftoken", "")
    no_cookie = not csrf.is_well_formed(secret)
    token = request.form().get("csrfmiddlewaretoken") or request.headers.get("x-csrftoken", "")
    if not no_cookie and token and csrf.matches(token, secret):
        return None
    html = renderer.render("csrf_failure.html", {"no_cookie": no_cookie})
    return SimResponse.html(html, status=403)


class LoginViews:
    def __init__(self, index: DatasetIndex, sessions: SessionStore, renderer: Renderer) -> None:
        self._index = index
        self._sessions = sessions
        self._renderer = renderer

    def login(self, request: SimRequest, now: datetime, *, wrong_credentials: bool) -> SimResponse:
        if request.method == "POST":
            form = request.form()
            username, password = form.get("username", ""), form.get("password", "")
            next_url = form.get("next", "")
            if username and password:
                staff_id = self._authenticate(username, password, now)
                if staff_id is not None and not wrong_credentials:
                    return self._logged_in(staff_id, next_url)
            return self._form(request, username, next_url, submitted=True)
        return self._form(request, "", request.query.get("next", ""), submitted=False)

    def logout(self, request: SimRequest) -> SimResponse:
        self._sessions.delete(request.cookies.get("sessionid"))
        response = SimResponse.redirect(LOGIN_URL)
        response.set_cookie("sessionid", '""', max_age=0)
        return response

    def _authenticate(self, username: str, password: str, now: datetime) -> int | None:
        credential = self._index.staff_logins.get(username)
        if credential is None or not secrets.compare_digest(
            credential.password.encode(), password.encode()
        ):
            return None
        staff = self._index.staff.get(credential.person_id)
        # An account that is created later than the served moment does not exist yet.
        if staff is None or staff.account is None or staff.account.created_at > now:
            return None
        return staff.id

    def _logged_in(self, staff_id: int, next_url: str) -> SimResponse:
        response = SimResponse.redirect(safe_next(next_url))
        response.set_cookie("sessionid", self._sessions.create(staff_id))
        # Django rotates the CSRF secret at login.
        response.set_cookie("csrftoken", csrf.new_secret(), max_age=CSRF_COOKIE_AGE_S)
        return response

    def _form(
        self, request: SimRequest, username: str, next_url: str, *, submitted: bool
    ) -> SimResponse:
        secret = request.cookies.get("csrftoken", "")
        if not csrf.is_well_formed(secret):
            secret = csrf.new_secret()
        form = request.form() if submitted else {}
        html = self._renderer.render(
            "login.html",
            {
                "title": "Вход",
                "body_class": "login-page",
                "institution": self._index.dataset.institution.short_name,
                "user": None,
                "nav": [],
                "active": "",
                "csrf_token": csrf.mask(secret),
                "form_error": LOGIN_ERROR
                if submitted and username and form.get("password")
                else "",
                "missing_username": submitted and not username,
                "missing_password": submitted and not form.get("password"),
                "username": username,
                "next": next_url,
            },
        )
        response = SimResponse.html(html)
        response.set_cookie("csrftoken", secret, max_age=CSRF_COOKIE_AGE_S)
        return response
