"""Login sessions of the staff web app, with an idle time-to-live in real seconds.

Sessions expire on real (monotonic) time, not on the simulator's clock: a crawler that logs
in and then idles for longer than the TTL must log in again whatever simulated moment is
being served. The TTL is an *idle* limit (every request through the session renews it), as
a Django site with ``SESSION_SAVE_EVERY_REQUEST = True`` behaves. Session keys look like
Django's: 32 lower-case letters and digits.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

KEY_CHARS = string.ascii_lowercase + string.digits
DEFAULT_TTL_S = 1800.0


@dataclass(slots=True)
class _Session:
    staff_id: int
    last_seen: float


class SessionStore:
    def __init__(
        self, ttl_s: float = DEFAULT_TTL_S, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if ttl_s <= 0:
            raise ValueError("session TTL must be positive")
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}

    def create(self, staff_id: int) -> str:
        key = "".join(secrets.choice(KEY_CHARS) for _ in range(32))
        with self._lock:
            now = self._clock()
            self._purge(now)
            self._sessions[key] = _Session(staff_id, now)
        return key

    def staff_id(self, key: str | None) -> int | None:
        """The staff member logged in by ``key``, renewing the session; None if none."""
        if not key:
            return None
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            now = self._clock()
            if now - session.last_seen > self.ttl_s:
                del self._sessions[key]
                return None
            session.last_seen = now
            return session.staff_id

    def delete(self, key: str | None) -> None:
        with self._lock:
            self._sessions.pop(key or "", None)

    def clear(self) -> int:
        """Invalidate every session (a fault mode); return how many there were."""
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
            return count

    def __len__(self) -> int:
        with self._lock:
            self._purge(self._clock())
            return len(self._sessions)

    def _purge(self, now: float) -> None:
        stale = [k for k, s in self._sessions.items() if now - s.last_seen > self.ttl_s]
        for key in stale:
            del self._sessions[key]
