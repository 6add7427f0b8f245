"""Recording one sync: the run, its page reads, lessons and institution, in one transaction.

The caller (:class:`~auditor.store.sqlstore.SqlStore`) owns the transaction; everything
here only writes into it, so any exception leaves the store as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Connection, insert

from auditor.domain import require_aware
from auditor.source.snapshot import SyncSnapshot
from auditor.store import schema
from auditor.store.institution import record_institution
from auditor.store.interface import RunSummary
from auditor.store.journal import record_journals


def check_snapshot(snapshot: SyncSnapshot) -> None:
    """Refuse a malformed snapshot before anything is written (a connector bug)."""
    moments: list[tuple[datetime, str]] = [
        (snapshot.started_at, "started_at"),
        (snapshot.finished_at, "finished_at"),
        (snapshot.institution.observed_at, "institution.observed_at"),
    ]
    if snapshot.institution.setup is not None:
        moments.append((snapshot.institution.setup.observed_at, "setup.observed_at"))
    moments += [(p.observed_at, f"journal {p.group_id}/{p.month}") for p in snapshot.journals]
    for moment, what in moments:
        require_aware(moment, what)
    if snapshot.finished_at < snapshot.started_at:
        raise ValueError("a sync cannot finish before it started")
    for page in snapshot.journals:
        if len(page.month) != 7 or page.month[4] != "-":
            raise ValueError(f"journal month must be YYYY-MM, got {page.month!r}")


def public_url(url: str) -> str:
    """The URL without user, password, query or fragment: the store never keeps a secret,
    even one a caller put into the source URL by mistake."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a sync is recorded.

    Recording allocates tens of thousands of small objects (rows, intervals) that live
    until it ends and form no cycles; each allocation burst would make the collector walk
    the caller's whole heap again (measured on the month case of benchmarks/store.py:
    about a third of a sync's time). Reference counting still frees everything as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def record_snapshot(conn: Connection, snapshot: SyncSnapshot) -> RunSummary:
    with gc_paused():
        return _record(conn, snapshot)


def _record(conn: Connection, snapshot: SyncSnapshot) -> RunSummary:
    transfer = snapshot.transfer
    result = conn.execute(
        insert(schema.runs).values(
            started_at=snapshot.started_at,
            finished_at=snapshot.finished_at,
            kind=snapshot.kind,
            source=public_url(snapshot.source),
            pages=transfer.pages,
            requests=transfer.requests,
            bytes=transfer.bytes,
            retries=transfer.retries,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    run_id = int(key[0])
    journal = record_journals(conn, run_id, snapshot.journals)
    fact_changes = record_institution(conn, run_id, snapshot.institution)
    return RunSummary(
        run_id=run_id,
        started_at=snapshot.started_at,
        finished_at=snapshot.finished_at,
        kind=snapshot.kind,
        pages=transfer.pages,
        requests=transfer.requests,
        bytes=transfer.bytes,
        new_lessons=journal.new_lessons,
        changes=journal.changes,
        first_seen=journal.first_seen,
        fact_changes=fact_changes,
    )
