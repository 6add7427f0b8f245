"""A one-line progress display on a terminal; silent when the output is not a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class TerminalProgress:
    """Rewrites one stderr line (``sync: 120/262 pages``) at most every ``every_s`` seconds."""

    def __init__(
        self, stream: TextIO, label: str = "sync", *, quiet: bool = False, every_s: float = 0.2
    ) -> None:
        self._stream = stream
        self._label = label
        self._every_s = every_s
        self._enabled = not quiet and stream.isatty()  # a cron log gets no carriage returns
        self._last = 0.0
        self._shown = False

    def update(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < self._every_s:
            return
        self._last = now
        self._stream.write(f"\r{self._label}: {done}/{total} pages")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the line, so that what is printed next starts on a fresh one."""
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
            self._shown = False
