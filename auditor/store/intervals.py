"""Observations folded into value intervals, in memory, before they are written in bulk.

An interval says: every observation of this key from ``first_seen_at`` to ``last_seen_at``
showed ``value``. A new observation of the same value extends the latest interval; a
different value (or ``restart``: the observed thing was away in between) opens a new one.

Keys are (owner, name): a lesson and one of its fields, or an institution entity and one of
its facts. The recorder loads the latest intervals of the owners it is about to touch, feeds
all observations of a sync through an :class:`IntervalBook`, and :mod:`.interval_writes`
writes the result. Most observations of a daily sync repeat the latest value, so the book
also records whole owners extended at one moment: they are written as one parameter set per
owner instead of one per interval.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from auditor.errors import StoreError

O = TypeVar("O", bound=Hashable)  # noqa: E741 (the owner of a key)
T = TypeVar("T")

# Bound parameters per IN list: far below every database's limit (SQLite: 32766).
CHUNK = 900


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


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


@dataclass(slots=True)
class OwnerExtension:
    """Latest intervals of one owner, all extended to ``at`` by this sync and not written
    one by one: those named in ``names``, or all of the owner's latest ones (None)."""

    owner: Hashable
    at: datetime
    names: frozenset[str] | None = None


@dataclass(slots=True)
class Changes:
    """What :func:`~auditor.store.interval_writes.write_changes` writes."""

    closed_or_moved: list[Interval] = field(default_factory=list)  # stored, updated by id
    extended: list[OwnerExtension] = field(default_factory=list)  # stored, updated by owner
    opened: list[tuple[Hashable, str, Interval]] = field(default_factory=list)  # inserted


class IntervalBook(Generic[O]):
    def __init__(self, run_id: int, what: str) -> None:
        self.run_id = run_id
        self._what = what
        self._latest: dict[O, dict[str, Interval]] = {}
        self._stored: dict[O, list[Interval]] = {}  # every stored latest interval, by owner
        self._opened: list[tuple[O, str, Interval]] = []
        self._touched: dict[O, None] = {}  # owners with a stored interval changed (ordered)
        self._unloaded: list[OwnerExtension] = []

    def load(self, owner: O, name: str, interval: Interval) -> None:
        """A stored latest interval. Load all of an owner's, or none (see extend_unloaded)."""
        self._latest.setdefault(owner, {})[name] = interval
        self._stored.setdefault(owner, []).append(interval)

    def latest(self, owner: O, name: str) -> Interval | None:
        return self._latest.get(owner, {}).get(name)

    def observe(
        self, owner: O, name: str, value: str, at: datetime, *, restart: bool = False
    ) -> Step:
        current = self._latest.setdefault(owner, {}).get(name)
        if current is not None and at < current.last_seen_at:
            self._refuse(owner, name, at, current)
        if current is not None and current.value == value and not restart:
            self._extend(owner, current, at)
            return Step(opened=False, previous=current.value)
        if current is not None:
            current.latest = False
            if current.id is not None:
                self._touched[owner] = None
        opened = Interval(value, at, self.run_id, first_seen_at=at)
        self._latest[owner][name] = opened
        self._opened.append((owner, name, opened))
        return Step(opened=True, previous=None if current is None else current.value)

    def extend_if_same(self, owner: O, values: Mapping[str, str], at: datetime) -> bool:
        """Observe ``values`` if every one repeats its key's latest value; else do nothing.

        The common case of a daily sync, without a :class:`Step` per key. False sends the
        caller to :meth:`observe` key by key (which also reports an observation too old).
        """
        current = self._latest.get(owner)
        if current is None:
            return False
        for name, value in values.items():
            interval = current.get(name)
            if interval is None or interval.value != value or at < interval.last_seen_at:
                return False
        for name in values:
            self._extend(owner, current[name], at)
        return True

    def extend_unloaded(self, owner: O, at: datetime, names: frozenset[str] | None) -> None:
        """Extend an owner's latest intervals (``names``, or all) without loading them: the
        caller knows they hold the values observed and end no later than ``at``."""
        assert owner not in self._latest, "an owner is either loaded or extended unloaded"
        self._unloaded.append(OwnerExtension(owner, at, names))

    def latest_values(self) -> Iterator[tuple[O, dict[str, str]]]:
        """The latest value of each key of each loaded or observed owner, as of now."""
        for owner, latest in self._latest.items():
            yield owner, {name: interval.value for name, interval in latest.items()}

    def changes(self) -> Changes:
        """The book's result: stored intervals to update, grouped by owner where possible."""
        result = Changes(extended=list(self._unloaded), opened=list(self._opened))
        for owner in self._touched:
            stored = self._stored[owner]
            closed = [iv for iv in stored if not iv.latest]
            moved = [iv for iv in stored if iv.latest and iv.last_run_id == self.run_id]
            # Identity, not equality: two moments of a repeated DST hour compare equal.
            if len({id(iv.last_seen_at) for iv in moved}) == 1:
                # One parameter set for the owner's extended intervals, naming them only if
                # some of its latest ones stay as they were; ids only for the closed ones.
                names = None
                if len(moved) + len(closed) < len(stored):
                    names = frozenset(
                        name
                        for name, iv in self._latest[owner].items()
                        if iv.id is not None and iv.last_run_id == self.run_id
                    )
                result.extended.append(OwnerExtension(owner, moved[0].last_seen_at, names))
                result.closed_or_moved += closed
            else:
                result.closed_or_moved += closed + moved
        return result

    def _extend(self, owner: O, interval: Interval, at: datetime) -> None:
        interval.last_seen_at = at
        interval.last_run_id = self.run_id
        if interval.id is not None:
            self._touched[owner] = None

    def _refuse(self, owner: O, name: str, at: datetime, current: Interval) -> None:
        # Intervals only grow forward; an older observation would have to split one.
        key = (*owner, name) if isinstance(owner, tuple) else (owner, name)
        raise StoreError(
            f"{self._what} {key!r} observed at {at.isoformat()}, before its latest "
            f"recorded observation at {current.last_seen_at.isoformat()}",
            hint="record snapshots in the order they were taken; "
            "an older snapshot cannot be added after a newer one",
        )
