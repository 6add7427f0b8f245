"""The simulator's mobile JSON API: ЭШ 2.0's ``https://api3d.ruobr.ru/``, served under ``/api3d/``.

Routes (GET only, trailing slash required as in every documented path):

* ``/api3d/user/``: the account's pupil, or a parent's children (:mod:`.mobile_user`);
* ``/api3d/timetable2/?start=YYYY-MM-DD&end=YYYY-MM-DD&child=<id>``: ``{"success": true,
  "lessons": [...]}`` (:mod:`.mobile_timetable`).

Documented publicly (api-facts §3, §4, §8): header auth with base64 ``username`` (upper-cased
login) and ``password``, no session; all calls GET; ``child=`` is the pupil ``id`` from
``user/``; dates are ``YYYY-MM-DD`` and times local; a body ``{"success": false}`` makes the
public client raise, with ``error`` (a message) read before ``error_type`` (``"auth"`` means
bad credentials); responses may carry ``"success": true``.

Assumed here, because no public source shows it (api-facts §9 item 2):

* bad or missing credentials get HTTP **401** with ``{"success": false, "error_type": "auth"}``
  (no ``error`` key, so the public client raises its AuthenticationException);
* other errors get ``{"success": false, "error": "<English message>"}`` with 400 (bad or
  missing parameter), 403 (``child`` is not the account's pupil: regulation clauses 1.7 and
  5.5, a parent sees only their own child), 404 (unknown route, including the forms without
  the trailing slash and the documented routes not simulated yet) and 405 (not GET);
* ``timetable2/`` has no maximum range; ``start`` after ``end`` is an error;
* the QRATOR anti-bot wall (api-facts §3) is not simulated here.

Every response is a pure function of (request, dataset, now): the clock decides which
accounts exist and what the journal shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest, SimResponse
from auditor.simulator.mobile_auth import MobileAccount, authenticate
from auditor.simulator.mobile_timetable import timetable_json
from auditor.simulator.mobile_user import user_json

PREFIX = "/api3d/"
AUTH_FAILURE: dict[str, Any] = {"success": False, "error_type": "auth"}
AUTH_FAILURE_STATUS = 401  # assumption: the real status is unknown (api-facts §3)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Route = Callable[[SimRequest, Dataset, datetime, MobileAccount], dict[str, Any]]


class ApiError(Exception):
    """A request the API refuses; becomes ``{"success": false, "error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def handle(request: SimRequest, dataset: Dataset, now: datetime) -> SimResponse:
    route = ROUTES.get(request.path)
    if route is None:
        return error_response(404, f"no such API route: {request.path}")
    if request.method != "GET":
        response = error_response(405, f"method {request.method} not allowed; use GET")
        response.headers.append(("Allow", "GET"))
        return response
    account = authenticate(request.headers, dataset, now)
    if account is None:
        return json_response(AUTH_FAILURE, AUTH_FAILURE_STATUS)
    try:
        return json_response(route(request, dataset, now, account))
    except ApiError as exc:
        return error_response(exc.status, exc.message)


def json_response(body: Any, status: int = 200) -> SimResponse:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return SimResponse.json_bytes(data, status)


def error_response(status: int, message: str) -> SimResponse:
    return json_response({"success": False, "error": message}, status)


def _user(
    request: SimRequest, dataset: Dataset, now: datetime, account: MobileAccount
) -> dict[str, Any]:
    return user_json(account, dataset, now)


def _timetable(
    request: SimRequest, dataset: Dataset, now: datetime, account: MobileAccount
) -> dict[str, Any]:
    child = child_param(request.query)
    start = date_param(request.query, "start")
    end = date_param(request.query, "end")
    if start > end:
        raise ApiError(400, f"start {start} is after end {end}")
    if child not in account.student_ids:
        # Clauses 1.7 and 5.5: an account sees only its own pupil(s).
        raise ApiError(403, f"child {child} is not available to this account")
    student = next(s for s in dataset.students if s.id == child)
    return {"success": True, "lessons": timetable_json(dataset, student, start, end, now)}


def child_param(query: Mapping[str, str]) -> int:
    raw = query.get("child", "").strip()
    if not raw:
        raise ApiError(400, "parameter child is required")
    if not (raw.isascii() and raw.isdigit()):
        raise ApiError(400, f"parameter child must be a pupil id, got {raw!r}")
    return int(raw)


def date_param(query: Mapping[str, str], name: str) -> date:
    raw = query.get(name, "").strip()
    if not raw:
        raise ApiError(400, f"parameter {name} is required (YYYY-MM-DD)")
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"parameter {name} must be a date YYYY-MM-DD, got {raw!r}") from None


ROUTES: dict[str, Route] = {
    PREFIX + "user/": _user,
    PREFIX + "timetable2/": _timetable,
}
