"""Where entries live in a destination, and how one is written there atomically.

An entry is a directory ``<NNNNNN>-<kind>-<period>``. It is built in a hidden sibling
``.tmp-<name>-<random>`` (every file written and fsynced), renamed into place in one step,
then the destination directory is fsynced: a reader sees the whole entry or none of it. A
crash leaves only a ``.tmp-*`` directory, which readers ignore and the next write removes.
Directories are 0700 and files 0600: the entries name teachers and pupils.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from auditor.errors import ArchiveError

ENTRY_NAME = re.compile(r"^(\d{6})-([a-z]+)-(.+)$")
TMP_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


def entry_name(number: int, kind: str, period: str) -> str:
    return f"{number:06d}-{kind}-{period}"


def entry_number(name: str) -> int | None:
    match = ENTRY_NAME.match(name)
    return int(match.group(1)) if match else None


def entries(destination: Path) -> list[str]:
    """The entry directories of a destination, in number order (``.tmp-*`` are not entries)."""
    names = [
        p.name
        for p in destination.iterdir()
        if p.is_dir() and not p.name.startswith(".") and entry_number(p.name) is not None
    ]
    return sorted(names, key=lambda name: (entry_number(name), name))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def head(destination: Path) -> tuple[str, str] | None:
    """The newest entry's name and its manifest's SHA-256, or None for an empty chain."""
    names = entries(destination)
    if not names:
        return None
    manifest = destination / names[-1] / MANIFEST
    try:
        return names[-1], sha256(manifest.read_bytes())
    except OSError as exc:
        raise ArchiveError(
            f"cannot read {manifest}: {exc.strerror}",
            hint="run `auditor archive verify` to see what is wrong with the archive",
        ) from exc


def write_entry_dir(destination: Path, name: str, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (relative path → bytes) as the entry ``name`` of ``destination``,
    atomically; return the entry's path."""
    final = destination / name
    if final.exists():
        raise ArchiveError(f"{final} exists already: the archive changed while writing")
    remove_leftovers(destination)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{name}-", dir=destination))
    try:
        os.chmod(tmp, 0o700)
        for relative, data in files.items():
            write_file(tmp / relative, data)
        fsync_dir(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(destination)
    return final


def write_file(path: Path, data: bytes) -> None:
    """One file of an entry: created owner-only, written and flushed to the disk."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(destination: Path) -> None:
    """Remove the ``.tmp-*`` directories of interrupted writes."""
    for leftover in destination.glob(f"{TMP_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
