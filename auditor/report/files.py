"""Report files are created readable by their owner only: they name staff (clause 1.7)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from auditor.errors import UsageError


@contextmanager
def private_file(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for writing with mode 0600, or a UsageError saying why not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.chmod(path, 0o600)  # an existing file keeps its mode through O_CREAT
    except OSError as exc:
        raise UsageError(
            f"cannot write {path}: {exc.strerror}",
            hint="choose a folder you can write to with --out",
        ) from None
    with os.fdopen(fd, "wb") as out:
        yield out


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600."""
    with private_file(path) as out:
        out.write(data)
