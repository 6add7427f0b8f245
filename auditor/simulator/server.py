"""The ЭШ 2.0 simulator's HTTP server.

Routes: ``/api3d/…`` is the mobile JSON API (:mod:`auditor.simulator.mobile_api`),
``/__sim__/…`` the control endpoints (:mod:`auditor.simulator.control`: clock, faults,
stats), everything else the staff web app (:mod:`auditor.simulator.staff_web`). The server
binds 127.0.0.1 unless told otherwise.

Faults (:mod:`auditor.simulator.faults`) apply to the staff pages and ``/api3d/``, never to
``/__sim__/``. For one request they apply in this order: session expiry, delay, a failing
status (5xx / 429) instead of the page, the page itself (changed layout, refused logins),
truncation of a 200 body.

Entry points: :func:`build_simulator` (what the CLI builds from its flags),
:func:`serve_forever` (the CLI's ``auditor simulate``) and :func:`running_simulator`
(tests and the demo: a server in a background thread).
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from http.server import ThreadingHTTPServer

from auditor.simulator import mobile_api
from auditor.simulator.clock import SimClock
from auditor.simulator.control import PREFIX as CONTROL_PREFIX
from auditor.simulator.control import Control, json_response
from auditor.simulator.dataset import Dataset
from auditor.simulator.fault_injector import (
    FaultInjector,
    RequestFaults,
    fault_response,
    truncate,
)
from auditor.simulator.faults import FaultConfig, FaultSpecError
from auditor.simulator.http import SimRequest, SimResponse
from auditor.simulator.http_handler import SimServer, make_handler
from auditor.simulator.sessions import DEFAULT_TTL_S, SessionStore
from auditor.simulator.staff_web import StaffWeb
from auditor.simulator.stats import RequestStats

# Sent as the password of an /api3d/ request under the wrong-credentials fault, so that the
# mobile API refuses it exactly as it refuses any wrong password.
_WRONG_PASSWORD = base64.b64encode(b"\x00sim-wrong-credentials").decode("ascii")


class Simulator:
    """One simulator instance: dataset, clock, sessions, faults and request counts."""

    def __init__(
        self,
        dataset: Dataset,
        clock: SimClock,
        *,
        faults: FaultConfig | None = None,
        session_ttl_s: float = DEFAULT_TTL_S,
        seed: int = 0,
    ) -> None:
        self.dataset = dataset
        self.clock = clock
        self.tz = dataset.institution.tz
        self.sessions = SessionStore(session_ttl_s)
        self.injector = FaultInjector(faults, seed=seed)
        self.stats = RequestStats()
        self.staff_web = StaffWeb(dataset, self.sessions)
        self.control = Control(clock, self.tz, self.injector, self.sessions, self.stats)

    def now(self) -> datetime:
        """The served moment, in the institution's time zone."""
        return self.clock.now().astimezone(self.tz)

    def handle(self, request: SimRequest) -> SimResponse:
        if request.path.startswith(CONTROL_PREFIX) or request.path == CONTROL_PREFIX.rstrip("/"):
            return self.control.handle(request)
        try:
            faults = self.injector.decide(request.headers.get("x-sim-fault"))
        except FaultSpecError as exc:
            return json_response({"error": f"X-Sim-Fault: {exc}"}, 400)
        if faults.expire_sessions:
            self.sessions.clear()
        if faults.delay_s > 0:
            time.sleep(faults.delay_s)
        if faults.fail_status is not None:
            response = fault_response(faults.fail_status, faults.retry_after_s)
        else:
            response = self._route(request, faults)
        truncated = False
        if faults.keep_share is not None and response.status == 200 and response.body:
            response.body = truncate(response.body, faults.keep_share)
            truncated = True
        self.stats.record(request.path, response.status, faults, truncated=truncated)
        return response

    def _route(self, request: SimRequest, faults: RequestFaults) -> SimResponse:
        now = self.now()
        if request.path.startswith("/api3d/"):
            if faults.wrong_credentials and "password" in request.headers:
                request = replace(request, headers={**request.headers, "password": _WRONG_PASSWORD})
            return mobile_api.handle(request, self.dataset, now)
        return self.staff_web.handle(
            request,
            now,
            layout_changed=faults.layout_changed,
            wrong_credentials=faults.wrong_credentials,
        )


def build_simulator(
    dataset: Dataset,
    now: datetime,
    *,
    running: bool = False,
    faults: FaultConfig | None = None,
    session_ttl_s: float = DEFAULT_TTL_S,
    seed: int = 0,
) -> Simulator:
    """A simulator serving ``dataset`` as it stood at ``now``.

    A naive ``now`` is local time of the institution. ``running`` lets the clock advance
    with real time; ``faults`` are the run's fault modes (:meth:`FaultConfig.parse` reads
    the CLI's ``--fault`` spec); ``session_ttl_s`` is the idle lifetime of staff sessions in
    real seconds; ``seed`` seeds the random draws of fault rates.
    """
    tz = dataset.institution.tz
    start = now.replace(tzinfo=tz) if now.tzinfo is None else now
    return Simulator(
        dataset,
        SimClock(start, running=running),
        faults=faults,
        session_ttl_s=session_ttl_s,
        seed=seed,
    )


def make_server(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    # Late-bound, so that a wrapped ``sim.handle`` (benchmarks, tests) is the one called.
    return SimServer((host, port), make_handler(lambda request: sim.handle(request), sim.now))


def serve_forever(
    sim: Simulator,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C); ``on_ready`` gets the base URL once listening."""
    server = make_server(sim, host, port)
    if on_ready is not None:
        on_ready(f"http://{host}:{server.server_address[1]}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@contextmanager
def running_simulator(
    dataset: Dataset,
    now: datetime,
    *,
    host: str = "127.0.0.1",
    running: bool = False,
    faults: FaultConfig | None = None,
    session_ttl_s: float = DEFAULT_TTL_S,
    seed: int = 0,
) -> Iterator[tuple[str, Simulator]]:
    """Serve ``dataset`` in a background thread; yield (base URL, simulator)."""
    sim = build_simulator(
        dataset, now, running=running, faults=faults, session_ttl_s=session_ttl_s, seed=seed
    )
    server = make_server(sim, host, 0)
    # A short poll interval makes shutdown quick: tests start many simulators.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="ruobr-sim", daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", sim
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
