"""The polite, robust HTTP layer every ЭШ 2.0 request goes through.

It owns an injected :class:`requests.Session` and adds what the real site needs and what a
daily job needs to survive it: a timeout on every request, a browser-like User-Agent (the
site sits behind anti-bot protection that refuses library user agents), a minimum interval
between requests, retries with exponential backoff on timeouts and 5xx answers, and
``Retry-After`` honoured on 429. ``requests`` errors become :class:`SourceError` here, at the
boundary, so nothing above this module knows about ``requests`` exceptions.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import requests

from auditor.errors import ClockSkewError, SourceError

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({500, 502, 503, 504})
MAX_RETRY_AFTER_S = 300.0  # a longer wait would stall a daily job: give up instead


@dataclass(slots=True)
class TransferStats:
    """What a client did: the numbers a sync run reports."""

    requests: int = 0
    bytes: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, body_bytes: int, *, retry: bool = False, hops: int = 0) -> None:
        """One request sent, plus ``hops`` redirects that requests followed for it."""
        with self.lock:
            self.requests += 1 + hops
            self.bytes += body_bytes
            self.retries += int(retry)


def settle_environment(session: requests.Session, base_url: str) -> None:
    """Read the environment's settings for the site once, as requests would per request.

    With ``trust_env`` requests reads the proxy variables (all of ``os.environ``, twice),
    ``~/.netrc`` and the CA bundle variables again for every request: about a fifth of its
    CPU time per request on a fast site, ~1 s of the demo's month. A client talks to one
    site (``base_url``), so the same settings are put on the session once, with the same
    precedence (the environment's proxies and CA bundle over the session's, the netrc
    login only without another), and the session stops looking. (Only a redirect to
    another host would differ: it gets no proxy of its own from the environment.)
    """
    if not session.trust_env:
        return
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    login = None if session.auth else requests.utils.get_netrc_auth(base_url)
    if login:
        session.auth = login
    session.trust_env = False


class HttpClient:
    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        *,
        timeout_s: float = 30.0,
        user_agent: str = "",
        min_interval_s: float = 0.0,
        max_retries: int = 4,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] | None = None,
        max_skew_s: float = 120.0,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout_s = timeout_s
        self.min_interval_s = min_interval_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.stats = TransferStats()
        self._sleep = sleep
        self._clock = clock
        # The moment the caller believes it is (the real clock, or a sync's --at clock);
        # each answer's Date header is checked against it (None: no check).
        self._wall_clock = wall_clock
        self.max_skew_s = max_skew_s
        self._pace_lock = threading.Lock()
        self._next_slot = 0.0
        if user_agent:
            session.headers["User-Agent"] = user_agent
        settle_environment(session, self.base_url)

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/"))

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        allow_redirects: bool = True,
    ) -> requests.Response:
        return self.request(
            "GET", path, params=params, headers=headers, allow_redirects=allow_redirects
        )

    def post(
        self,
        path: str,
        *,
        data: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
        allow_redirects: bool = False,
    ) -> requests.Response:
        return self.request(
            "POST", path, data=data, headers=headers, allow_redirects=allow_redirects
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        allow_redirects: bool = True,
    ) -> requests.Response:
        """Send one request, retrying what is worth retrying; raise SourceError otherwise."""
        url = self.url(path)
        attempt = 0
        while True:
            self._pace()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=dict(headers or {}),
                    timeout=self.timeout_s,
                    allow_redirects=allow_redirects,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                self.stats.count(0, retry=attempt > 0)
                log.info("%s %s: %s (attempt %d)", method, path, type(exc).__name__, attempt + 1)
                if attempt >= self.max_retries:
                    raise SourceError(
                        f"{method} {url} failed after {attempt + 1} attempts: {type(exc).__name__}",
                        hint="check that source.base_url is reachable from this machine",
                    ) from None
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            self.stats.count(len(response.content), retry=attempt > 0, hops=len(response.history))
            # The path and status only: never the query, the headers (the mobile API's
            # credentials travel there) or the body (pupils' names).
            log.debug(
                "%s %s -> %d, %d bytes in %.0f ms",
                method,
                path,
                response.status_code,
                len(response.content),
                response.elapsed.total_seconds() * 1000,
            )
            self._check_clock(response)
            if response.status_code == 429 or response.status_code in RETRY_STATUSES:
                log.info(
                    "%s %s answered %d (attempt %d)",
                    method,
                    path,
                    response.status_code,
                    attempt + 1,
                )
            if response.status_code == 429 and attempt < self.max_retries:
                self._sleep(self._retry_after(response, attempt))
                attempt += 1
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            if response.status_code >= 400 and response.status_code not in (401, 403):
                raise SourceError(
                    f"{method} {url} answered HTTP {response.status_code} "
                    f"after {attempt + 1} attempts",
                    hint="the site may be down or rate-limiting; try again later",
                )
            return response

    def _check_clock(self, response: requests.Response) -> None:
        """Stop at once when the server's clock and ours disagree: every observation time
        (and so every same-day judgement) would be off by the difference."""
        header = response.headers.get("Date")
        if self._wall_clock is None or not header:
            return
        try:
            server = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return  # a malformed Date header proves nothing either way
        ours = self._wall_clock()
        skew = (server - ours).total_seconds()
        if abs(skew) > self.max_skew_s:
            raise ClockSkewError(
                f"the site's clock ({server.astimezone(ours.tzinfo):%d.%m.%Y %H:%M:%S}) differs "
                f"from the auditor's ({ours:%d.%m.%Y %H:%M:%S}) by {abs(skew):.0f} s "
                f"(limit {self.max_skew_s:.0f} s); nothing was recorded",
                hint="set this machine's clock (NTP), or give --at the simulator's time",
            )

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff_s * (2**attempt), 60.0))

    def _retry_after(self, response: requests.Response, attempt: int) -> float:
        header = response.headers.get("Retry-After", "")
        seconds: float | None = None
        if header.strip().isdigit():
            seconds = float(header.strip())
        elif header:
            try:
                seconds = parsedate_to_datetime(header).timestamp() - time.time()
            except (TypeError, ValueError):
                seconds = None
        if seconds is None:
            return self._backoff(attempt)
        if seconds > MAX_RETRY_AFTER_S:
            raise SourceError(
                f"the site asks to wait {seconds:.0f} s before the next request (HTTP 429)",
                hint="run the sync later, or raise source.min_interval_s",
            )
        return max(seconds, 0.0)

    def _pace(self) -> None:
        """Keep at least ``min_interval_s`` between the starts of two requests."""
        if self.min_interval_s <= 0:
            return
        with self._pace_lock:
            now = self._clock()
            start = max(now, self._next_slot)
            self._next_slot = start + self.min_interval_s
        if start > now:
            self._sleep(start - now)
