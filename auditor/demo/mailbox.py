"""The demo's mail server: a real SMTP server on 127.0.0.1 that files each message it
accepts as ``DIR/mail/NNN-<recipient>.eml`` (open one in any mail client).

The demo's scheduler sends through it exactly as through the institution's server (SMTP,
no login), so what lands in the folder is byte for byte what a reader would receive.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    folder: Path
    files: list[Path] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            for recipient in envelope.rcpt_tos:
                name = re.sub(r"[^A-Za-z0-9._-]", "_", recipient.split("@")[0])
                path = self.folder / f"{len(self.files) + 1:03d}-{name}.eml"
                path.write_bytes(bytes(envelope.content))
                self.files.append(path)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    # aiosmtpd checks its server by connecting to the port it was given: it needs a number
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def mailbox_server(folder: Path) -> Iterator[tuple[Mailbox, int]]:
    """A running server on 127.0.0.1 (a free port), filing mail into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):  # a previous demo's mail
        old.unlink()
    box = Mailbox(folder)
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()
