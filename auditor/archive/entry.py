"""An archive entry: its files, its manifest, and writing it to every destination.

The files of an entry (docs/archive.md):

- ``data/<frame>.csv``: the period's observations, one CSV per frame of
  ``contract/frames.py`` (restorable with their exact dtypes, ``tables.py``);
- ``findings.csv``: the findings (the contract's codes);
- ``audit.json``: as of when, which period, which rules with which parameters, the rule set's
  version, the institution's calendar settings: all a replay needs;
- ``reports/*``: report files given to be archived with it;
- ``manifest.json``: each file's path, size and SHA-256, the previous entry's manifest hash,
  the entry's number, when it was made, the signature scheme and key;
- ``manifest.sig``: the signature of the exact bytes of ``manifest.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from auditor.archive import layout
from auditor.archive.interface import ArchivedEntry, Signer
from auditor.archive.tables import to_csv
from auditor.contract.findings import DTYPES as FINDING_DTYPES
from auditor.contract.findings import FINDING_FIELDS
from auditor.contract.frames import DTYPES, SPECS, Frames
from auditor.errors import ArchiveError

FORMAT = "ruobr-auditor-archive/1"
DATA_DIR = "data"
FINDINGS = "findings.csv"
AUDIT = "audit.json"
REPORTS_DIR = "reports"


def frame_dtypes(name: str) -> dict[str, str]:
    return {column: DTYPES[kind] for column, kind in SPECS[name].items()}


def findings_dtypes(columns: Sequence[str]) -> dict[str, str]:
    """The findings contract's dtypes of ``columns`` (in the contract's order)."""
    return {f.name: FINDING_DTYPES[f.kind] for f in FINDING_FIELDS if f.name in columns}


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


@dataclass(frozen=True, slots=True)
class EntryContent:
    """What one entry holds, before it is written."""

    kind: str  # "month" or "audit"
    period: str  # "2025-09"; an audit's "2025-09-01_2025-09-30-a17"
    frames: Frames
    findings: pd.DataFrame
    audit: Mapping[str, Any]  # audit.json
    reports: Sequence[Path] = field(default=())

    def files(self) -> dict[str, bytes]:
        files = {
            f"{DATA_DIR}/{name}.csv": to_csv(getattr(self.frames, name), frame_dtypes(name))
            for name in SPECS
        }
        files[FINDINGS] = to_csv(self.findings, findings_dtypes(list(self.findings.columns)))
        files[AUDIT] = json_bytes(dict(self.audit))
        for report in self.reports:
            relative = f"{REPORTS_DIR}/{report.name}"
            if relative in files:
                raise ArchiveError(f"two report files are named {report.name}")
            try:
                files[relative] = report.read_bytes()
            except OSError as exc:
                raise ArchiveError(f"cannot read the report {report}: {exc.strerror}") from exc
        return files


def manifest(
    number: int,
    name: str,
    content: EntryContent,
    files: Mapping[str, bytes],
    previous: str | None,
    signer: Signer,
    now: datetime,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "entry": number,
        "name": name,
        "kind": content.kind,
        "period": content.period,
        "created_at": now.astimezone(UTC).isoformat(),
        "previous": previous,
        "signature": {"scheme": signer.scheme, "key": signer.fingerprint},
        "files": [
            {"path": path, "size": len(data), "sha256": layout.sha256(data)}
            for path, data in sorted(files.items())
        ],
    }


def chain_head(destinations: Sequence[Path]) -> tuple[str, str] | None:
    """The head every destination agrees on (name, manifest SHA-256), or an ArchiveError
    naming the destinations that differ."""
    heads: dict[Path, tuple[str, str] | None] = {}
    for destination in destinations:
        if not destination.is_dir():
            raise ArchiveError(
                f"archive destination {destination} does not exist",
                hint="mount the archive drive (or create the directory), then run again",
            )
        heads[destination] = layout.head(destination)
    if len(set(heads.values())) > 1:
        told = "; ".join(f"{dest}: {head[0] if head else 'empty'}" for dest, head in heads.items())
        raise ArchiveError(
            f"the archive destinations disagree on the newest entry ({told}); nothing written",
            hint="run `auditor archive verify`, restore the missing copy from the other "
            "medium, then archive again",
        )
    return heads[destinations[0]]


def write_entry(
    destinations: Sequence[Path], signer: Signer, content: EntryContent, now: datetime
) -> ArchivedEntry:
    """Write ``content`` as the next entry of the chain to every destination."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if len(destinations) < 1:
        raise ArchiveError("no archive destination", hint="set archive.destinations")
    head = chain_head(destinations)
    number = 1 if head is None else (layout.entry_number(head[0]) or 0) + 1
    name = layout.entry_name(number, content.kind, content.period)
    files = content.files()
    described = manifest(number, name, content, files, head and head[1], signer, now)
    manifest_bytes = json_bytes(described)
    files[layout.MANIFEST] = manifest_bytes
    files[layout.SIGNATURE] = signer.sign(manifest_bytes)
    paths = []
    for destination in destinations:
        try:
            paths.append(layout.write_entry_dir(destination, name, files))
        except OSError as exc:
            raise ArchiveError(
                f"cannot write {destination / name}: {exc.strerror}"
                + (f" (written to {', '.join(map(str, paths))})" if paths else ""),
                hint="check the archive drive (mounted, writable, space left); "
                "`auditor archive verify` tells what to repair",
            ) from exc
    return ArchivedEntry(number, name, layout.sha256(manifest_bytes), tuple(paths))
