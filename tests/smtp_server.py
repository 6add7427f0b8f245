"""A real SMTP server on 127.0.0.1 for the delivery tests (aiosmtpd, in a thread).

It keeps every message it accepted, and can be told to answer DATA with a temporary (4xx)
or permanent (5xx) refusal, or to hold a client at RCPT until released (to kill the client
in the middle of sending).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse_data: list[str] = field(default_factory=list)  # answers for the next DATA commands
    hold_rcpt: threading.Event | None = None  # when set: wait at RCPT until released
    at_rcpt: threading.Event = field(default_factory=threading.Event)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        self.at_rcpt.set()
        if self.hold_rcpt is not None:
            import asyncio

            while not self.hold_rcpt.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return self.refuse_data.pop(0)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def smtp_server(
    handler: Handler | None = None, port: int | None = None, *, login: tuple[str, str] | None = None
) -> Iterator[tuple[Handler, int]]:
    """A running server on 127.0.0.1; with ``login``, AUTH with that user and password."""
    handler = handler or Handler()
    port = port or free_port()
    kwargs: dict[str, Any] = {}
    if login is not None:

        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                         auth_data: Any) -> AuthResult:  # fmt: skip
            ok = (
                isinstance(auth_data, LoginPassword)
                and (auth_data.login.decode(), auth_data.password.decode()) == login
            )
            if ok:
                handler.logins.append(login)
            return AuthResult(success=ok)

        kwargs = {"authenticator": authenticate, "auth_require_tls": False}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield handler, port
    finally:
        if handler.hold_rcpt is not None:
            handler.hold_rcpt.set()
        controller.stop()
