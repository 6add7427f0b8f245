"""URL paths and query parameters of the ЭШ 2.0 staff web app: the only place they are written.

Known from the real site: the login form at ``/accounts/login/`` (a Django site). Every other
path and parameter here is ASSUMED: the staff side of ЭШ 2.0 is not publicly documented, and
these are the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LOGIN_PATH = "/accounts/login/"
HOME_PATH = "/"  # where the login form is told to go next; the first page after login
STRUCTURE_PATH = "/structure/"
GROUPS_PATH = "/groups/"
STAFF_PATH = "/staff/"
STUDENTS_PATH = "/students/"
SCHEDULE_PATH = "/schedule/"
YEAR_PATH = "/year/"
NOTIFICATIONS_PATH = "/notifications/"


def journal_path(group_id: int) -> str:
    return f"/groups/{group_id}/journal/"


def journal_params(month: str) -> dict[str, str]:
    return {"month": month}


def students_params(page: int) -> dict[str, str]:
    return {"page": str(page)}


def shown(path: str, params: Mapping[str, str]) -> str:
    """A page as errors name it: its path and query (``/students/?page=2``)."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{path}?{query}" if query else path


# Links as they stand in the markup: how capture finds pages when the layout has changed.
JOURNAL_LINK = re.compile(r'href="/groups/(\d+)/journal/')
PAGE_LINK = re.compile(r"[?&]page=(\d+)")
