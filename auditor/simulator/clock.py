"""The simulator's clock: the moment at which the journal is served.

A topic entered at 21:40 is absent from a page served at 18:00 and present at 22:00. The
clock is frozen at the moment it is set to (tests and demos need determinism) unless it is
made to run, in which case it advances with real time from that moment.
"""

from __future__ import annotations

import threading
import time as _time
from datetime import datetime, timedelta

from auditor.domain import require_aware


class SimClock:
    def __init__(self, start: datetime, *, running: bool = False) -> None:
        self._lock = threading.Lock()
        self._set(start, running)

    def _set(self, moment: datetime, running: bool) -> None:
        self._base = require_aware(moment, "simulator clock")
        self._running = running
        self._real_base = _time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            if not self._running:
                return self._base
            return self._base + timedelta(seconds=_time.monotonic() - self._real_base)

    def set(self, moment: datetime, *, running: bool | None = None) -> None:
        with self._lock:
            self._set(moment, self._running if running is None else running)

    @property
    def running(self) -> bool:
        return self._running
