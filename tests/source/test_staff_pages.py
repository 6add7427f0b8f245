"""The staff-page parsers on pages saved from the simulator (no HTTP).

Pages come from tests/simulator/saved_pages/ (the tiny dataset) and tests/source/saved_pages/
(pages that dataset cannot show: a configured notification schedule and a second pupil page,
from the demo; an empty journal). The last test keeps the latter identical to what the
simulator serves; rewrite them with UPDATE_SAVED_PAGES=1 after an intended markup change.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import SiteChangedError
from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest
from auditor.simulator.layout import change_layout
from auditor.simulator.server import build_simulator
from auditor.source import staff_pages as sp
from tests.source.simsync import demo_dataset

SIM_SAVED = Path(__file__).parent.parent / "simulator" / "saved_pages"
SAVED = Path(__file__).parent / "saved_pages"


def page(name: str) -> str:
    folder = SAVED if (SAVED / name).exists() else SIM_SAVED
    return (folder / name).read_text(encoding="utf-8")


def test_structure() -> None:
    departments, associations = sp.parse_structure(page("structure.html"))
    assert [(d.id, d.name, d.kind, d.head_id) for d in departments] == [
        (1, "Художественный отдел", "отдел", 2)
    ]
    assert [(a.id, a.name, a.department_id) for a in associations] == [
        (10, "Изостудия «Палитра»", 1)
    ]


def test_groups() -> None:
    groups = sp.parse_groups(page("groups.html"))
    assert [(g.id, g.association_id, g.department_id, g.teacher_id) for g in groups] == [
        (100, 10, 1, 3),
        (101, 10, 1, 4),
    ]


def test_staff_roles_rights_and_accounts() -> None:
    staff = {s.id: s for s in sp.parse_staff(page("staff.html"))}
    assert set(staff) == {1, 2, 3, 4}
    assert staff[1].roles == ("operator",) and staff[1].department_id is None
    assert staff[3].rights_roles == ("teacher",) and staff[3].journal_group_ids == (100,)
    assert staff[4].has_account is False and staff[4].rights_roles == ()
    assert staff[2].has_account and staff[2].department_id == 1


def test_students_keep_presence_not_contacts() -> None:
    result = sp.parse_students(page("students.html"))
    assert (result.page, result.total_pages, result.total) == (1, 1, 2)
    pupils = {s.id: s for s in result.students}
    masha, vanya = pupils[1000], pupils[1001]
    assert (masha.has_birth_date, masha.has_address, masha.has_phone, masha.has_email) == (
        True,
        True,
        True,
        False,
    )
    assert (masha.parent_count, masha.parents_with_account, masha.group_ids) == (1, 1, (100,))
    assert (vanya.has_address, vanya.parent_count, vanya.group_ids) == (False, 0, (100, 101))
    assert "Кемерово" not in repr(result)  # the address itself is never kept


def test_students_second_page_of_many() -> None:
    result = sp.parse_students(page("students_page_2.html"), 2)
    assert (result.page, result.total_pages, len(result.students)) == (2, 15, 100)
    with pytest.raises(SiteChangedError, match=r"data-page=3"):
        sp.parse_students(page("students_page_2.html"), 3)


def test_schedule() -> None:
    slots = sp.parse_schedule(page("schedule.html"))
    assert [(s.group_id, s.weekday, s.start, s.end) for s in slots] == [
        (100, 0, time(15, 0), time(16, 30))
    ]


def test_year_configured_and_not() -> None:
    year = sp.parse_year(page("year.html"))
    assert (year.configured, year.start, year.end) == (True, date(2025, 9, 1), date(2026, 5, 31))
    assert year.vacations == ((date(2025, 12, 29), date(2026, 1, 11)),)
    assert len(year.periods) == 2
    assert sp.parse_year(page("year_not_configured.html")) == sp.YearInfo(configured=False)


def test_notifications_configured_and_not() -> None:
    assert not sp.parse_notifications(page("notifications_not_configured.html")).configured
    info = sp.parse_notifications(page("notifications_configured.html"))
    assert (info.configured, info.weekdays, info.send_time, info.channels) == (
        True,
        (0, 3),
        time(18, 0),
        ("email", "push"),
    )


def test_journal_page() -> None:
    journal = sp.parse_journal_page(page("journal_100_2025-09.html"), 100, "2025-09")
    rows = {r.lesson_id: r for r in journal.rows}
    assert list(rows) == [9000, 9001, 9002, 9003]
    assert rows[9000].absent_student_ids == (1001,) and rows[9000].attendance_marked
    assert rows[9001].homework == "Принести акварель" and rows[9001].absent_student_ids == ()
    assert rows[9002].substitution and rows[9002].teacher_id == 4
    assert rows[9003].cancelled and not rows[9003].completed and not rows[9003].topic


def test_journal_before_the_entries() -> None:
    name = "journal_100_2025-09_at_2025-09-15T22-00.html"
    rows = sp.parse_journal_page(page(name), 100, "2025-09").rows
    assert [(r.lesson_id, r.attendance_marked) for r in rows] == [(9000, True), (9001, False)]


def test_empty_journal() -> None:
    assert sp.parse_journal_page(page("journal_101_2025-09_empty.html"), 101, "2025-09").rows == ()


@pytest.mark.parametrize(("group", "month"), [(101, "2025-09"), (100, "2025-10")])
def test_journal_of_another_group_or_month_is_refused(group: int, month: str) -> None:
    with pytest.raises(SiteChangedError, match=r"table#journal\[data-group-id"):
        sp.parse_journal_page(page("journal_100_2025-09.html"), group, month)


PARSERS = {
    "structure.html": sp.parse_structure,
    "groups.html": sp.parse_groups,
    "staff.html": sp.parse_staff,
    "students.html": sp.parse_students,
    "schedule.html": sp.parse_schedule,
    "year.html": sp.parse_year,
    "notifications_configured.html": sp.parse_notifications,
    "journal_100_2025-09.html": lambda html: sp.parse_journal_page(html, 100, "2025-09"),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_changed_layout_names_page_and_element(name: str) -> None:
    with pytest.raises(SiteChangedError) as caught:
        PARSERS[name](change_layout(page(name)))
    message = str(caught.value)
    assert message.startswith("page /") and "element " in message and "not found" in message
    assert "auditor capture" in caught.value.hint


def test_saved_changed_layout_journal() -> None:
    with pytest.raises(SiteChangedError, match=r"page /groups/100/journal/\?month=2025-09: "):
        sp.parse_journal_page(page("journal_100_2025-09_changed_layout.html"), 100, "2025-09")


def test_completeness() -> None:
    whole = page("groups.html")
    assert sp.is_complete(whole)
    assert not sp.is_complete(whole[: len(whole) // 2])


def test_personal_values_found_at_known_places() -> None:
    found = sp.personal_values(page("students.html"))
    expected = {"Ученикова Маша Тестовна", "Ученикова Ольга Тестовна", "+7 900 000-00-01"}
    assert expected <= found.texts
    assert "г. Кемерово, ул. Вымышленная, д. 1" in found.texts
    assert "pupil1000" in found.whole_nodes
    assert sp.linked_group_ids(change_layout(page("groups.html"))) == [100, 101]
    assert sp.students_page_count(change_layout(page("students_page_2.html"))) == 15


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(PARSERS)),
    cut=st.floats(min_value=0.0, max_value=1.0),
    junk=st.text(max_size=40),
    where=st.floats(min_value=0.0, max_value=1.0),
)
def test_garbled_pages_raise_only_site_changed(
    name: str, cut: float, junk: str, where: float
) -> None:
    """A damaged page either parses or raises SiteChangedError: never another exception."""
    html = page(name)
    html = html[: int(len(html) * max(cut, 0.05))] if cut < 0.5 else html
    at = int(len(html) * where)
    html = html[:at] + junk + html[at:]
    with contextlib.suppress(SiteChangedError):
        PARSERS[name](html)


# ---------------------------------------------------------------------------
# The pages saved here are what the simulator serves.

SOURCE_PAGES = (
    ("notifications_configured.html", "demo", "2025-10-14T12:00:00+07:00", "/notifications/", {}),
    ("students_page_2.html", "demo", "2025-10-14T12:00:00+07:00", "/students/", {"page": "2"}),
    (
        "journal_101_2025-09_empty.html",
        "tiny",
        "2025-09-30T12:00:00+07:00",
        "/groups/101/journal/",
        {"month": "2025-09"},
    ),
)


@pytest.mark.parametrize("saved", SOURCE_PAGES, ids=[p[0] for p in SOURCE_PAGES])
def test_saved_page_matches_simulator(
    tiny_dataset: Dataset, saved: tuple[str, str, str, str, dict[str, str]]
) -> None:
    name, which, at, path, params = saved
    dataset = demo_dataset() if which == "demo" else tiny_dataset
    sim = build_simulator(dataset, datetime.fromisoformat(at))
    operator = next(s.id for s in dataset.staff if "operator" in s.roles)
    headers = {"cookie": f"sessionid={sim.sessions.create(operator)}"}
    served = sim.handle(SimRequest("GET", path, params, headers, b"")).body.decode("utf-8")
    if os.environ.get("UPDATE_SAVED_PAGES"):
        (SAVED / name).write_text(served, encoding="utf-8")
    assert served == (SAVED / name).read_text(encoding="utf-8"), f"{name} differs: see docstring"


def test_login_page_and_token() -> None:
    login = page("login.html")
    assert sp.is_login_page(login) and sp.parse_csrf_token(login) == "A" * 64
    assert not any(sp.is_login_page(page(n)) for n in ("groups.html", "students.html"))
    with pytest.raises(SiteChangedError, match=r"input\[name=csrfmiddlewaretoken\]"):
        sp.parse_csrf_token(page("groups.html"))
