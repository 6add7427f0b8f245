"""Database failures reach the user as a StoreError with a hint, never a raw traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditor.config import StoreConfig
from auditor.errors import ExitCode, StoreError
from auditor.store import SqlStore, connect, open_store
from auditor.store.schema import SCHEMA_VERSION
from tests.store.builders import DAY, at, lesson, page, snapshot


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "auditor.sqlite3"
    path.write_bytes(b"these are not the pages you are looking for\n" * 200)
    with pytest.raises(StoreError) as info:
        SqlStore.open_path(path)
    err = info.value
    assert err.exit_code == ExitCode.STORE
    assert str(path) in str(err) and "file is not a database" in str(err)
    assert "damaged" in err.hint and "restore a backup" in err.hint


def test_a_database_with_damaged_pages(tmp_path: Path) -> None:
    path = tmp_path / "auditor.sqlite3"
    with SqlStore.open_path(path) as store:
        store.record(snapshot(page(at(DAY, "23:30"), lesson(1))))
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # page 1 after the header: the schema table
    path.write_bytes(bytes(raw))
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    with pytest.raises(StoreError) as info:
        SqlStore.open_path(path)
    assert "damaged" in info.value.hint


def test_a_locked_database(
    store_path: Path, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connect, "BUSY_TIMEOUT_MS", 50)
    with SqlStore.open_path(store_path) as waiting:  # opened with the short busy timeout
        other = sqlite3.connect(store_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            with pytest.raises(StoreError) as info:
                waiting.record(snapshot(page(at(DAY, "23:30"), lesson(1))))
        finally:
            other.execute("ROLLBACK")
            other.close()
    assert "database is locked" in str(info.value)
    assert "another auditor process" in info.value.hint


def test_a_data_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with pytest.raises(StoreError) as info:
        open_store(StoreConfig(data_dir=str(blocker / "data")))
    assert "not-a-directory" in str(info.value) and info.value.hint


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nosuchdb://host/db", "nosuchdb"),
        ("this is not a url", "Could not parse"),
    ],
)
def test_a_bad_url(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected) as info:
        SqlStore.open_url(url)
    assert "store.url" in info.value.hint


def test_a_missing_driver_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_driver(url: object) -> object:
        raise ModuleNotFoundError("No module named 'psycopg2'", name="psycopg2")

    monkeypatch.setattr(connect, "create_store_engine", no_driver)
    with pytest.raises(StoreError, match="driver is missing \\(psycopg2\\)") as info:
        SqlStore.open_url("postgresql://auditor:pw@db.example/auditor")
    assert "pw" not in str(info.value)  # the URL is shown without its password


def test_a_url_store_in_memory_works() -> None:
    with SqlStore.open_url("sqlite://") as store:
        # An in-memory database lives per connection: only opening is meaningful here.
        assert store.migrated_from == SCHEMA_VERSION


def test_a_store_file_without_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "auditor.sqlite3"

    def denied(*_args: object) -> int:
        # What a directory of another user gives (simulated: the tests may run as root).
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("auditor.store.connect.os.open", denied)
    with pytest.raises(StoreError) as info:
        SqlStore.open_path(path)
    assert "Permission denied" in str(info.value) and "writable" in info.value.hint
