"""The simulator's control endpoints under ``/__sim__/`` (JSON in, JSON out).

These are the test harness's levers, not part of ЭШ 2.0: faults never apply to them and the
request statistics do not count them.

=============================  ==========================================================
``GET /__sim__/clock``         ``{"now": ISO-8601, "running": bool, "timezone": name}``
``POST /__sim__/clock``        body ``{"now"?: ISO, "running"?: bool, "advance_s"?: number}``;
                               a naive ``now`` is read in the institution's time zone
``GET /__sim__/faults``        ``{"spec": str, "config": {...}, "pending": {...}}``
``POST /__sim__/faults``       body ``{"spec": "5xx=0.1,..."}``: the run's faults from now on
                               (replaces the previous ones; ``""`` clears)
``DELETE /__sim__/faults``     clear every fault
``GET /__sim__/stats``         request counts (see :mod:`.stats`)
``POST /__sim__/stats/reset``  zero the counts
=============================  ==========================================================

Bad input answers 400 with ``{"error": "..."}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from auditor.simulator.clock import SimClock
from auditor.simulator.fault_injector import FaultInjector
from auditor.simulator.faults import FaultConfig, FaultSpecError
from auditor.simulator.http import SimRequest, SimResponse
from auditor.simulator.sessions import SessionStore
from auditor.simulator.stats import RequestStats

PREFIX = "/__sim__/"


class BadRequest(Exception):
    pass


def json_response(data: Any, status: int = 200) -> SimResponse:
    return SimResponse.json_bytes(json.dumps(data, ensure_ascii=False).encode("utf-8"), status)


def parse_moment(raw: object, tz: ZoneInfo) -> datetime:
    """An ISO-8601 moment; a naive one is local time of the institution."""
    if not isinstance(raw, str):
        raise BadRequest("'now' must be an ISO-8601 string")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"'now' is not ISO-8601: {raw!r}") from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


class Control:
    def __init__(
        self,
        clock: SimClock,
        tz: ZoneInfo,
        injector: FaultInjector,
        sessions: SessionStore,
        stats: RequestStats,
    ) -> None:
        self._clock = clock
        self._tz = tz
        self._injector = injector
        self._sessions = sessions
        self._stats = stats

    def handle(self, request: SimRequest) -> SimResponse:
        routes: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
            ("GET", "clock"): lambda: self._clock_state(),
            ("POST", "clock"): lambda: self._set_clock(request),
            ("GET", "faults"): lambda: self._injector.snapshot(),
            ("POST", "faults"): lambda: self._set_faults(request),
            ("DELETE", "faults"): lambda: self._configure(FaultConfig()),
            ("GET", "stats"): lambda: self._stats.snapshot(),
            ("POST", "stats/reset"): lambda: self._reset_stats(),
            ("GET", ""): lambda: {"endpoints": ["clock", "faults", "stats", "stats/reset"]},
        }
        name = request.path.removeprefix(PREFIX.rstrip("/")).strip("/")
        method = "GET" if request.method == "HEAD" else request.method
        action = routes.get((method, name))
        if action is None:
            known = any(key[1] == name for key in routes)
            status = 405 if known else 404
            return json_response(
                {"error": f"{request.method} {request.path}: no such endpoint"}, status
            )
        try:
            return json_response(action())
        except BadRequest as exc:
            return json_response({"error": str(exc)}, 400)

    def _body(self, request: SimRequest) -> dict[str, Any]:
        if not request.body.strip():
            return {}
        try:
            body = json.loads(request.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadRequest(f"the body is not JSON: {exc}") from None
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        return body

    def _clock_state(self) -> dict[str, Any]:
        return {
            "now": self._clock.now().astimezone(self._tz).isoformat(),
            "running": self._clock.running,
            "timezone": self._tz.key,
        }

    def _set_clock(self, request: SimRequest) -> dict[str, Any]:
        body = self._body(request)
        unknown = set(body) - {"now", "running", "advance_s"}
        if unknown:
            raise BadRequest(f"unknown keys: {', '.join(sorted(unknown))}")
        running = body.get("running")
        if running is not None and not isinstance(running, bool):
            raise BadRequest("'running' must be true or false")
        moment = parse_moment(body["now"], self._tz) if "now" in body else self._clock.now()
        advance = body.get("advance_s", 0)
        if isinstance(advance, bool) or not isinstance(advance, int | float):
            raise BadRequest("'advance_s' must be a number of seconds")
        self._clock.set(moment + timedelta(seconds=advance), running=running)
        return self._clock_state()

    def _set_faults(self, request: SimRequest) -> dict[str, Any]:
        spec = self._body(request).get("spec", "")
        if not isinstance(spec, str):
            raise BadRequest("'spec' must be a string such as \"5xx=0.1,slow=200ms\"")
        try:
            config = FaultConfig.parse(spec)
        except FaultSpecError as exc:
            raise BadRequest(str(exc)) from None
        return self._configure(config)

    def _configure(self, config: FaultConfig) -> dict[str, Any]:
        if self._injector.configure(config):
            self._sessions.clear()
        return self._injector.snapshot()

    def _reset_stats(self) -> dict[str, Any]:
        self._stats.reset()
        return self._stats.snapshot()
