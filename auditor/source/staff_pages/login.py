"""The login page (``/accounts/login/``): its CSRF token, its errors, and telling it apart.

Known from the real site: a Django login form (``csrfmiddlewaretoken``, ``username``,
``password``). Where its error messages stand (Django's ``errorlist`` and look-alikes) is
ASSUMED: the staff side of ЭШ 2.0 is not publicly documented (docs/simulator.md).
"""

from __future__ import annotations

import re

from bs4 import Tag

from auditor.source.staff_pages.common import missing
from auditor.source.staff_pages.paths import LOGIN_PATH
from auditor.source.staff_pages.soup import soup


def parse_csrf_token(html: str) -> str:
    """The hidden ``csrfmiddlewaretoken`` of the Django login form."""
    field = soup(html).find("input", attrs={"name": "csrfmiddlewaretoken"})
    if not isinstance(field, Tag) or not field.get("value"):
        raise missing(LOGIN_PATH, "input[name=csrfmiddlewaretoken]")
    return str(field["value"])


_CSRF_FIELD = re.compile(r"""name=["']?csrfmiddlewaretoken["'\s>]""")
_PASSWORD_FIELD = re.compile(r"""name=["']?password["'\s>]""")


def is_login_page(html: str) -> bool:
    """Whether a page is the login form (what an expired session is redirected to).

    Asked of every page read, so it looks at the text instead of parsing it."""
    return bool(_CSRF_FIELD.search(html)) and bool(_PASSWORD_FIELD.search(html))


def login_error(html: str) -> str | None:
    """The error a re-shown login form carries (Django's ``errorlist``), if any."""
    errors = soup(html).select(".errorlist li, .errornote, .alert-error, .error")
    text = " ".join(e.get_text(" ", strip=True) for e in errors).strip()
    return text or None
