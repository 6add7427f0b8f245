"""Moments are stored as UTC and come back aware; naive moments are refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL

from auditor.store import FrameSource, SqlStore, Store, connect
from auditor.store.schema import UtcDateTime
from tests.store.builders import DAY, at, lesson, page, snapshot
from tests.store.conftest import dump

BERLIN = ZoneInfo("Europe/Berlin")


def bind(value: datetime) -> object:
    dialect = sqlite.dialect()
    process = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)  # as executions do
    assert process is not None
    return process(value)


def test_equal_instants_in_any_zone_are_stored_alike() -> None:
    local = at(DAY, "23:30")
    assert bind(local) == bind(local.astimezone(UTC)) == "2025-09-10 16:30:00.000000"


def test_the_repeated_hour_of_a_dst_change_is_not_confused() -> None:
    first = datetime(2025, 10, 26, 2, 30, tzinfo=BERLIN)  # CEST, UTC+2
    second = first.replace(fold=1)  # CET, UTC+1; equal to ``first`` by Python's rules
    assert first == second
    assert bind(first) == "2025-10-26 00:30:00.000000"
    assert bind(second) == "2025-10-26 01:30:00.000000"
    assert bind(first) == "2025-10-26 00:30:00.000000"  # still right after ``second``


def test_a_naive_moment_is_refused_before_anything_is_written(
    store: SqlStore, store_path: Path
) -> None:
    before = dump(store_path)
    naive_page = replace(page(at(DAY, "23:30"), lesson(1)), observed_at=datetime(2025, 9, 10, 23))
    with pytest.raises(ValueError, match="must be timezone-aware"):
        store.record(snapshot(naive_page, started_at=at(DAY, "22:00")))
    assert dump(store_path) == before


def test_the_sql_store_implements_both_protocols(store: SqlStore) -> None:
    writer: Store = store  # checked by mypy; the asserts keep the test honest at run time
    reader: FrameSource = store
    assert callable(writer.record) and callable(reader.load_frames)


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(store_path: Path) -> None:
    SqlStore.open_path(store_path).close()
    engine = connect.create_store_engine(URL.create("sqlite", database=str(store_path)))
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous")
            }
    finally:
        engine.dispose()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2}
