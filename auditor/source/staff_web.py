"""A logged-in session of the ЭШ 2.0 staff web app (Django: CSRF token + session cookie).

Fetching only: what the pages say is read by :mod:`auditor.source.staff_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping

from auditor.errors import AuthError, SiteChangedError
from auditor.source import staff_pages
from auditor.source.http import HttpClient


class StaffWebSession:
    def __init__(self, http: HttpClient, username: str, password: str, *, config_key: str):
        self._http = http
        self._username = username
        self._password = password
        self._config_key = config_key  # named in errors, so the user knows what to fix
        self.logins = 0

    def login(self) -> None:
        """Log in once; raise AuthError (no retries) if the site refuses the password."""
        path = staff_pages.LOGIN_PATH
        form = self._http.get(path)
        token = staff_pages.parse_csrf_token(form.text)
        response = self._http.post(
            path,
            data={
                "csrfmiddlewaretoken": token,
                "username": self._username,
                "password": self._password,
                "next": "/",
            },
            headers={"Referer": self._http.url(path)},
        )
        self.logins += 1
        if response.status_code == 403:
            raise SiteChangedError(
                "the login form refused the CSRF token (HTTP 403)",
                hint="the login flow may have changed; run `auditor capture` and report it",
            )
        if response.status_code in (301, 302, 303) and "sessionid" in self._http.session.cookies:
            return
        error = staff_pages.login_error(response.text) or f"HTTP {response.status_code}"
        raise AuthError(
            f"ЭШ 2.0 refused the login {self._username!r}: {error}",
            hint=f"check {self._config_key}.username and the variable named by "
            f"{self._config_key}.password_env",
        )

    def page(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """The HTML of a page behind the login; logs in again once if the session expired."""
        if self.logins == 0:
            self.login()
        for attempt in range(2):
            response = self._http.get(path, params=params, allow_redirects=True)
            expired = staff_pages.LOGIN_PATH in response.url and path != staff_pages.LOGIN_PATH
            if not expired and not staff_pages.is_login_page(response.text):
                if response.status_code == 403:
                    raise AuthError(
                        f"the account {self._username!r} may not read {path} (HTTP 403)",
                        hint="use an operator or deputy-director account that sees every group",
                    )
                return response.text
            if attempt == 0:
                self.login()
        raise AuthError(
            f"the session kept expiring while reading {path}",
            hint="check that the account is not logged in elsewhere, then retry",
        )
