"""The ЭШ 2.0 simulator's HTTP server.

Routes: ``/api3d/…`` is the mobile JSON API (:mod:`auditor.simulator.mobile_api`),
``/__sim__/…`` the control endpoints (clock, faults), everything else the staff web app
(:mod:`auditor.simulator.staff_web`). The server binds 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from auditor.simulator import mobile_api
from auditor.simulator.clock import SimClock
from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest, SimResponse


class Simulator:
    """Everything one simulator instance knows: the dataset and the clock."""

    def __init__(self, dataset: Dataset, clock: SimClock) -> None:
        self.dataset = dataset
        self.clock = clock

    def handle(self, request: SimRequest) -> SimResponse:
        if request.path.startswith("/api3d/"):
            return mobile_api.handle(request, self.dataset, self.clock.now())
        return SimResponse.html("<h1>Not found</h1>", status=404)


def _make_handler(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ruobr-sim/1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            request = SimRequest(
                method=self.command,
                path=parts.path,
                query=query,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            response = sim.handle(request)
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_HEAD = _serve

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the simulator is quiet; the CLI reports what matters

    return Handler


def make_server(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _make_handler(sim))
    server.daemon_threads = True
    return server


@contextmanager
def running_simulator(
    dataset: Dataset, now: datetime, *, host: str = "127.0.0.1"
) -> Iterator[tuple[str, Simulator]]:
    """Serve ``dataset`` in a background thread; yield (base URL, simulator)."""
    sim = Simulator(dataset, SimClock(now))
    server = make_server(sim, host, 0)
    thread = threading.Thread(target=server.serve_forever, name="ruobr-sim", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", sim
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
