"""Client of ЭШ 2.0's mobile JSON API (api3d), as public client code shows it.

Authentication is two headers on every request: ``username`` is base64 of the upper-cased
login, ``password`` base64 of the password (``shared/ruobr/api-facts.md`` §3). There is no
session. Parsing is separate from fetching: :func:`parse_user` and :func:`parse_timetable`
are pure functions over decoded JSON.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from auditor.errors import AuthError, SiteChangedError
from auditor.source.http import HttpClient


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


def auth_headers(login: str, password: str) -> dict[str, str]:
    return {
        "username": base64.b64encode(login.upper().encode("utf-8")).decode("ascii"),
        "password": base64.b64encode(password.encode("utf-8")).decode("ascii"),
    }


class MobileApiClient:
    def __init__(self, http: HttpClient, login: str, password: str, *, config_key: str) -> None:
        self._http = http
        self._headers = auth_headers(login, password)
        self._login = login
        self._config_key = config_key  # named in errors, so the user knows what to fix

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        response = self._http.get(f"api3d/{path}", params=params, headers=self._headers)
        try:
            body = response.json()
        except (ValueError, json.JSONDecodeError):
            raise SiteChangedError(
                f"mobile API {path}: the answer is not JSON (HTTP {response.status_code})",
                hint="the API may have changed; run `auditor capture` and report it",
            ) from None
        if isinstance(body, dict) and body.get("success") is False:
            if body.get("error_type") == "auth" or response.status_code == 401:
                raise AuthError(
                    f"the mobile API refused login {self._login!r}",
                    hint=f"check the login and the password variable in {self._config_key}",
                )
            raise SiteChangedError(f"mobile API {path} answered an error: {body.get('error')}")
        return body

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


def parse_timetable(body: Any) -> list[MobileLesson]:
    lessons = []
    for raw in _require(body, "lessons", list, "timetable2/"):
        where = "timetable2/.lessons[]"
        marks = raw.get("marks") or []
        lessons.append(
            MobileLesson(
                id=_require(raw, "id", int, where),
                date=date.fromisoformat(_require(raw, "date", str, where)),
                start=time.fromisoformat(_require(raw, "time_start", str, where)),
                end=time.fromisoformat(_require(raw, "time_end", str, where)),
                subject=str(raw.get("subject") or ""),
                group_id=raw.get("division_subject"),
                group_name=str(raw.get("division_subject_str") or ""),
                staff_id=raw.get("staff_id"),
                staff_name=str(raw.get("staff") or ""),
                topic=raw.get("topic") or None,
                cancelled=bool(raw.get("lesson_status_cancel")),
                absent=any(isinstance(m, dict) and m.get("mark") == "Н" for m in marks),
            )
        )
    return lessons
