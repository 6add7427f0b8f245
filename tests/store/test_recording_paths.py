"""The recorder's shortcuts change nothing: the same store as observing key by key.

An unchanged lesson is extended whole by its digest, unchanged institution entities by one
statement per part; the rest goes key by key through the interval book. With the shortcuts
switched off every observation goes key by key (the algorithm they shortcut), and the two
stores must be equal row for row, with equal summaries, refusals and plan states.
"""

from __future__ import annotations

import gc
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import StoreError
from auditor.source.snapshot import StaffSeen, SyncSnapshot
from auditor.store import SqlStore, facts, institution, intervals, journal
from auditor.store.values import digest
from tests.store.builders import DAY, at, lesson, page, snapshot
from tests.store.builders import institution as small_institution
from tests.store.conftest import dump
from tests.store.random_syncs import random_syncs


def record_all(path: Path, snapshots: list[SyncSnapshot]) -> list[str]:
    """Every outcome as text: a summary, a refusal, and now and then the plan state."""
    outcomes = []
    with SqlStore.open_path(path) as store:
        for i, snap in enumerate(snapshots):
            try:
                outcomes.append(repr(store.record(snap)))
            except StoreError as err:
                outcomes.append(f"refused: {err}")
            if i % 5 == 0:
                outcomes.append(repr(store.plan_state(snap.finished_at)))
    return outcomes


def check_digests(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        latest: dict[int, dict[str, str]] = {}
        rows = conn.execute("SELECT lesson_id, field, value FROM field_intervals WHERE latest")
        for lesson_id, field, value in rows:
            latest.setdefault(lesson_id, {})[field] = value
        for lesson_id, known in conn.execute("SELECT lesson_id, latest_digest FROM lessons"):
            assert known == digest(latest[lesson_id]), lesson_id
    finally:
        conn.close()


def key_by_key(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(journal, "_unchanged", lambda *_: set())
    never = datetime.max.replace(tzinfo=UTC)  # every part read "before" its latest facts
    patch.setattr(institution, "latest_ends", lambda _conn, kinds: dict.fromkeys(kinds, never))


@pytest.mark.parametrize("seed", range(8))
def test_shortcuts_record_what_key_by_key_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    snapshots = random_syncs(seed, 25)
    fast = record_all(tmp_path / "fast.sqlite3", snapshots)
    with monkeypatch.context() as patch:
        key_by_key(patch)
        slow = record_all(tmp_path / "slow.sqlite3", snapshots)
    assert fast == slow
    assert dump(tmp_path / "fast.sqlite3") == dump(tmp_path / "slow.sqlite3")
    check_digests(tmp_path / "fast.sqlite3")


@pytest.mark.parametrize("seed", range(2))
def test_long_lists_are_chunked_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    snapshots = random_syncs(100 + seed, 15)
    whole = record_all(tmp_path / "whole.sqlite3", snapshots)
    with monkeypatch.context() as patch:  # lists of 2: many chunks, entity by entity
        patch.setattr(intervals.chunks, "__defaults__", (2,))
        patch.setattr(facts, "CHUNK", 2)
        chunked = record_all(tmp_path / "chunked.sqlite3", snapshots)
    assert whole == chunked
    assert dump(tmp_path / "whole.sqlite3") == dump(tmp_path / "chunked.sqlite3")


def test_an_unchanged_lesson_is_extended_without_loading_it(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1), lesson(2))))
    loaded: list[int] = []
    load_latest = journal.load_latest

    def spy(conn: Any, book: Any, ids: Any) -> None:
        loaded.extend(ids)
        load_latest(conn, book, ids)

    monkeypatch.setattr(journal, "load_latest", spy)
    summary = store.record(snapshot(page(at(DAY, "23:30"), lesson(1), lesson(2, topic="Да"))))
    assert loaded == [2] and summary.changes == 1
    frame = store.load_frames(DAY, DAY).field_intervals
    teacher = frame[(frame.lesson_id == 1) & (frame.field == "teacher")]
    assert teacher.last_seen_at.tolist() == [at(DAY, "23:30")]


def test_an_entity_of_another_type_than_its_column_is_refused(
    store: SqlStore, store_path: Path
) -> None:
    store.record(snapshot(institution=small_institution(at(DAY, "17:00"))))
    before = dump(store_path)
    odd = StaffSeen(300, "Новиков Олег", "педагог", 1, ("teacher",), 1, (), ())  # type: ignore[arg-type]
    seen = small_institution(at(DAY, "18:00"), staff=(odd,))
    with pytest.raises(ValueError, match=r"staff \(300,\): has_account must be a bool"):
        store.record(snapshot(institution=seen))
    assert dump(store_path) == before


def test_garbage_collection_is_paused_only_while_recording(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    states: list[bool] = []
    record_journals = journal.record_journals

    def spy(*args: Any) -> Any:
        states.append(gc.isenabled())
        return record_journals(*args)

    monkeypatch.setattr("auditor.store.recorder.record_journals", spy)
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1))))
    with pytest.raises(StoreError):  # older than what the store holds
        store.record(snapshot(page(at(DAY, "17:00"), lesson(1))))
    assert states == [False, False] and gc.isenabled()
