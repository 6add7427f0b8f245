"""A logged-in session of the ЭШ 2.0 staff web app (Django: CSRF token + session cookie).

Fetching only: what the pages say is read by :mod:`auditor.source.staff_pages`.

One session is shared by the sync's worker threads. Logging in is serialised: when several
workers see the session expire at once, only the first logs in again, the others reuse its
session. A refused login is remembered, so the site sees exactly one wrong-password POST,
never a storm of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

import requests

from auditor.errors import AuditorError, AuthError, LoginRefusedError, SiteChangedError, SourceError
from auditor.source import staff_pages
from auditor.source.http import HttpClient

log = logging.getLogger(__name__)

# How often a page that arrived cut off is fetched again before the sync gives up.
INCOMPLETE_RETRIES = 2


class StaffWebSession:
    def __init__(
        self,
        http: HttpClient,
        username: str,
        password: str,
        *,
        config_key: str,
    ):
        self._http = http
        self._username = username
        self._password = password
        self._config_key = config_key  # named in errors, so the user knows what to fix
        self._lock = threading.Lock()
        self._generation = 0  # bumped by every successful login
        self._refused: AuditorError | None = None
        self._counter_lock = threading.Lock()
        self.logins = 0  # login POSTs sent
        self.pages = 0  # pages read whole

    @property
    def http(self) -> HttpClient:
        return self._http

    def login(self) -> None:
        """Log in once; raise AuthError (no retries) if the site refuses the password."""
        with self._lock:
            self._login_locked()

    def ensure_login(self) -> None:
        """Log in unless a session is already open."""
        if self._generation == 0:
            self._relogin(0)

    def _relogin(self, seen_generation: int) -> None:
        with self._lock:
            if self._generation == seen_generation:  # nobody logged in since we looked
                self._login_locked()

    def _login_locked(self) -> None:
        if self._refused is not None:
            raise self._refused
        path = staff_pages.LOGIN_PATH
        form = self._complete(path, None)
        token = staff_pages.parse_csrf_token(form.text)
        response = self._http.post(
            path,
            data={
                "csrfmiddlewaretoken": token,
                "username": self._username,
                "password": self._password,
                "next": staff_pages.HOME_PATH,
            },
            headers={"Referer": self._http.url(path)},
        )
        self.logins += 1
        if response.status_code in (301, 302, 303) and "sessionid" in self._http.session.cookies:
            self._generation += 1
            log.info("staff web app: logged in (login %d of this session)", self.logins)
            return
        log.info("staff web app: the login was refused (HTTP %d)", response.status_code)
        self._refused = self._login_failure(response)
        raise self._refused

    def _login_failure(self, response: requests.Response) -> AuditorError:
        if response.status_code == 403:
            return SiteChangedError(
                "the login form refused the CSRF token (HTTP 403)",
                hint="the login flow may have changed; run `auditor capture` and report it",
            )
        error = staff_pages.login_error(response.text) or f"HTTP {response.status_code}"
        return LoginRefusedError(
            f"ЭШ 2.0 refused the login {self._username!r}: {error}",
            hint=f"check {self._config_key}.username and the variable named by "
            f"{self._config_key}.password_env",
        )

    def page(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """The HTML of a page behind the login; logs in again once if the session expired."""
        self.ensure_login()
        for attempt in range(2):
            generation = self._generation
            response = self._complete(path, params)
            expired = staff_pages.LOGIN_PATH in response.url and path != staff_pages.LOGIN_PATH
            if not expired and not staff_pages.is_login_page(response.text):
                if response.status_code == 403:
                    raise AuthError(
                        f"the account {self._username!r} may not read {path} (HTTP 403)",
                        hint="use an operator or deputy-director account that sees every group",
                    )
                with self._counter_lock:
                    self.pages += 1
                return response.text
            if attempt == 0:
                self._relogin(generation)
        raise AuthError(
            f"the session kept expiring while reading {path}",
            hint="check that the account is not logged in elsewhere, then retry",
        )

    def _complete(self, path: str, params: Mapping[str, str] | None) -> requests.Response:
        """GET a page, again if it arrived cut off (a dropped connection mid-body)."""
        for _ in range(INCOMPLETE_RETRIES + 1):
            response = self._http.get(path, params=params, allow_redirects=True)
            if response.status_code != 200 or staff_pages.is_complete(response.text):
                return response
        raise SourceError(
            f"page {path} arrived incomplete {INCOMPLETE_RETRIES + 1} times in a row",
            hint="the connection to the site is unreliable; run the sync again later",
        )
