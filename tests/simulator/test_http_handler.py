"""The simulator's HTTP layer reads requests as ``http.client`` would, on its fast path too."""

from __future__ import annotations

import email.parser
import socket
from collections.abc import Iterator
from datetime import datetime
from http.client import HTTPMessage

import pytest

from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest, SimResponse
from auditor.simulator.server import Simulator, running_simulator

NOW = datetime.fromisoformat("2025-09-23T12:00:00+07:00")
LINE = b"GET /__sim__/clock?x=1 HTTP/1.1\r\n"
HEADER_BLOCKS = {
    "plain": b"Host: a\r\nAccept: */*\r\n\r\n",
    "repeated": b"Host: a\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\n",
    "spaces and tabs": b"Host:\t a \t\r\nX-Empty:\r\n\r\n",
    "folded": b"Host: a\r\nX-Folded: one\r\n two\r\n\r\n",
    "space before colon": b"Host : a\r\nX-After: 1\r\n\r\n",
    "no colon": b"Host: a\r\nnot a header\r\nX-After: 1\r\n\r\n",
    "latin-1 value": b"Host: a\r\nX-Name: \xe9t\xe9\r\n\r\n",
    "bare LF": b"Host: a\nX-Lf: 1\n\n",
    "bare CR": b"Host: a\r\nX-Cr: a\rb\r\n\r\n",
}


@pytest.fixture(scope="module")
def served(tiny_dataset: Dataset) -> Iterator[tuple[int, Simulator, list[SimRequest]]]:
    seen: list[SimRequest] = []
    with running_simulator(tiny_dataset, NOW) as (url, sim):
        handle = sim.handle

        def recording(request: SimRequest) -> SimResponse:
            seen.append(request)
            return handle(request)

        sim.handle = recording  # type: ignore[method-assign]
        yield int(url.rsplit(":", 1)[1]), sim, seen


def exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)  # the server closes once it has answered everything
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("name", HEADER_BLOCKS)
def test_headers_read_as_http_client_reads_them(
    served: tuple[int, Simulator, list[SimRequest]], name: str
) -> None:
    port, _sim, seen = served
    block = HEADER_BLOCKS[name]
    answer = exchange(port, LINE + block)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\nServer: ruobr-sim/1 ")
    message = email.parser.Parser(_class=HTTPMessage).parsestr(block.decode("iso-8859-1"))
    assert seen[-1].headers == {k.lower(): v for k, v in message.items()}
    assert (seen[-1].path, dict(seen[-1].query)) == ("/__sim__/clock", {"x": "1"})


def test_one_connection_answers_requests_in_turn(
    served: tuple[int, Simulator, list[SimRequest]],
) -> None:
    port, _sim, _seen = served
    request = LINE + HEADER_BLOCKS["plain"]
    answer = exchange(port, request + request)
    assert answer.count(b"HTTP/1.1 200 OK\r\n") == 2
    head, body = answer.split(b"\r\n\r\n", 1)
    length = int(next(x for x in head.split(b"\r\n") if x.startswith(b"Content-Length"))[16:])
    assert body[length:].startswith(b"HTTP/1.1 200 OK\r\n")


def test_a_body_is_read_by_its_length_after_100_continue(
    served: tuple[int, Simulator, list[SimRequest]],
) -> None:
    port, _sim, seen = served
    body = b'{"now": "2025-09-23T12:00:00"}'
    head = b"POST /__sim__/clock HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
    answer = exchange(port, head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")
    assert seen[-1].body == body


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (b"".join(b"X-%d: v\r\n" % n for n in range(100)), b"431 Too many headers"),
        (b"X-Long: " + b"a" * 70_000 + b"\r\n", b"431 Line too long"),
    ],
)
def test_header_limits_answer_as_the_standard_library(
    served: tuple[int, Simulator, list[SimRequest]], headers: bytes, status: bytes
) -> None:
    port, _sim, _seen = served
    assert exchange(port, LINE + headers + b"\r\n").startswith(b"HTTP/1.1 " + status)
