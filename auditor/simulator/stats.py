"""Request counters of one simulator run, for benchmarks that count what a crawl costs.

Control requests (``/__sim__/…``) are not counted: they are the harness, not the crawl.
``by_prefix`` keys are the first path segment (``/groups/``, ``/api3d/``, ``/`` for the home
page); ``by_route`` keys are the path with numeric segments replaced by ``<id>``
(``/groups/<id>/journal/``); the query string is left out of both.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from auditor.simulator.fault_injector import RequestFaults


def path_prefix(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return f"/{first}/" if first else "/"


def path_route(path: str) -> str:
    parts = ["<id>" if part.isdigit() else part for part in path.split("/")]
    return "/".join(parts)


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._by_prefix: Counter[str] = Counter()
        self._by_route: Counter[str] = Counter()
        self._by_status: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()

    def record(self, path: str, status: int, faults: RequestFaults, *, truncated: bool) -> None:
        with self._lock:
            self._total += 1
            self._by_prefix[path_prefix(path)] += 1
            self._by_route[path_route(path)] += 1
            self._by_status[str(status)] += 1
            if faults.delay_s:
                self._faults["slow"] += 1
            if faults.fail_status is not None:
                self._faults[str(faults.fail_status)] += 1
            if truncated:
                self._faults["truncated"] += 1
            if faults.expire_sessions:
                self._faults["sessions_expired"] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "by_prefix": dict(sorted(self._by_prefix.items())),
                "by_route": dict(sorted(self._by_route.items())),
                "by_status": dict(sorted(self._by_status.items())),
                "faults": dict(sorted(self._faults.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self._total = 0
            for counter in (self._by_prefix, self._by_route, self._by_status, self._faults):
                counter.clear()
