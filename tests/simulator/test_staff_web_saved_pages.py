"""The saved staff pages in tests/simulator/saved_pages/ are what the simulator serves.

The connector's parser tests read these files, so a change of markup must show up here
first. After an intended change, rewrite them with
``UPDATE_SAVED_PAGES=1 .venv/bin/pytest tests/simulator/test_staff_web_saved_pages.py``
and review the diff.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest
from auditor.simulator.server import Simulator, build_simulator

SAVED = Path(__file__).parent / "saved_pages"
AT = datetime.fromisoformat("2025-09-30T12:00:00+07:00")
OPERATOR, TEACHER3 = 1, 3
# Masked CSRF tokens differ on every render; the saved copy holds a fixed one.
FIXED_TOKEN = "A" * 64


@dataclass(frozen=True)
class Saved:
    name: str
    path: str
    staff_id: int | None = OPERATOR
    at: datetime = AT
    fault: str = ""
    method: str = "GET"
    body: bytes = b""


PAGES = (
    Saved("login.html", "/accounts/login/?next=/groups/", staff_id=None),
    Saved("home.html", "/"),
    Saved("structure.html", "/structure/"),
    Saved("groups.html", "/groups/"),
    Saved("journal_100_2025-09.html", "/groups/100/journal/?month=2025-09"),
    Saved(
        "journal_100_2025-09_changed_layout.html",
        "/groups/100/journal/?month=2025-09",
        fault="layout=changed",
    ),
    Saved(
        "journal_100_2025-09_at_2025-09-15T22-00.html",
        "/groups/100/journal/?month=2025-09",
        at=datetime.fromisoformat("2025-09-15T22:00:00+07:00"),
    ),
    Saved("students.html", "/students/"),
    Saved("staff.html", "/staff/"),
    Saved("schedule.html", "/schedule/"),
    Saved("year.html", "/year/"),
    Saved(
        "year_not_configured.html", "/year/", at=datetime.fromisoformat("2025-08-27T12:00:00+07:00")
    ),
    Saved("notifications_not_configured.html", "/notifications/"),
    Saved("forbidden_403.html", "/groups/101/journal/", staff_id=TEACHER3),
    Saved(
        "csrf_failure_403.html",
        "/accounts/login/",
        staff_id=None,
        method="POST",
        body=b"username=operator&password=x",
    ),
)


def render(sim: Simulator, page: Saved) -> str:
    sim.clock.set(page.at)
    headers = {"x-sim-fault": page.fault} if page.fault else {}
    if page.staff_id is not None:
        headers["cookie"] = f"sessionid={sim.sessions.create(page.staff_id)}"
    path, _, query = page.path.partition("?")
    params = dict(item.split("=", 1) for item in query.split("&")) if query else {}
    response = sim.handle(SimRequest(page.method, path, params, headers, page.body))
    text = response.body.decode("utf-8")
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', rf"\g<1>{FIXED_TOKEN}", text)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_saved_page_matches(tiny_dataset: Dataset, page: Saved) -> None:
    sim = build_simulator(tiny_dataset, AT)
    served = render(sim, page)
    saved = SAVED / page.name
    if os.environ.get("UPDATE_SAVED_PAGES"):
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(served, encoding="utf-8")
    assert saved.exists(), f"{saved} is missing: run with UPDATE_SAVED_PAGES=1"
    assert served == saved.read_text(encoding="utf-8"), f"{page.name} differs from the saved copy"
