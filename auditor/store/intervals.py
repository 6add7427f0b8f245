"""Observations folded into value intervals, in memory, then written in bulk.

An interval says: every observation of this key from ``first_seen_at`` to ``last_seen_at``
showed ``value``. A new observation of the same value extends the latest interval; a
different value (or ``restart``: the observed thing was away in between) opens a new one.

The recorder loads the latest interval of every key it is about to touch in a few bulk
queries, feeds all observations of a sync through an :class:`IntervalBook`, and writes
the result in bulk: one ``executemany`` INSERT for the new intervals, and one UPDATE per
distinct new end (a page read's moment) for the extended ones. No query per observation.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Boolean, Connection, Integer, Table, bindparam, insert, update

from auditor.errors import StoreError
from auditor.store.schema import UtcDateTime

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

# Bound parameters per IN list: far below every database's limit (SQLite: 32766).
CHUNK = 900


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(slots=True)
class Interval:
    """The latest interval of a key while a sync is recorded.

    A stored interval (``id`` set) is loaded with only what the sync may change: its end.
    """

    value: str
    last_seen_at: datetime
    last_run_id: int
    id: int | None = None  # None: opened by this sync, not yet written
    latest: bool = True
    first_seen_at: datetime | None = None  # set when opened by this sync


@dataclass(frozen=True, slots=True)
class Step:
    """What one observation did."""

    opened: bool  # a new interval was opened
    previous: str | None  # the value of the interval it followed; None: the key's first


class IntervalBook(Generic[K]):
    def __init__(self, run_id: int, latest: Mapping[K, Interval], what: str) -> None:
        self._run_id = run_id
        self._what = what
        self._latest: dict[K, Interval] = dict(latest)
        self._opened: list[tuple[K, Interval]] = []
        self._changed: dict[int, Interval] = {}  # stored intervals to update, by id

    def latest(self, key: K) -> Interval | None:
        return self._latest.get(key)

    def observe(self, key: K, value: str, at: datetime, *, restart: bool = False) -> Step:
        current = self._latest.get(key)
        if current is not None and at < current.last_seen_at:
            # Intervals only grow forward; an older observation would have to split one.
            raise StoreError(
                f"{self._what} {key!r} observed at {at.isoformat()}, before its latest "
                f"recorded observation at {current.last_seen_at.isoformat()}",
                hint="record snapshots in the order they were taken; "
                "an older snapshot cannot be added after a newer one",
            )
        if current is not None and current.value == value and not restart:
            current.last_seen_at = at
            current.last_run_id = self._run_id
            self._mark(current)
            return Step(opened=False, previous=current.value)
        if current is not None:
            current.latest = False
            self._mark(current)
        opened = Interval(value, at, self._run_id, first_seen_at=at)
        self._latest[key] = opened
        self._opened.append((key, opened))
        return Step(opened=True, previous=None if current is None else current.value)

    def _mark(self, interval: Interval) -> None:
        if interval.id is not None:
            self._changed[interval.id] = interval

    def flush(
        self,
        conn: Connection,
        table: Table,
        key_columns: Callable[[K, Interval], dict[str, Any]],
    ) -> None:
        """Write the book: updates first, so the unique "latest" index never sees two."""
        # Intervals extended by one page read share their new end: one UPDATE ... IN per
        # distinct end, instead of one parameter set per row.
        ends: dict[tuple[datetime, int, bool], list[int]] = {}
        for iv in self._changed.values():
            assert iv.id is not None
            ends.setdefault((iv.last_seen_at, iv.last_run_id, iv.latest), []).append(iv.id)
        stmt = (
            update(table)
            .where(table.c.id.in_(bindparam("b_ids", expanding=True, type_=Integer())))
            .values(
                last_seen_at=bindparam("b_last_seen_at", type_=UtcDateTime()),
                last_run_id=bindparam("b_last_run_id", type_=Integer()),
                latest=bindparam("b_latest", type_=Boolean()),
            )
        )
        for (last_seen_at, last_run_id, latest), ids in ends.items():
            for chunk in chunks(sorted(ids)):
                conn.execute(
                    stmt,
                    {
                        "b_ids": list(chunk),
                        "b_last_seen_at": last_seen_at,
                        "b_last_run_id": last_run_id,
                        "b_latest": latest,
                    },
                )
        if self._opened:
            conn.execute(
                insert(table),
                [
                    {
                        **key_columns(key, iv),
                        "value": iv.value,
                        "first_seen_at": iv.first_seen_at,
                        "last_seen_at": iv.last_seen_at,
                        "first_run_id": self._run_id,
                        "last_run_id": iv.last_run_id,
                        "latest": iv.latest,
                    }
                    for key, iv in self._opened
                ],
            )


def interval_from_row(row: Any) -> Interval:
    """A stored latest :class:`Interval` from a row of :func:`interval_columns`."""
    return Interval(row.value, row.last_seen_at, row.last_run_id, id=row.id)


def interval_columns(table: Table) -> list[Any]:
    return [table.c.id, table.c.value, table.c.last_seen_at, table.c.last_run_id]


def unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))
