"""Check every copy of the archive: files, signatures, the chain, the copies against each
other. Each problem names the destination, the entry and the file, and says what is wrong.

A ``.tmp-*`` directory (an interrupted write) is not an entry and is not checked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditor.archive import layout
from auditor.archive.interface import Problem, Verifier
from auditor.archive.signing import load_verifier
from auditor.config import Config
from auditor.errors import ArchiveError


def verify_archive(config: Config, *, verifier: Verifier | None = None) -> list[Problem]:
    """Every problem of every destination of ``[archive]``; empty when all is well."""
    destinations = config.archive.destination_paths
    if not destinations:
        raise ArchiveError("archive.destinations is empty", hint="set [archive] in the config")
    problems: list[Problem] = []
    if verifier is None:
        try:
            verifier = load_verifier(config.archive.key)
        except ArchiveError as exc:
            problems.append(Problem("archive", message=f"signatures not checked: {exc}"))
    return problems + verify_destinations(destinations, verifier)


def verify_destinations(destinations: Sequence[Path], verifier: Verifier | None) -> list[Problem]:
    problems: list[Problem] = []
    manifests: dict[Path, dict[str, bytes]] = {}
    for destination in destinations:
        if not destination.is_dir():
            problems.append(Problem(str(destination), message="destination does not exist"))
            continue
        manifests[destination] = {}
        for name in layout.entries(destination):
            data, found = check_entry(destination, name, verifier)
            problems += found
            if data is not None:
                manifests[destination][name] = data
        problems += check_chain(destination, manifests[destination])
    problems += compare_copies(manifests)
    return problems


def check_entry(
    destination: Path, name: str, verifier: Verifier | None
) -> tuple[bytes | None, list[Problem]]:
    """The entry's manifest bytes (None if unreadable) and the entry's problems."""
    where = str(destination)
    path = destination / name
    try:
        data = (path / layout.MANIFEST).read_bytes()
        manifest: dict[str, Any] = json.loads(data)
    except (OSError, ValueError) as exc:
        return None, [Problem(where, name, layout.MANIFEST, f"cannot be read: {exc}")]
    problems = check_signature(where, path, data, manifest, verifier)
    if manifest.get("name") != name or manifest.get("entry") != layout.entry_number(name):
        problems.append(
            Problem(
                where,
                name,
                layout.MANIFEST,
                f"names another entry: {manifest.get('name')} (number {manifest.get('entry')})",
            )
        )
    listed = {str(f["path"]): f for f in manifest.get("files", [])}
    own = (layout.MANIFEST, layout.SIGNATURE)
    present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()} - set(own)
    for relative in sorted(set(listed) - present):
        problems.append(Problem(where, name, relative, "missing (listed in the manifest)"))
    for relative in sorted(present - set(listed)):
        problems.append(Problem(where, name, relative, "not listed in the manifest"))
    for relative in sorted(set(listed) & present):
        content = (path / relative).read_bytes()
        if len(content) != listed[relative]["size"]:
            problems.append(
                Problem(
                    where,
                    name,
                    relative,
                    f"size {len(content)} differs from the manifest's {listed[relative]['size']}",
                )
            )
        if layout.sha256(content) != listed[relative]["sha256"]:
            problems.append(Problem(where, name, relative, "SHA-256 differs from the manifest"))
    return data, problems


def check_signature(
    where: str, path: Path, data: bytes, manifest: dict[str, Any], verifier: Verifier | None
) -> list[Problem]:
    name = path.name
    try:
        signature = (path / layout.SIGNATURE).read_bytes()
    except OSError:
        return [Problem(where, name, layout.SIGNATURE, "missing")]
    if verifier is None:
        return []
    named = manifest.get("signature", {})
    if named.get("scheme") != verifier.scheme or named.get("key") != verifier.fingerprint:
        return [
            Problem(
                where,
                name,
                layout.SIGNATURE,
                f"signed with {named.get('scheme')} key "
                f"{named.get('key')}, not the configured {verifier.scheme} key "
                f"{verifier.fingerprint}",
            )
        ]
    if not verifier.verify(data, signature):
        return [Problem(where, name, layout.SIGNATURE, "the signature of manifest.json is invalid")]
    return []


def check_chain(destination: Path, manifests: dict[str, bytes]) -> list[Problem]:
    """Numbers 1, 2, 3 … without a gap, each entry linking to the previous manifest."""
    problems = []
    where = str(destination)
    expected_number = 1
    previous: str | None = None
    for name in layout.entries(destination):
        number = layout.entry_number(name)
        if number != expected_number:
            problems.append(
                Problem(
                    where,
                    message=f"chain broken at {name}: numbered {number}, "
                    f"expected {expected_number:06d}",
                )
            )
        expected_number = (number or 0) + 1
        data = manifests.get(name)
        if data is None:
            previous = None
            continue
        link = json.loads(data).get("previous")
        if (previous is not None or number == 1) and link != previous:
            problems.append(
                Problem(
                    where,
                    message=f"chain broken at {name[:6]}: previous is {link}, expected {previous}",
                )
            )
        previous = layout.sha256(data)
    return problems


def compare_copies(manifests: dict[Path, dict[str, bytes]]) -> list[Problem]:
    """Every destination holds the same entries with the same manifests."""
    problems = []
    every = sorted({name for entries in manifests.values() for name in entries})
    for name in every:
        holders = [dest for dest, entries in manifests.items() if name in entries]
        for destination, entries in manifests.items():
            if name not in entries:
                problems.append(
                    Problem(
                        str(destination),
                        name,
                        message="entry missing or unreadable in "
                        f"this copy (present in {', '.join(map(str, holders))})",
                    )
                )
        digests = {layout.sha256(manifests[dest][name]) for dest in holders}
        if len(digests) > 1:
            problems.append(
                Problem(
                    ", ".join(map(str, holders)),
                    name,
                    layout.MANIFEST,
                    "the copies' manifests differ",
                )
            )
    return problems
