"""Plain request/response values shared by the simulator's handlers.

The HTTP server (:mod:`auditor.simulator.server`) turns each raw request into a
:class:`SimRequest`, asks a handler for a :class:`SimResponse` and writes it out. Handlers are
pure functions of the request, the dataset and the simulated time, which keeps them easy to
test and keeps socket code in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs


@dataclass(frozen=True, slots=True)
class SimRequest:
    method: str
    path: str  # without the query string
    query: Mapping[str, str]
    headers: Mapping[str, str]  # keys lower-cased
    body: bytes = b""

    @property
    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        jar.load(self.headers.get("cookie", ""))
        return {key: morsel.value for key, morsel in jar.items()}

    def form(self) -> dict[str, str]:
        """The url-encoded form body (first value of each field)."""
        parsed = parse_qs(self.body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return {key: values[0] for key, values in parsed.items()}


@dataclass(slots=True)
class SimResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def html(cls, text: str, status: int = 200) -> SimResponse:
        return cls(status=status, body=text.encode("utf-8"))

    @classmethod
    def json_bytes(cls, data: bytes, status: int = 200) -> SimResponse:
        return cls(status=status, body=data, content_type="application/json; charset=utf-8")

    @classmethod
    def redirect(cls, location: str) -> SimResponse:
        return cls(status=302, headers=[("Location", location)])

    def set_cookie(self, name: str, value: str, *, max_age: int | None = None) -> None:
        cookie = f"{name}={value}; Path=/; SameSite=Lax"
        if max_age is not None:
            cookie += f"; Max-Age={max_age}"
        if name == "sessionid":
            cookie += "; HttpOnly"
        self.headers.append(("Set-Cookie", cookie))
