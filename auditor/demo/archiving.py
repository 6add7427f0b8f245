"""The demo's archive (clauses 3.1, 3.2): the month signed into two destinations, verified,
and a certified print copy of the deputy director's справка made from the entry.

``DIR/archive-1`` and ``DIR/archive-2`` stand for the two media; the signing key is
``DIR/archive-key.pem`` (a real institution keeps it off the archive media). The demo's
configuration names them, so ``auditor --config DIR/demo.toml archive verify`` and
``auditor --config DIR/demo.toml replay 1`` work at once.
"""

from __future__ import annotations

import shutil
import time
from datetime import datetime
from pathlib import Path

from auditor.archive.certify import certify_month
from auditor.archive.service import archive_month
from auditor.archive.signing import generate_key, public_key_path
from auditor.archive.verify import verify_archive
from auditor.config import ArchiveConfig, Config
from auditor.store import SqlStore


def demo_archive_config(out_dir: Path) -> ArchiveConfig:
    base = out_dir.resolve()
    return ArchiveConfig(
        enabled=True,
        destinations=(str(base / "archive-1"), str(base / "archive-2")),
        key_path=str(base / "archive-key.pem"),
    )


def fresh_archive(config: ArchiveConfig) -> None:
    """Empty destinations and a new key: a rerun of the demo starts a new chain."""
    for destination in config.destination_paths:
        shutil.rmtree(destination, ignore_errors=True)
        destination.mkdir(parents=True, mode=0o700)
    for key in (config.key, public_key_path(config.key)):
        key.unlink(missing_ok=True)
    generate_key(config.key)


def fresh_certified(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def archive_demo_month(
    config: Config, store_path: Path, month: str, now: datetime, reports_dir: Path
) -> list[str]:
    """Archive ``month`` with its reports, verify, certify the справка; the lines to print."""
    started = time.monotonic()
    fresh_archive(config.archive)
    reports = sorted(
        path for pattern in (f"monthly-{month}.*", f"head-monthly-{month}-*")
        for path in reports_dir.glob(pattern)
    )  # fmt: skip
    with SqlStore.open_path(store_path) as store:
        entry = archive_month(store, config, month, now, reports)
    problems = verify_archive(config)
    lines = [
        "[6/6] the month into the archive (clauses 3.1, 3.2): two destinations, signed, "
        "verified, and a certified copy",
        f"      {entry.name}: the month's observations, findings, rule parameters and "
        f"{len(reports)} report files, manifest SHA-256 {entry.manifest_sha256}, signed "
        f"(Ed25519), in {' and '.join(str(p.parent) for p in entry.paths)}; verify: "
        f"{'ok' if not problems else f'{len(problems)} problems'}",
    ]
    # The справка only: `auditor archive certify 1` makes every department's copy too.
    fresh_certified(reports_dir.parent / "certified")
    certified = certify_month(entry.paths[0], config, reports_dir.parent / "certified",
                              departments=False)  # fmt: skip
    lines.append(
        f"      a certified print copy of the справка (clause 3.2), the entry's hash on "
        f"every page: {certified[0]} ({time.monotonic() - started:.1f} s)"
    )
    return lines
