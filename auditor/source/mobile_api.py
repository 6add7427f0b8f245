"""Client of ЭШ 2.0's mobile JSON API (api3d), as public client code shows it.

Authentication is two headers on every request: ``username`` is base64 of the upper-cased
login, ``password`` base64 of the password (``shared/ruobr/api-facts.md`` §3). There is no
session. Parsing is separate from fetching: :func:`parse_user` and :func:`parse_timetable`
are pure functions over decoded JSON.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar

from auditor.errors import LoginRefusedError, SiteChangedError
from auditor.source.http import HttpClient

T = TypeVar("T")
AnswerSink = Callable[[str, Mapping[str, str], str], None]

INCOMPLETE_RETRIES = 2  # as for staff pages: how often a cut-off answer is fetched again


@dataclass(frozen=True, slots=True)
class MobileChild:
    id: int
    full_name: str
    group: str


@dataclass(frozen=True, slots=True)
class MobileLesson:
    id: int
    date: date
    start: time
    end: time
    subject: str
    group_id: int | None
    group_name: str
    staff_id: int | None
    staff_name: str
    topic: str | None
    cancelled: bool
    absent: bool  # an attendance mark «Н» for this child
    has_homework: bool = False  # a task (homework) is attached


def auth_headers(login: str, password: str) -> dict[str, str]:
    return {
        "username": base64.b64encode(login.upper().encode("utf-8")).decode("ascii"),
        "password": base64.b64encode(password.encode("utf-8")).decode("ascii"),
    }


class MobileApiClient:
    """Paths are relative to the HTTP client's base URL: ``source.mobile_base_url``
    (``https://api3d.ruobr.ru``, or the simulator's ``http://127.0.0.1:8765/api3d``)."""

    def __init__(
        self,
        http: HttpClient,
        login: str,
        password: str,
        *,
        config_key: str,
        on_answer: AnswerSink | None = None,
    ) -> None:
        self._http = http
        self._on_answer = on_answer  # sees every answer's text (`auditor capture` saves them)
        self._headers = auth_headers(login, password)
        self._login = login
        self._config_key = config_key  # named in errors, so the user knows what to fix

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        status, body = self._json(path, params)
        if isinstance(body, dict) and body.get("success") is False:
            if body.get("error_type") == "auth" or status == 401:
                raise LoginRefusedError(
                    f"the mobile API refused login {self._login!r}",
                    hint=f"check the login and the password variable in {self._config_key}",
                )
            raise SiteChangedError(f"mobile API {path} answered an error: {body.get('error')}")
        return body

    def _json(self, path: str, params: dict[str, str] | None) -> tuple[int, Any]:
        # An answer cut off mid-body is not JSON either: fetch it again before concluding
        # that the API changed.
        for _ in range(INCOMPLETE_RETRIES + 1):
            response = self._http.get(path, params=params, headers=self._headers)
            try:
                body = response.json()
            except (ValueError, json.JSONDecodeError):
                continue
            if self._on_answer is not None:
                self._on_answer(path, dict(params or {}), response.text)
            return response.status_code, body
        raise SiteChangedError(
            f"mobile API {path}: the answer is not JSON (HTTP {response.status_code})",
            hint="the API may have changed; run `auditor capture` and report it",
        )

    def user(self) -> list[MobileChild]:
        """Log in; return the children this account may see (a pupil: itself)."""
        return parse_user(self._get("user/"))

    def timetable(self, child_id: int, start: date, end: date) -> list[MobileLesson]:
        params = {"start": start.isoformat(), "end": end.isoformat(), "child": str(child_id)}
        return parse_timetable(self._get("timetable2/", params))


def _require(obj: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj or not isinstance(obj[key], kind):
        raise SiteChangedError(
            f"mobile API {where}: field {key!r} missing or not {kind.__name__}",
            hint="the API may have changed; run `auditor capture` and report it",
        )
    return obj[key]


def _child(raw: Any, where: str) -> MobileChild:
    names = [raw.get(k) or "" for k in ("last_name", "first_name", "middle_name")]
    return MobileChild(
        id=_require(raw, "id", int, where),
        full_name=" ".join(n for n in names if n),
        group=str(raw.get("group") or ""),
    )


def parse_user(body: Any) -> list[MobileChild]:
    status = _require(body, "status", str, "user/")
    if status == "applicant":
        return [_child(c, "user/.childs[]") for c in _require(body, "childs", list, "user/")]
    return [_child(body, "user/")]


def _moment(kind: Callable[[str], T], raw: Any, key: str, where: str) -> T:
    text = _require(raw, key, str, where)
    try:
        return kind(text)
    except ValueError:
        raise SiteChangedError(
            f"mobile API {where}: field {key!r} is not an ISO value (got {text[:20]!r})",
            hint="the API may have changed; run `auditor capture` and report it",
        ) from None


def _opt_int(raw: dict[str, Any], key: str) -> int | None:
    value = raw.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_timetable(body: Any) -> list[MobileLesson]:
    lessons = []
    where = "timetable2/.lessons[]"
    for raw in _require(body, "lessons", list, "timetable2/"):
        lesson_id = _require(raw, "id", int, where)
        marks = raw.get("marks") or []
        lessons.append(
            MobileLesson(
                id=lesson_id,
                date=_moment(date.fromisoformat, raw, "date", where),
                start=_moment(time.fromisoformat, raw, "time_start", where),
                end=_moment(time.fromisoformat, raw, "time_end", where),
                subject=str(raw.get("subject") or ""),
                group_id=_opt_int(raw, "division_subject"),
                group_name=str(raw.get("division_subject_str") or ""),
                staff_id=_opt_int(raw, "staff_id"),
                staff_name=str(raw.get("staff") or ""),
                topic=str(raw.get("topic") or "") or None,
                cancelled=bool(raw.get("lesson_status_cancel")),
                absent=isinstance(marks, list)
                and any(isinstance(m, dict) and m.get("mark") == "Н" for m in marks),
                has_homework=bool(raw.get("task")),
            )
        )
    return lessons
