"""Unit tests of the mobile API client with `responses`: auth, retries of cut-off answers."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from typing import Any

import pytest
import requests
import responses
from hypothesis import given
from hypothesis import strategies as st

from auditor.errors import LoginRefusedError, SiteChangedError
from auditor.source.http import HttpClient
from auditor.source.mobile_api import MobileApiClient, auth_headers, parse_timetable

BASE = "http://sim.test/api3d"
LESSON = {
    "id": 7,
    "date": "2025-09-15",
    "time_start": "15:00:00",
    "time_end": "16:30:00",
    "subject": "Изостудия",
    "division_subject": 100,
    "division_subject_str": "Палитра-1",
    "staff": "Педагогов П. В.",
    "staff_id": 3,
    "topic": "Цвет",
    "marks": [{"mark": "Н", "question_name": "Посещаемость"}],
    "task": [{"id": 7, "title": "Принести акварель"}],
    "lesson_status_cancel": 0,
}


def client(answers: list[tuple[str, str, str]] | None = None) -> MobileApiClient:
    http = HttpClient(requests.Session(), BASE, sleep=lambda s: None)
    sink = (
        (lambda path, params, text: answers.append((path, str(params), text)))
        if (answers is not None)
        else None
    )
    key = "source.mobile_accounts[0]"
    return MobileApiClient(http, "parent500", "pw", config_key=key, on_answer=sink)


@responses.activate
def test_headers_and_timetable() -> None:
    body = json.dumps({"success": True, "lessons": [LESSON]})
    route = responses.get(f"{BASE}/timetable2/", body=body, content_type="application/json")
    answers: list[tuple[str, str, str]] = []
    lessons = client(answers).timetable(1000, date(2025, 9, 1), date(2025, 9, 30))
    sent = route.calls[0].request
    assert sent.headers["username"] == auth_headers("parent500", "pw")["username"]
    assert "start=2025-09-01" in str(sent.url) and "child=1000" in str(sent.url)
    (lesson,) = lessons
    assert (lesson.group_id, lesson.staff_id, lesson.topic) == (100, 3, "Цвет")
    assert lesson.absent and lesson.has_homework and not lesson.cancelled
    assert answers[0][0] == "timetable2/" and answers[0][2] == body


@responses.activate
def test_wrong_password_is_login_refused_naming_the_account_key() -> None:
    responses.get(f"{BASE}/user/", status=401, json={"success": False, "error_type": "auth"})
    with pytest.raises(LoginRefusedError) as caught:
        client().user()
    assert "source.mobile_accounts[0]" in caught.value.hint
    assert len(responses.calls) == 1


@responses.activate
def test_cut_off_answer_is_fetched_again() -> None:
    whole = json.dumps({"status": "child", "id": 5, "first_name": "А"})
    responses.get(f"{BASE}/user/", body=whole[:10], content_type="application/json")
    responses.get(f"{BASE}/user/", body=whole, content_type="application/json")
    assert [c.id for c in client().user()] == [5]


@responses.activate
def test_answer_that_is_never_json_is_site_changed() -> None:
    responses.get(f"{BASE}/user/", body="<html>maintenance</html>")
    with pytest.raises(SiteChangedError, match="not JSON"):
        client().user()
    assert len(responses.calls) == 3


@given(
    key=st.sampled_from(sorted(LESSON)),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=12), st.lists(st.integers())),
)
def test_damaged_lessons_raise_only_site_changed(key: str, value: Any) -> None:
    with contextlib.suppress(SiteChangedError):
        parse_timetable({"lessons": [{**LESSON, key: value}]})
