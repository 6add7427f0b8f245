"""What callers of the archive depend on: the signing seam and the value types.

A signing scheme is a :class:`Signer` (writes) and a :class:`Verifier` (checks); Ed25519 is
the one implemented (``signing.py``), and the manifest names its scheme so that another (a
GOST one, say) can be added beside it without changing old entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class Signer(Protocol):
    scheme: str  # "ed25519"
    fingerprint: str  # of the public key, as the manifest names it

    def sign(self, data: bytes) -> bytes: ...


class Verifier(Protocol):
    scheme: str
    fingerprint: str

    def verify(self, data: bytes, signature: bytes) -> bool: ...


@dataclass(frozen=True, slots=True)
class ArchivedEntry:
    """One entry as written: the same bytes in every destination."""

    number: int
    name: str  # "000003-month-2025-09"
    manifest_sha256: str  # SHA-256 of manifest.json: what the next entry links to
    paths: tuple[Path, ...]  # the entry's directory in each destination


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing ``verify`` found wrong: where (destination, entry, file) and what."""

    destination: str
    entry: str = ""  # the entry's directory name; "" for the destination as a whole
    file: str = ""  # a file of the entry; "" for the entry as a whole
    message: str = ""

    def __str__(self) -> str:
        where = "/".join(part for part in (self.destination, self.entry, self.file) if part)
        return f"{where}: {self.message}"
