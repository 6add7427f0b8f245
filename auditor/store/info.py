"""What a store holds, in a few numbers: for ``auditor store info`` and for operators
deciding about retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, func, select

from auditor.store import schema


@dataclass(frozen=True, slots=True)
class StoreInfo:
    bytes: int | None  # the SQLite file with its -wal and -shm files; None for other URLs
    schema_version: int
    runs: int
    first_observation: datetime | None
    last_observation: datetime | None
    lessons: int
    audits: int
    first_audit: datetime | None
    last_audit: datetime | None


def store_info(conn: Connection, sqlite_path: Path | None) -> StoreInfo:
    runs, audits = schema.runs, schema.audit_runs
    run_count, first, last = conn.execute(
        select(func.count(runs.c.id), func.min(runs.c.started_at), func.max(runs.c.finished_at))
    ).one()
    audit_count, first_audit, last_audit = conn.execute(
        select(func.count(audits.c.id), func.min(audits.c.judged_at), func.max(audits.c.judged_at))
    ).one()
    lessons = conn.execute(select(func.count()).select_from(schema.lessons)).scalar_one()
    version = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar_one()
    size = None
    if sqlite_path is not None:
        files = [
            sqlite_path,
            *(sqlite_path.with_name(sqlite_path.name + s) for s in ("-wal", "-shm")),
        ]
        size = sum(f.stat().st_size for f in files if f.exists())
    return StoreInfo(
        bytes=size,
        schema_version=int(version),
        runs=int(run_count),
        first_observation=_aware(first),
        last_observation=_aware(last),
        lessons=int(lessons),
        audits=int(audit_count),
        first_audit=_aware(first_audit),
        last_audit=_aware(last_audit),
    )


def _aware(moment: datetime | None) -> datetime | None:
    """Aggregates skip the column type that makes moments aware: they come back naive UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
