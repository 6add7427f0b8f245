"""Replay a period against the simulator: sync at the poll times of every day, as the
scheduler would, moving the simulated clock from poll to poll.

The poll times follow ``shared/DESIGN.md``: one close to midnight (23:50, so that an entry
made in the evening is seen before the deadline) and one early in the morning (07:00, so
that one made after midnight is seen empty at or after the deadline), plus two in the day.
Used by the demo and by the end-to-end test that checks the findings against the answer key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditor.source.staff_web import StaffWebSession
from auditor.store.interface import Store
from auditor.sync.run import SyncOutcome, sync_staff

POLL_TIMES: tuple[time, ...] = (time(7, 0), time(12, 0), time(18, 0), time(23, 50))


def poll_moments(
    start: date, end: date, tz: ZoneInfo, polls: Sequence[time] = POLL_TIMES
) -> Iterator[datetime]:
    """Every poll moment from ``start`` to ``end`` inclusive, in time order."""
    day = start
    while day <= end:
        for moment in sorted(polls):
            yield datetime.combine(day, moment, tzinfo=tz)
        day += timedelta(days=1)


def replay(
    set_clock: Callable[[datetime], None],
    session: StaffWebSession,
    store: Store,
    tz: ZoneInfo,
    moments: Sequence[datetime],
    *,
    on_sync: Callable[[SyncOutcome], None] | None = None,
) -> list[SyncOutcome]:
    """Sync at each moment (the first sync of an empty store is a full one)."""
    outcomes = []
    for moment in moments:
        set_clock(moment)
        outcome = sync_staff(session, store, clock=lambda m=moment: m, tz=tz)  # type: ignore[misc]
        outcomes.append(outcome)
        if on_sync is not None:
            on_sync(outcome)
    return outcomes
