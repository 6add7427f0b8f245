"""The simulator's HTTP server and request handler: socket bytes to SimRequest and back.

A demo month is ~10,500 requests, so the per-request cost of ``BaseHTTPRequestHandler``
counts. Two parts of it are slow for what they do here: the headers go through the
``email`` package's feed parser (~30-60 µs a request), and the status line with the headers
and the body leave in two writes. So a request in the common shape (``METHOD /path
HTTP/1.x`` and plain ``Name: value`` header lines) is read by a short parser that gives
exactly what the standard one would, and the answer leaves in one write. Anything else
(HTTP/0.9, odd spacing, folded or odd header lines, limits exceeded) takes the standard
library's own path, so its answers stay what they were.
"""

from __future__ import annotations

import email.parser
import email.utils
import re
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message
from http import HTTPStatus
from http.client import HTTPMessage, LineTooLong
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from auditor.simulator.http import SimRequest, SimResponse

Handle = Callable[[SimRequest], SimResponse]

# Visible ASCII only in the path: str.split() in the standard parser also splits on some
# Latin-1 bytes (\x85, \xa0), and such a line must get its answer, not ours.
_REQUEST_LINE = re.compile(rb"([A-Z]+) ([!-~]+) HTTP/1\.([01])\r?\n")
# A header line the email parser reads as plain "name: value" (a token name, no bare CR).
_HEADER_LINE = re.compile(r"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\r\n]*)\r?\n")
_MAX_LINE = 65536  # the limits of http.client.parse_headers
_MAX_HEADERS = 100
_END = (b"\r\n", b"\n", b"")


def http_date(moment: datetime) -> str:
    """An HTTP Date header value for ``moment``."""
    return email.utils.format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


class SimServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up on a slow answer is not an error of the simulator.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def make_handler(handle: Handle, now: Callable[[], datetime]) -> type[BaseHTTPRequestHandler]:
    """A handler class answering with ``handle``; its Date header tells ``now()``: the
    simulated time, as a real server tells its own (the connector checks its clock by it)."""

    class Handler(_SimHandler):
        pass

    Handler.handle_request = staticmethod(handle)
    Handler.served_now = staticmethod(now)
    return Handler


class _SimHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ruobr-sim/1"
    # A body's last partial segment would wait for the client's delayed ACK (~40 ms) under
    # Nagle's algorithm.
    disable_nagle_algorithm = True
    handle_request: Callable[[SimRequest], SimResponse]
    served_now: Callable[[], datetime]
    raw_requestline: bytes  # set by handle_one_request (typeshed does not declare it)
    fields: dict[str, str]  # the request's headers, names lower-cased (the last one wins)
    content_length: str | None  # the first Content-Length header, as Message.get reads it

    def parse_request(self) -> bool:
        match = _REQUEST_LINE.fullmatch(self.raw_requestline)
        if match is None:
            if not super().parse_request():
                return False
            self._take(self.headers)
            return True
        self.command, path = match[1].decode("ascii"), match[2].decode("iso-8859-1")
        self.request_version = f"HTTP/1.{match[3].decode()}"
        self.requestline = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        self.close_connection = match[3] == b"0"
        # As the standard parser does (gh-87389): "//x" is not a path, it names a host.
        self.path = "/" + path.lstrip("/") if path.startswith("//") else path
        lines: list[bytes] = []
        while not lines or lines[-1] not in _END:
            line = self.rfile.readline(_MAX_LINE + 1)
            if len(line) > _MAX_LINE or len(lines) == _MAX_HEADERS:
                return self._standard_headers([*lines, line])
            lines.append(line)
        if lines[-1] == b"" and len(lines) > 1:  # the stream ended within the headers
            return self._standard_headers(lines)
        parsed = [_HEADER_LINE.fullmatch(line.decode("iso-8859-1")) for line in lines[:-1]]
        first: dict[str, str] = {}  # Message.get answers the first of repeated headers
        self.fields = {}
        for found in parsed:
            if found is None:
                return self._standard_headers(lines)
            name, value = found[1].lower(), found[2]
            first.setdefault(name, value)
            self.fields[name] = value
        self.content_length = first.get("content-length")
        return self._connection(first.get("connection", ""), first.get("expect", ""))

    def _standard_headers(self, lines: list[bytes]) -> bool:
        """Headers the fast parser does not take: read them as http.client does."""
        if len(lines[-1]) > _MAX_LINE:
            error = LineTooLong("header line")
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long", str(error))
            return False
        if len(lines) > _MAX_HEADERS:
            explain = f"got more than {_MAX_HEADERS} headers"
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers", explain)
            return False
        text = b"".join(lines).decode("iso-8859-1")
        self.headers = email.parser.Parser(_class=HTTPMessage).parsestr(text)
        self._take(self.headers)
        return self._connection(self.headers.get("Connection", ""), self.headers.get("Expect", ""))

    def _take(self, headers: Message) -> None:
        self.fields = {k.lower(): v for k, v in headers.items()}
        self.content_length = headers.get("Content-Length")

    def _connection(self, connection: str, expect: str) -> bool:
        if connection.lower() == "close":
            self.close_connection = True
        elif connection.lower() == "keep-alive":
            self.close_connection = False
        if expect.lower() == "100-continue" and self.request_version >= "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.content_length or 0)
        body = self.rfile.read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        request = SimRequest(self.command, parts.path, query, self.fields, body)
        try:
            response = self.handle_request(request)
        except Exception:  # a simulator bug: answer 500 and show it, keep serving
            traceback.print_exc(file=sys.stderr)
            response = SimResponse(status=500, body=b"simulator error", content_type="text/plain")
        reason = self.responses[response.status][0] if response.status in self.responses else ""
        head = [
            f"{self.protocol_version} {response.status} {reason}",
            f"Server: {self.version_string()}",
            f"Date: {http_date(self.served_now())}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
            *(f"{name}: {value}" for name, value in response.headers),
            "\r\n",
        ]
        # An HTTP/0.9 request (the standard parser's path) gets the bare body, as there.
        data = b"" if self.request_version == "HTTP/0.9" else "\r\n".join(head).encode("latin-1")
        self.wfile.write(data if self.command == "HEAD" else data + response.body)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        pass  # the simulator is quiet; the CLI reports what matters
