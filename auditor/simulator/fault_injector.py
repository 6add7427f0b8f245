"""The run-time side of the fault modes: which faults hit *this* request.

One :class:`FaultInjector` lives on each Simulator. It holds the run's :class:`FaultConfig`,
the deterministic counters (``next-5xx``, ``next-429``, ``expire-after``) and a seeded random
generator for the rates, so that the same sequence of requests meets the same faults.

A request's ``X-Sim-Fault`` header is applied over the run's config for that request only.
Its counters arm nothing: ``next-5xx=N`` / ``next-429=N`` (N >= 1) fail this one request,
``expire-now`` (``expire-after=0``) invalidates the sessions before it is handled, and
``expire-after=N`` with N > 0 and ``seed=N`` are ignored.

:func:`fault_response` and :func:`truncate` are what a failing or truncated answer looks like.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, replace
from typing import Any

from auditor.simulator.faults import FaultConfig, parse_overrides
from auditor.simulator.http import SimResponse

# Truncated bodies keep between these shares of their length: enough to look like a page,
# never the closing tags.
TRUNCATE_KEEP = (0.3, 0.8)


@dataclass(frozen=True, slots=True)
class RequestFaults:
    """What happens to one request."""

    delay_s: float = 0.0
    fail_status: int | None = None  # 500, 503 or 429: answered instead of the page
    retry_after_s: int = 1
    keep_share: float | None = None  # truncate the body to this share of its length
    layout_changed: bool = False
    wrong_credentials: bool = False
    expire_sessions: bool = False  # invalidate every session before handling


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None, *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._config = FaultConfig()
        self._next_5xx = 0
        self._next_429 = 0
        self._expire_countdown: int | None = None
        if config is not None:
            self.configure(config)

    def configure(self, config: FaultConfig) -> bool:
        """Replace the run's faults and rearm the counters.

        Returns True when the sessions must be invalidated at once (``expire-after=0``).
        """
        with self._lock:
            self._config = config
            self._next_5xx = config.next_5xx
            self._next_429 = config.next_429
            if config.seed is not None:
                self._rng.seed(config.seed)
            if config.expire_after == 0:
                self._expire_countdown = None
                return True
            self._expire_countdown = config.expire_after
            return False

    @property
    def config(self) -> FaultConfig:
        return self._config

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "spec": self._config.to_spec(),
                "config": self._config.to_json(),
                "pending": {
                    "next_5xx": self._next_5xx,
                    "next_429": self._next_429,
                    "expire_after": self._expire_countdown,
                },
            }

    def decide(self, header_spec: str | None = None) -> RequestFaults:
        """Draw the faults of one request (raises FaultSpecError on a bad header)."""
        overrides = parse_overrides(header_spec) if header_spec else {}
        with self._lock:
            config = replace(self._config, **overrides) if overrides else self._config
            return RequestFaults(
                delay_s=config.delay_s,
                fail_status=self._fail_status(config, overrides),
                retry_after_s=config.retry_after_s,
                keep_share=self._keep_share(config),
                layout_changed=config.layout_changed,
                wrong_credentials=config.wrong_credentials,
                expire_sessions=self._expire(overrides),
            )

    def _expire(self, overrides: dict[str, Any]) -> bool:
        if overrides.get("expire_after") == 0:
            return True
        if self._expire_countdown is None:
            return False
        if self._expire_countdown == 0:
            self._expire_countdown = None  # one-shot: fresh logins work again
            return True
        self._expire_countdown -= 1
        return False

    def _fail_status(self, config: FaultConfig, overrides: dict[str, Any]) -> int | None:
        if overrides.get("next_5xx", 0) > 0:
            return config.error_status
        if overrides.get("next_429", 0) > 0:
            return 429
        if self._next_5xx > 0:
            self._next_5xx -= 1
            return config.error_status
        if self._next_429 > 0:
            self._next_429 -= 1
            return 429
        if config.error_rate and self._rng.random() < config.error_rate:
            return config.error_status
        if config.throttle_rate and self._rng.random() < config.throttle_rate:
            return 429
        return None

    def _keep_share(self, config: FaultConfig) -> float | None:
        if config.truncate_rate and self._rng.random() < config.truncate_rate:
            return self._rng.uniform(*TRUNCATE_KEEP)
        return None


# What nginx in front of a Django site answers when the backend fails or throttles.
_FAULT_TITLES = {
    429: "429 Too Many Requests",
    500: "500 Internal Server Error",
    503: "503 Service Temporarily Unavailable",
}


def fault_response(status: int, retry_after_s: int) -> SimResponse:
    title = _FAULT_TITLES[status]
    html = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    response = SimResponse.html(html, status)
    if status == 429:
        response.headers.append(("Retry-After", str(retry_after_s)))
    return response


def truncate(body: bytes, keep_share: float) -> bytes:
    """Cut a body short at a character boundary (a body never ends mid-character)."""
    text = body.decode("utf-8", errors="replace")
    return text[: max(1, int(len(text) * keep_share))].encode("utf-8")
