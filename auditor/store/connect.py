"""Opening the database: the engine, SQLite's settings, and the file's permissions.

The store holds personal data (clause 1.7), so an SQLite store lives in a directory created
0700 and in a file that only its owner can read (0600). SQLite gives its ``-wal`` and
``-shm`` files the database file's permissions; :func:`protect_sqlite_files` tightens them
anyway, in case an older run or another tool left them looser.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_MS = 10_000
# Execution option asking for a write transaction (SQLite: BEGIN IMMEDIATE).
WRITE = "auditor_write"


def sqlite_file(url: URL) -> Path | None:
    """The database file of an SQLite URL, or None (another database, or in memory)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def prepare_sqlite_file(path: Path) -> None:
    """Create the directory (0700) and the file (0600) before SQLite opens it."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(mode=DIR_MODE, parents=True)
        parent.chmod(DIR_MODE)  # mkdir's mode is filtered by the umask
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    protect_sqlite_files(path)


def protect_sqlite_files(path: Path) -> None:
    for suffix in ("", *SQLITE_SIDE_FILES):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists() and (candidate.stat().st_mode & 0o777) != FILE_MODE:
            candidate.chmod(FILE_MODE)


def create_store_engine(url: URL) -> Engine:
    engine = create_engine(url)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Safe SQLite settings, and transactions that SQLAlchemy (not sqlite3) begins.

    The stdlib driver begins transactions lazily and not for DDL, so a migration or a sync
    could be half-applied; per SQLAlchemy's documented recipe, sqlite3's own transaction
    handling is switched off and BEGIN is emitted here. Writers take the lock up front
    (BEGIN IMMEDIATE): a read-then-write transaction that upgrades late fails at once with
    "database is locked" instead of waiting out the busy timeout.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # WAL: readers (reports) never block the sync. FULL, not NORMAL: with NORMAL a
            # committed sync survives a crash of the process but not a power loss or an OS
            # crash, and a lost sync is lost evidence (its observations cannot be taken
            # again). FULL costs one fsync of the WAL per commit: a few ms of a sync's
            # tens (measured with benchmarks/store.py), most of a commit being the writing
            # of the pages the sync changed, which NORMAL does as well.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back on any exception."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: write})
        with conn.begin():
            yield conn
