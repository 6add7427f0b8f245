"""The staff pages over real HTTP: content, markup hooks, role-based access, pagination."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time

import pytest
import requests
from bs4 import BeautifulSoup, Tag

from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, running_simulator
from auditor.simulator.world import Association, Department, Group, History, Student

NOW = datetime.fromisoformat("2025-09-23T12:00:00+07:00")
OPERATOR, HEAD, TEACHER3 = 1, 2, 3
AT = datetime.fromisoformat("2025-08-25T09:00:00+07:00")


def with_second_department(dataset: Dataset) -> Dataset:
    """The tiny dataset plus a department (2) the head of department 1 must not see."""
    return replace(
        dataset,
        departments=(*dataset.departments, Department(2, "Технический отдел", "отдел", None)),
        associations=(
            *dataset.associations,
            Association(20, "Робототехника «Шестерёнка»", 2, AT),
        ),
        groups=(*dataset.groups, Group(200, "Роботы-1", 20, 4, 1, AT)),
        students=(
            *dataset.students,
            Student(1002, "Техников Олег Тестович", (200,), (), AT),
        ),
    )


class Browser:
    """A logged-in client: the session is created on the simulator, pages come over HTTP."""

    def __init__(self, base: str, sim: Simulator, staff_id: int) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.cookies.set("sessionid", sim.sessions.create(staff_id))

    def get(self, path: str) -> requests.Response:
        return self.session.get(f"{self.base}{path}", allow_redirects=False)

    def soup(self, path: str) -> BeautifulSoup:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return BeautifulSoup(response.text, "html.parser")


@pytest.fixture(scope="module")
def served(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(with_second_department(tiny_dataset), NOW) as pair:
        yield pair


def browser(served: tuple[str, Simulator], staff_id: int, at: datetime = NOW) -> Browser:
    base, sim = served
    sim.clock.set(at)
    return Browser(base, sim, staff_id)


def ids(soup: Tag, selector: str, attribute: str) -> list[int]:
    return [int(str(tag[attribute])) for tag in soup.select(selector)]


def test_home_page_has_title_menu_and_user(served: tuple[str, Simulator]) -> None:
    soup = browser(served, OPERATOR).soup("/")
    assert soup.title is not None and soup.title.string == "ЭШ. Главная"
    menu = {a.get_text(): a["href"] for a in soup.select("nav#main-menu a")}
    assert menu["Группы и журналы"] == "/groups/" and menu["Учащиеся"] == "/students/"
    user = soup.select_one("#current-user")
    assert user is not None and user["data-staff-id"] == "1"
    today = soup.select_one("#today")
    assert today is not None and "23.09.2025" in today.get_text()


def test_journal_rows_carry_every_tracked_field(served: tuple[str, Simulator]) -> None:
    end_of_month = datetime.fromisoformat("2025-09-30T12:00:00+07:00")
    soup = browser(served, OPERATOR, end_of_month).soup("/groups/100/journal/?month=2025-09")
    table = soup.select_one("table#journal")
    assert table is not None and table["data-month"] == "2025-09"
    rows = {int(str(tr["data-lesson-id"])): tr for tr in soup.select("tr.lesson")}
    assert sorted(rows) == [9000, 9001, 9002, 9003]

    def cell(lesson: int, name: str) -> str:
        found = rows[lesson].select_one(f"td.{name}")
        assert found is not None
        return found.get_text(strip=True)

    assert cell(9000, "date") == "08.09.2025"
    assert cell(9000, "time") == "15:00–16:30"
    assert cell(9000, "topic") == "Цветовой круг"
    assert cell(9000, "completion") == "пройдено"
    assert ids(rows[9000], "td.attendance li.absent", "data-student-id") == [1001]
    assert cell(9001, "attendance") == "все присутствовали"
    assert cell(9001, "homework") == "Принести акварель"
    teacher = rows[9002].select_one("td.teacher")
    assert teacher is not None and teacher["data-staff-id"] == "4"  # who taught, not the group's
    assert cell(9002, "substitution") == "замена"
    assert "cancelled" in rows[9003]["class"] and cell(9003, "status") == "отменено"
    assert cell(9003, "topic") == "" and cell(9003, "attendance") == ""
    attendance = rows[9003].select_one("td.attendance")
    assert attendance is not None and attendance["data-marked"] == "0"


def test_journal_month_navigation_and_empty_month(served: tuple[str, Simulator]) -> None:
    page = browser(served, OPERATOR)
    default = page.soup("/groups/100/journal/")
    month = default.select_one("#journal-month")
    assert month is not None and month["data-month"] == "2025-09"  # the served month
    october = page.soup("/groups/100/journal/?month=2025-10")
    assert october.select("tr.lesson") == [] and october.select_one("#journal-empty")
    prev = october.select_one("a.month-prev")
    assert prev is not None and prev["href"] == "/groups/100/journal/?month=2025-09"
    assert page.get("/groups/100/journal/?month=2025-13").status_code == 404
    assert page.get("/groups/999/journal/").status_code == 404


def test_groups_list_links_journals(served: tuple[str, Simulator]) -> None:
    soup = browser(served, OPERATOR).soup("/groups/")
    assert ids(soup, "table#groups tr.group", "data-group-id") == [100, 101, 200]
    row = soup.select_one("tr.group[data-group-id='100']")
    assert row is not None
    teacher, association = row.select_one("td.teacher"), row.select_one("td.association")
    assert teacher is not None and teacher["data-staff-id"] == "3"
    assert association is not None and association["data-association-id"] == "10"
    link = row.select_one("a.journal-link")
    assert link is not None and link["href"] == "/groups/100/journal/"


def test_students_page_shows_contacts_and_parent_accounts(served: tuple[str, Simulator]) -> None:
    soup = browser(served, OPERATOR).soup("/students/")
    row = soup.select_one("tr.student[data-student-id='1000']")
    assert row is not None
    assert row.select_one("td.birth-date").get_text() == "01.04.2015"  # type: ignore[union-attr]
    assert row.select_one("td.email")["data-present"] == "0"  # type: ignore[index]
    parent = row.select_one("li.parent")
    assert parent is not None and parent["data-parent-id"] == "500"
    assert parent["data-has-account"] == "1"
    pagination = soup.select_one("#pagination")
    assert pagination is not None and pagination["data-total-pages"] == "1"


def test_staff_page_shows_accounts_and_rights(served: tuple[str, Simulator]) -> None:
    soup = browser(served, OPERATOR).soup("/staff/")
    row = soup.select_one("tr.staff-member[data-staff-id='3']")
    assert row is not None
    assert row.select_one("td.login").get_text() == "teacher3"  # type: ignore[union-attr]
    created = row.select_one("td.account-created")
    assert created is not None and created.get_text() == "21.08.2025 09:00"
    assert ids(row, "td.journal-groups a", "data-group-id") == [100]
    assert [s["data-role"] for s in row.select("td.rights-roles .role")] == ["teacher"]
    no_account = soup.select_one("tr.staff-member[data-staff-id='4'] td.login")
    assert no_account is not None and no_account.get_text() == ""


def test_setup_pages(served: tuple[str, Simulator]) -> None:
    page = browser(served, OPERATOR)
    structure = page.soup("/structure/")
    head = structure.select_one("tr.department[data-department-id='1'] td.head")
    assert head is not None and head["data-staff-id"] == "2"
    assert ids(structure, "tr.association", "data-association-id") == [10, 20]
    schedule = page.soup("/schedule/")
    slot = schedule.select_one("tr.slot[data-group-id='100']")
    assert slot is not None and slot["data-weekday"] == "0"
    year = page.soup("/year/")
    assert [td.get_text() for td in year.select("tr.period td.start")] == [
        "01.09.2025",
        "12.01.2026",
    ]
    assert len(year.select("tr.vacation")) == 1
    notifications = page.soup("/notifications/")
    assert notifications.select_one("#notifications-not-configured") is not None


def test_teacher_sees_only_the_journal_groups(served: tuple[str, Simulator]) -> None:
    teacher = browser(served, TEACHER3)
    assert ids(teacher.soup("/groups/"), "tr.group", "data-group-id") == [100]
    assert teacher.get("/groups/100/journal/").status_code == 200
    forbidden = teacher.get("/groups/101/journal/")
    assert forbidden.status_code == 403 and "Доступ запрещён" in forbidden.text
    assert teacher.get("/staff/").status_code == 403
    students = teacher.soup("/students/")
    assert ids(students, "tr.student", "data-student-id") == [1001, 1000]
    # Vanya is also in group 101, which the teacher may not see: the link is not shown.
    vanya = students.select_one("tr.student[data-student-id='1001']")
    assert vanya is not None and ids(vanya, "a.group-link", "data-group-id") == [100]
    assert ids(teacher.soup("/schedule/"), "tr.slot", "data-group-id") == [100]


def test_head_sees_own_department(served: tuple[str, Simulator]) -> None:
    head = browser(served, HEAD)
    assert ids(head.soup("/groups/"), "tr.group", "data-group-id") == [100, 101]
    assert head.get("/groups/101/journal/").status_code == 200
    assert head.get("/groups/200/journal/").status_code == 403
    assert 1002 not in ids(head.soup("/students/"), "tr.student", "data-student-id")
    assert ids(head.soup("/staff/"), "tr.staff-member", "data-staff-id") == [2, 3, 4]


def test_operator_sees_everything(served: tuple[str, Simulator]) -> None:
    operator = browser(served, OPERATOR)
    assert operator.get("/groups/200/journal/").status_code == 200
    students = ids(operator.soup("/students/"), "tr.student", "data-student-id")
    assert sorted(students) == [1000, 1001, 1002]


def test_unknown_page_is_404_and_post_to_a_page_is_405(served: tuple[str, Simulator]) -> None:
    operator = browser(served, OPERATOR)
    assert operator.get("/no/such/page/").status_code == 404
    token = operator.session.get(f"{served[0]}/accounts/login/").cookies["csrftoken"]
    response = operator.session.post(
        f"{served[0]}/groups/", data={"csrfmiddlewaretoken": token}, allow_redirects=False
    )
    assert response.status_code == 405


def test_students_are_paginated_100_a_page(tiny_dataset: Dataset) -> None:
    many = tuple(
        Student(5000 + i, f"Ученик {i:03d}", (100,), (), AT, birth_date=History())
        for i in range(250)
    )
    dataset = replace(tiny_dataset, students=(*tiny_dataset.students, *many))
    with running_simulator(dataset, NOW) as (base, sim):
        page = Browser(base, sim, OPERATOR)
        first = page.soup("/students/")
        assert len(first.select("tr.student")) == 100
        assert first.select_one("#pagination")["data-total-pages"] == "3"  # type: ignore[index]
        assert first.select_one("#students-total")["data-total"] == "252"  # type: ignore[index]
        assert len(page.soup("/students/?page=3").select("tr.student")) == 52
        assert page.get("/students/?page=4").status_code == 404
        assert page.get("/students/?page=x").status_code == 404


def test_notifications_page_when_configured(tiny_dataset: Dataset) -> None:
    notifications = replace(
        tiny_dataset.notifications,
        weekdays=(0, 4),
        send_time=time(18, 30),
        configured_at=datetime.fromisoformat("2025-09-01T10:00:00+07:00"),
    )
    with running_simulator(replace(tiny_dataset, notifications=notifications), NOW) as pair:
        soup = Browser(*pair, OPERATOR).soup("/notifications/")
        assert [d["data-weekday"] for d in soup.select("span.weekday")] == ["0", "4"]
        assert soup.select_one("dd.send-time").get_text() == "18:30"  # type: ignore[union-attr]
        assert [c["data-channel"] for c in soup.select("span.channel")] == ["email"]
