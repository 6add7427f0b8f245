"""Clause 1.7: the store is readable by its owner only and keeps no secret and no contact."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from auditor.config import StoreConfig
from auditor.store import SqlStore, open_store
from auditor.store.schema import metadata
from tests.store.builders import DAY, at, filled, institution, lesson, page, snapshot

PASSWORD = "Kx9-секрет-Pa55w0rd"
PHONE = re.compile(rb"(?:\+7|\b8)[\s(-]{0,2}\d{3}[\s)-]{0,2}\d{3}[\s-]?\d{2}[\s-]?\d{2}\b")
# Column names that would hold a secret or a contact itself; ``has_phone`` (a flag) is fine.
FORBIDDEN_COLUMN = re.compile(
    r"pass|secret|token|credential|cookie|session|^(phone|email|e_mail|address|birth_date|snils)$"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: the modes must not depend on the user's umask."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("open_umask")
def test_data_directory_and_files_are_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "auditor-data"
    store = open_store(StoreConfig(data_dir=str(data_dir)))
    try:
        store.record(snapshot(page(at(DAY, "23:30"), filled(1), lesson(2))))
        db = data_dir / "auditor.sqlite3"
        assert mode(data_dir) == 0o700
        assert mode(db) == 0o600
        sidecars = [db.with_name(db.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in sidecars)  # WAL mode is on
        assert [mode(p) for p in sidecars] == [0o600, 0o600]
    finally:
        store.close()


def test_a_loose_existing_store_file_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "auditor.sqlite3"
    db.touch()
    db.chmod(0o644)
    SqlStore.open_path(db).close()
    assert mode(db) == 0o600


def test_no_password_or_phone_in_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUOBR_PASSWORD", PASSWORD)
    db = tmp_path / "auditor.sqlite3"
    store = SqlStore.open_path(db)
    try:
        sync = snapshot(
            page(at(DAY, "23:30"), filled(1)), institution=institution(at(DAY, "23:00"))
        )
        # A careless caller puts credentials into the source URL: they are dropped.
        sync = replace(sync, source=f"https://operator:{PASSWORD}@ruobr.example/?token={PASSWORD}")
        store.record(sync)
        frames = store.load_frames(DAY, DAY)
    finally:
        store.close()
    assert list(frames.runs.source) == ["https://ruobr.example/"]
    content = b"".join(
        p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("auditor.sqlite3")
    )
    for text in (PASSWORD, "operator", "Pa55w0rd"):
        assert text.encode() not in content
    assert PHONE.findall(content) == []


@pytest.mark.parametrize("phone", [b"+7 (900) 123-45-67", b"89001234567", b"+79001234567"])
def test_the_phone_pattern_finds_phones(phone: bytes) -> None:
    assert PHONE.search(b"x " + phone + b" x")


def test_the_schema_has_no_column_for_a_secret_or_a_contact(store_path: Path) -> None:
    SqlStore.open_path(store_path).close()
    engine = create_engine(f"sqlite:///{store_path}")
    stored = inspect(engine)
    columns = {
        f"{table}.{column['name']}"
        for table in stored.get_table_names()
        for column in stored.get_columns(table)
    }
    engine.dispose()
    declared = {f"{t.name}.{c.name}" for t in metadata.tables.values() for c in t.columns}
    assert columns == declared
    assert [c for c in sorted(columns) if FORBIDDEN_COLUMN.search(c.split(".")[1])] == []
