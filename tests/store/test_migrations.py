"""Explicit schema versions: old stores are migrated forward, newer ones refused."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect

from auditor.errors import StoreError
from auditor.store import SqlStore, migrations
from auditor.store.schema import SCHEMA_VERSION
from auditor.store.values import digest
from tests.store.builders import at, lesson, page, snapshot
from tests.store.conftest import dump
from tests.store.v1_store import make_v1_store


def schema_of(path: Path) -> dict[str, Any]:
    """Tables with their columns, indexes and foreign keys, as the database reports them."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        found = inspect(engine)
        return {
            table: {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"], c["default"])
                    for c in found.get_columns(table)
                ],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in found.get_indexes(table)
                ),
                "foreign_keys": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in found.get_foreign_keys(table)
                ),
                "primary_key": found.get_pk_constraint(table)["constrained_columns"],
            }
            for table in sorted(found.get_table_names())
        }
    finally:
        engine.dispose()


def version_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(
            conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        )
    finally:
        conn.close()


def index_sql(path: Path) -> dict[str, str]:
    """Each index's DDL as SQLite keeps it: partial indexes' conditions included."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        return {name: " ".join((sql or "").split()) for name, sql in rows}
    finally:
        conn.close()


def test_current_schema_is_version_7_with_six_steps() -> None:
    # If this fails, a schema change came without its migration step (see migrations.py).
    assert SCHEMA_VERSION == 7
    assert [m.version for m in migrations.MIGRATIONS] == [2, 3, 4, 5, 6, 7]


def test_a_v1_store_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    make_v1_store(old)
    with SqlStore.open_path(old) as store:
        assert store.migrated_from == 1
        frames = store.load_frames(date(2025, 9, 1), date(2025, 9, 30))
        assert frames.lessons.month.tolist() == ["2025-09"]  # back-filled from the date
        topic = frames.field_intervals[frames.field_intervals.field == "topic"]
        assert topic.value.tolist() == ["Сборка"]
        assert topic.first_seen_at.tolist() == [at("2025-09-10", "23:30")]
        # The migrated store records like a fresh one.
        later = lesson(7, group_id=3, topic="Сборка", attendance_marked=True)
        summary = store.record(snapshot(page(at("2025-09-11", "07:00"), later, group_id=3)))
        assert summary.new_lessons == 0 and summary.changes == 1
    assert version_of(old) == str(SCHEMA_VERSION)


def test_a_migrated_store_has_exactly_the_fresh_schema(tmp_path: Path) -> None:
    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    make_v1_store(old)
    SqlStore.open_path(old).close()
    with SqlStore.open_path(fresh) as store:
        assert store.migrated_from == SCHEMA_VERSION  # created, not migrated
    assert schema_of(old) == schema_of(fresh)
    assert index_sql(old)["ix_field_intervals_open"] == index_sql(fresh)["ix_field_intervals_open"]
    assert "WHERE latest = 1 AND filled = 0" in index_sql(fresh)["ix_field_intervals_open"]


def test_migrated_lessons_get_their_digest_when_next_read(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    make_v1_store(old)
    with SqlStore.open_path(old) as store:
        assert digests(old) == {7: ""}  # v4 adds the column empty: the store cannot know yet
        seen = lesson(7, group_id=3, topic="Сборка")
        store.record(snapshot(page(at("2025-09-11", "07:00"), seen, group_id=3)))
        assert digests(old) == {7: digest(latest_values(old, 7))}
        # From now on an unchanged lesson is extended whole; its intervals are as ever.
        store.record(snapshot(page(at("2025-09-11", "12:00"), seen, group_id=3)))
        frames = store.load_frames(date(2025, 9, 1), date(2025, 9, 30))
    topic = frames.field_intervals[frames.field_intervals.field == "topic"]
    assert topic.first_seen_at.tolist() == [at("2025-09-10", "23:30")]
    assert topic.last_seen_at.tolist() == [at("2025-09-11", "12:00")]
    assert digests(old) == {7: digest(latest_values(old, 7))}


def digests(path: Path) -> dict[int, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT lesson_id, latest_digest FROM lessons").fetchall())
    finally:
        conn.close()


def latest_values(path: Path, lesson_id: int) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT field, value FROM field_intervals WHERE latest AND lesson_id = ?"
        return dict(conn.execute(sql, (lesson_id,)).fetchall())
    finally:
        conn.close()


def test_a_failed_migration_leaves_the_old_store_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.sqlite3"
    make_v1_store(old)
    before = dump(old)
    step = migrations.MIGRATIONS[0]

    def half_done(conn: Any) -> None:
        step.apply(conn)  # the column is added and back-filled...
        raise RuntimeError("...and then the step fails")

    broken = migrations.Migration(step.version, step.summary, half_done)
    monkeypatch.setattr(migrations, "MIGRATIONS", (broken,))
    with pytest.raises(RuntimeError):
        SqlStore.open_path(old)
    assert dump(old) == before
    assert version_of(old) == "1"


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    SqlStore.open_path(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 99, newer") as info:
        SqlStore.open_path(path)
    assert "upgrade ruobr-auditor" in info.value.hint
    assert version_of(path) == "99"


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an auditor store"):
        SqlStore.open_path(path)


def test_a_store_without_a_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    SqlStore.open_path(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM meta")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="no valid schema_version"):
        SqlStore.open_path(path)
