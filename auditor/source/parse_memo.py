"""Skip parsing a page that has not changed since the last time it was read.

Parsing is pure: the same bytes of the same page give the same values. A long-lived process
(the scheduler, the demo's month) reads most pages again and again unchanged: the group
list, the schedule template, the staff and most pupil pages, journals of past months. The
memo keeps, for each page (path and query), the digest of its last body and what parsing
it gave; an identical body reuses that value, a changed one is parsed again. It holds one
entry per page, so its size is bounded by the pages a full sync reads. The values are the
parsers' immutable results and must not be changed by callers.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

PageKey = tuple[str, tuple[tuple[str, str], ...]]


class ParseMemo:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[PageKey, tuple[bytes, Any]] = {}
        self.hits = 0
        self.misses = 0

    def parse(
        self,
        path: str,
        params: Mapping[str, str] | None,
        html: str,
        parser: Callable[[str], T],
    ) -> T:
        """``parser(html)``, or the value it gave for the same bytes of this page before.

        One page is always read by one parser, so the page's path and query name it."""
        key: PageKey = (path, tuple(sorted((params or {}).items())))
        digest = hashlib.blake2b(html.encode("utf-8"), digest_size=16).digest()
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None and kept[0] == digest:
                self.hits += 1
                value: T = kept[1]
                return value
        value = parser(html)  # outside the lock: parses of other pages go on meanwhile
        with self._lock:
            self._entries[key] = (digest, value)
            self.misses += 1
        return value
