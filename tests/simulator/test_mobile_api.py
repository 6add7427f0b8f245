"""The simulated mobile API (/api3d/) over real HTTP, plus a few direct handler tests."""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest
from auditor.simulator.mobile_api import handle
from auditor.simulator.mobile_auth import decode_header
from auditor.simulator.mobile_timetable import timetable_json
from auditor.simulator.mobile_user import split_full_name
from auditor.simulator.server import Simulator, running_simulator
from auditor.simulator.world import Change, History, Lesson

PUPIL = ("pupil1000", "tiny-pupil-pass")
PARENT = ("parent500", "tiny-parent-pass")
SEPTEMBER = {"start": "2025-09-01", "end": "2025-09-30"}
HHMMSS = re.compile(r"\d{2}:\d{2}:\d{2}")


def mobile_headers(login: str, password: str) -> dict[str, str]:
    """The two headers exactly as the public client builds them (api-facts §3)."""
    return {
        "username": base64.b64encode(login.upper().encode("utf-8")).decode("ascii"),
        "password": base64.b64encode(password.encode("utf-8")).decode("ascii"),
    }


def raw_headers(login: str, password: str) -> dict[str, str]:
    """Like :func:`mobile_headers` but without upper-casing the login."""
    return {
        "username": base64.b64encode(login.encode("utf-8")).decode("ascii"),
        "password": base64.b64encode(password.encode("utf-8")).decode("ascii"),
    }


class Api:
    """A running simulator, its clock, and a session that ignores proxy settings."""

    def __init__(self, base_url: str, sim: Simulator, tz: ZoneInfo) -> None:
        self.base_url = base_url
        self.sim = sim
        self.tz = tz
        self.session = requests.Session()
        self.session.trust_env = False

    def at(self, year: int, month: int, day: int, hour: int, minute: int) -> None:
        """Set the simulator's clock to a local time of the institution."""
        self.sim.clock.set(datetime(year, month, day, hour, minute, tzinfo=self.tz))

    def get(
        self,
        path: str,
        account: tuple[str, str] | None = PUPIL,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        if headers is None:
            headers = mobile_headers(*account) if account else {}
        url = f"{self.base_url}/api3d/{path}"
        return self.session.get(url, params=params, headers=headers)

    def lessons(self, account: tuple[str, str] = PUPIL, **params: str) -> list[dict[str, Any]]:
        query = {"child": 1000, **SEPTEMBER, **params}
        response = self.get("timetable2/", account, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True
        lessons: list[dict[str, Any]] = body["lessons"]
        return lessons

    def lesson(self, lesson_id: int) -> dict[str, Any]:
        return next(x for x in self.lessons() if x["id"] == lesson_id)


def with_absence(
    dataset: Dataset, lesson_id: int, at: datetime, absent: tuple[int, ...]
) -> Dataset:
    """``dataset`` where ``lesson_id`` records ``absent`` from ``at`` on."""

    def change(lesson: Lesson) -> Lesson:
        if lesson.id != lesson_id:
            return lesson
        return dataclasses.replace(lesson, absent_student_ids=History((Change(at, absent),)))

    return dataclasses.replace(dataset, lessons=tuple(change(x) for x in dataset.lessons))


@pytest.fixture(scope="module")
def dataset(tiny_dataset: Dataset, tz: ZoneInfo) -> Dataset:
    # Pupil 1000 is never absent in the tiny dataset; mark her absent in lesson 9001 once
    # the teacher fills attendance (2025-09-17 08:10, as the dataset says).
    return with_absence(tiny_dataset, 9001, datetime(2025, 9, 17, 8, 10, tzinfo=tz), (1000,))


@pytest.fixture(scope="module")
def server(dataset: Dataset, tz: ZoneInfo) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(dataset, datetime(2025, 10, 1, 12, 0, tzinfo=tz)) as running:
        yield running


@pytest.fixture
def api(server: tuple[str, Simulator], tz: ZoneInfo) -> Api:
    api = Api(*server, tz)
    api.at(2025, 10, 1, 12, 0)  # after everything in the tiny dataset was entered
    return api


# --- authentication ---------------------------------------------------------------


@pytest.mark.parametrize("login", ["pupil1000", "PUPIL1000", "Pupil1000"])
def test_login_is_case_insensitive(api: Api, login: str) -> None:
    response = api.get("user/", headers=raw_headers(login, PUPIL[1]))
    assert response.status_code == 200
    assert response.json()["id"] == 1000


@pytest.mark.parametrize(
    "headers",
    [
        mobile_headers("pupil1000", "wrong"),
        mobile_headers("pupil1000", "TINY-PUPIL-PASS"),  # passwords are case-sensitive
        mobile_headers("nobody", "tiny-pupil-pass"),
        mobile_headers("teacher3", "tiny-teacher-pass"),  # staff is not a mobile account
        {},
        {"username": mobile_headers(*PUPIL)["username"]},
        {"username": "not base64!", "password": "???"},
    ],
    ids=["wrong-password", "password-case", "unknown", "staff", "none", "no-password", "junk"],
)
def test_bad_credentials_get_the_auth_error(api: Api, headers: dict[str, str]) -> None:
    response = api.get("user/", headers=headers)
    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"success": False, "error_type": "auth"}


def test_an_account_exists_only_from_its_creation(api: Api) -> None:
    api.at(2025, 9, 2, 18, 59)  # parent500 is created at 19:00
    assert api.get("user/", PARENT).status_code == 401
    api.at(2025, 9, 2, 19, 0)
    assert api.get("user/", PARENT).status_code == 200


def test_timetable_needs_credentials_too(api: Api) -> None:
    response = api.get("timetable2/", None, params={"child": 1000, **SEPTEMBER})
    assert response.status_code == 401
    assert response.json()["error_type"] == "auth"


# --- user/ ------------------------------------------------------------------------


def test_user_for_a_pupil_is_the_flat_child_dict(api: Api) -> None:
    body = api.get("user/").json()
    assert body == {
        "status": "child",
        "id": 1000,
        "user_id": body["user_id"],
        "first_name": "Маша",
        "last_name": "Ученикова",
        "middle_name": "Тестовна",
        "birth_date": "2015-04-01",
        "user_img": "",
        "school": "МБОУДО «Центр творчества Тестового района» (вымышленный)",
        "school_terrirtory_id": 1,
        "group": "Палитра-1",
        "school_is_food": 0,
        "school_is_tourniquet": 0,
        "readonly": 0,
        "gps_tracker": False,
        "push_settings": body["push_settings"],
        "success": True,
    }
    assert isinstance(body["user_id"], int) and body["user_id"] != body["id"]
    assert set(body["push_settings"]) == {
        "school_news",
        "attendance",
        "homework",
        "mau_balance",
        "tourniquet",
        "mark",
    }
    assert all(v in (0, 1) for v in body["push_settings"].values())


def test_user_for_a_parent_lists_only_their_children(api: Api) -> None:
    body = api.get("user/", PARENT).json()
    assert body["status"] == "applicant"
    assert body["success"] is True and body["gps_tracker"] is False
    (child,) = body["childs"]
    assert child["id"] == 1000 and child["first_name"] == "Маша" and child["group"] == "Палитра-1"
    assert "status" not in child and "push_settings" not in child
    assert isinstance(child["school_terrirtory_id"], int)


# --- timetable2/ -------------------------------------------------------------------


def test_timetable_fields_and_types(api: Api) -> None:
    lessons = api.lessons()
    assert [x["id"] for x in lessons] == [9000, 9001, 9002, 9003]
    first = lessons[0]
    assert first["date"] == "2025-09-08"
    assert (first["time_start"], first["time_end"]) == ("15:00:00", "16:30:00")
    assert first["subject"] == "Изостудия «Палитра»"
    assert (first["division_subject"], first["division_subject_str"]) == (100, "Палитра-1")
    assert (first["staff"], first["staff_id"]) == ("Педагогов Пётр Вымышленович", 3)
    assert first["topic"] == "Цветовой круг"
    assert first["marks"] == []  # pupil 1001 was absent, not this pupil
    assert first["docs_for_lesson"] == [] and first["room"] == "каб. 12"
    assert "task" not in first
    for lesson in lessons:
        for key in ("id", "division_subject", "staff_id", "lesson_status_cancel"):
            assert type(lesson[key]) is int, key
        assert HHMMSS.fullmatch(lesson["time_start"]) and HHMMSS.fullmatch(lesson["time_end"])
        assert date.fromisoformat(lesson["date"])


def test_the_range_is_inclusive(api: Api) -> None:
    lessons = api.lessons(start="2025-09-15", end="2025-09-15")
    assert [x["id"] for x in lessons] == [9001]
    assert api.lessons(start="2025-09-16", end="2025-09-21") == []


def test_topic_and_homework_appear_when_entered(api: Api) -> None:
    api.at(2025, 9, 15, 18, 0)  # the lesson was held; the teacher enters it at 21:40
    before = api.lesson(9001)
    assert before["topic"] is None and "task" not in before and before["marks"] == []
    api.at(2025, 9, 15, 22, 0)
    after = api.lesson(9001)
    assert after["topic"] == "Тёплые и холодные цвета"
    (task,) = after["task"]
    assert task["title"] == "Принести акварель" and task["deadline"] == "2025-09-22"
    assert (task["type"], task["done"], task["doc"], task["test_id"]) == ("group", 0, False, None)


def test_absence_appears_as_a_mark_once_entered(api: Api) -> None:
    api.at(2025, 9, 17, 8, 9)
    assert api.lesson(9001)["marks"] == []
    api.at(2025, 9, 17, 8, 10)
    (mark,) = api.lesson(9001)["marks"]
    assert mark["mark"] == "Н" and mark["question_type"] == "Посещаемость"
    assert type(mark["question_id"]) is int and type(mark["number"]) is int


def test_a_substitute_shows_once_the_lesson_is_entered(api: Api) -> None:
    api.at(2025, 9, 22, 16, 0)  # not entered yet: the schedule shows the assigned teacher
    assert api.lesson(9002)["staff_id"] == 3
    api.at(2025, 9, 22, 16, 35)
    lesson = api.lesson(9002)
    assert (lesson["staff_id"], lesson["staff"]) == (4, "Учителева Анна Примеровна")
    assert lesson["division_subject"] == 100


def test_cancelled_lesson_flag(api: Api) -> None:
    assert api.lesson(9003)["lesson_status_cancel"] == 1
    assert api.lesson(9001)["lesson_status_cancel"] == 0
    api.at(2025, 9, 29, 9, 0)  # the cancellation is recorded at 10:00
    assert api.lesson(9003)["lesson_status_cancel"] == 0


def test_future_lessons_are_listed_without_journal_fields(api: Api) -> None:
    api.at(2025, 9, 1, 9, 0)
    lessons = api.lessons()
    assert [x["id"] for x in lessons] == [9000, 9001, 9002, 9003]
    assert all(x["topic"] is None and x["marks"] == [] for x in lessons)


def test_a_parent_reads_their_child(api: Api) -> None:
    assert [x["id"] for x in api.lessons(PARENT)] == [9000, 9001, 9002, 9003]


@pytest.mark.parametrize(
    ("account", "child"), [(PARENT, 1001), (PUPIL, 1001), (PARENT, 424242), (PUPIL, 0)]
)
def test_no_account_reads_another_child(api: Api, account: tuple[str, str], child: int) -> None:
    response = api.get("timetable2/", account, params={"child": child, **SEPTEMBER})
    assert response.status_code == 403
    body = response.json()
    assert body["success"] is False and isinstance(body["error"], str)


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-9-1", "end": "2025-09-30", "child": "1000"},
        {"start": "2025-02-30", "end": "2025-09-30", "child": "1000"},
        {"start": "20250901", "end": "2025-09-30", "child": "1000"},
        {"start": "2025-09-01", "end": "yesterday", "child": "1000"},
        {"start": "2025-09-30", "end": "2025-09-01", "child": "1000"},
        {"end": "2025-09-30", "child": "1000"},
        {"start": "2025-09-01", "end": "2025-09-30"},
        {"start": "2025-09-01", "end": "2025-09-30", "child": "abc"},
        {"start": "2025-09-01", "end": "2025-09-30", "child": ""},
    ],
    ids=[
        "short",
        "no-such-day",
        "basic-iso",
        "word",
        "reversed",
        "no-start",
        "no-child",
        "child-word",
        "child-empty",
    ],
)
def test_bad_parameters_are_400(api: Api, params: dict[str, str]) -> None:
    response = api.get("timetable2/", PUPIL, params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["error"]


# --- routing ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "user", "timetable2", "mail/", "user/extra/"])
def test_unknown_paths_are_404_json(api: Api, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["success"] is False


def test_only_get_is_allowed(api: Api) -> None:
    response = api.session.post(f"{api.base_url}/api3d/user/", headers=mobile_headers(*PUPIL))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["success"] is False


# --- without HTTP -----------------------------------------------------------------


def test_handle_directly(dataset: Dataset, tz: ZoneInfo) -> None:
    request = SimRequest("GET", "/api3d/user/", {}, mobile_headers(*PUPIL))
    response = handle(request, dataset, datetime(2025, 9, 1, tzinfo=tz))
    assert response.status == 200
    assert response.content_type == "application/json; charset=utf-8"
    assert "Маша".encode() in response.body  # UTF-8, not \u escapes


def test_lessons_of_several_groups_are_in_date_and_time_order(
    dataset: Dataset, tz: ZoneInfo
) -> None:
    # Pupil 1001 attends groups 100 and 101; add an earlier lesson of 101 on 2025-09-15.
    extra = Lesson(
        id=9100,
        group_id=101,
        date=date(2025, 9, 15),
        start=time(13, 0),
        end=time(14, 0),
        teacher_id=4,
        cancelled=False,
        entered_at=None,
    )
    data = dataclasses.replace(dataset, lessons=(*dataset.lessons, extra))
    pupil = next(s for s in data.students if s.id == 1001)
    now = datetime(2025, 10, 1, tzinfo=tz)
    lessons = timetable_json(data, pupil, date(2025, 9, 15), date(2025, 9, 15), now)
    assert [x["id"] for x in lessons] == [9100, 9001]
    assert lessons[0]["room"] == "" and lessons[0]["division_subject_str"] == "Палитра-2"


def test_split_full_name() -> None:
    assert split_full_name("Ученикова Маша Тестовна") == ("Ученикова", "Маша", "Тестовна")
    assert split_full_name("Иванов Пётр") == ("Иванов", "Пётр", "")
    assert split_full_name("") == ("", "", "")


def test_decode_header() -> None:
    assert decode_header(base64.b64encode("ЛОГИН".encode()).decode()) == "ЛОГИН"
    assert decode_header(None) is None
    assert decode_header("%%%") is None
    assert decode_header(base64.b64encode(b"\xff\xfe").decode()) is None
