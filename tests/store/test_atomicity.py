"""One sync, one transaction: a failure anywhere while writing leaves the store as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from auditor.errors import StoreError
from auditor.store import SqlStore, interval_writes, journal, recorder
from tests.store.builders import DAY, at, filled, institution, lesson, page, snapshot
from tests.store.conftest import dump


class Injected(RuntimeError):
    pass


def _raise(*_args: Any, **_kwargs: Any) -> Any:
    raise Injected("failure injected mid-write")


def _earlier_syncs(store: SqlStore) -> None:
    first = page(at(DAY, "18:00"), lesson(1), lesson(2))
    store.record(snapshot(first, institution=institution(at(DAY, "17:00"))))
    store.record(snapshot(page(at(DAY, "20:00"), filled(1), lesson(2))))


def _next_sync() -> Any:
    return snapshot(
        page(at(DAY, "23:30"), filled(1, topic="Новая"), filled(2), lesson(3)),
        institution=institution(at(DAY, "23:00")),
    )


# Each target fails after some of the sync's rows are already written in its transaction.
FAILURES = {
    "after page reads, before lessons": (journal, "load_lessons"),
    "after lessons, before intervals": (journal, "write_changes"),
    "between interval updates and inserts": (interval_writes, "insert"),
    "after the journal, in the institution": (recorder, "record_institution"),
}


@pytest.mark.parametrize("where", list(FAILURES))
def test_a_failure_mid_write_leaves_the_store_unchanged(
    store: SqlStore, store_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _earlier_syncs(store)
    before = dump(store_path)
    target, name = FAILURES[where]
    with monkeypatch.context() as patch:
        patch.setattr(target, name, _raise)
        with pytest.raises(Injected):
            store.record(_next_sync())
    assert dump(store_path) == before
    # And the store still works: the same sync records, with the next run id.
    summary = store.record(_next_sync())
    assert summary.run_id == 3 and summary.new_lessons == 1


def test_the_first_sync_failing_leaves_an_empty_store(
    store: SqlStore, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(store_path)
    monkeypatch.setattr(recorder, "record_institution", _raise)
    with pytest.raises(Injected):
        store.record(_next_sync())
    assert dump(store_path) == before
    assert all(rows == [] for name, rows in before.items() if name != "meta")


def test_a_database_error_mid_write_is_a_store_error(
    store: SqlStore, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _earlier_syncs(store)
    before = dump(store_path)

    def disk_full(*_args: Any, **_kwargs: Any) -> Any:
        raise OperationalError("INSERT ...", {}, Exception("database or disk is full"))

    monkeypatch.setattr(recorder, "record_institution", disk_full)
    with pytest.raises(StoreError) as info:
        store.record(_next_sync())
    assert "database or disk is full" in str(info.value) and info.value.hint
    assert dump(store_path) == before
