"""What an audit could see: the observation runs behind its judgement, and the night gaps.

A clean result means something only if the auditor looked: every summary states how many
completed runs fall in the audited period (up to the as-of moment), the first and last
observation, how many lessons were judged, and the midnights whose surroundings were not
polled. An entry made between the last poll before a midnight and the first poll after it
can be neither proved on time nor proved late (``shared/DESIGN.md``), so the gap of each
midnight is part of the coverage; a midnight is *unwatched* when no poll came in the
``evening_window`` before it (by default the hour before midnight).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditor.lazy import pandas as pd

EVENING_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class NightGap:
    """The polls around the midnight that ends local date ``day``."""

    day: date
    last_before: datetime | None  # local; None: no poll that evening or earlier
    first_after: datetime | None  # local; None: no poll after it (yet)


@dataclass(frozen=True, slots=True)
class Coverage:
    runs: int  # completed runs that started in the period, up to the as-of moment
    first_observation: datetime | None  # local
    last_observation: datetime | None  # local
    lessons_judged: int
    unwatched_midnights: tuple[NightGap, ...]

    @property
    def observed(self) -> bool:
        return self.runs > 0


def coverage(
    runs: pd.DataFrame,
    lessons: pd.DataFrame,
    start: date,
    end: date,
    now: datetime,
    tz: ZoneInfo,
    evening_window: timedelta = EVENING_WINDOW,
) -> Coverage:
    """The coverage of [start, end] as of ``now`` from the ``runs`` and ``lessons`` frames."""
    period_start = datetime.combine(start, time(0), tzinfo=tz)
    period_end = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    began = runs["started_at"]
    # a run counts as of its start (auditor.audit.as_of): one started at `now` is known
    inside = runs[(began >= period_start) & (began < period_end) & (began <= now)]
    local = [m.to_pydatetime().astimezone(tz) for m in inside["started_at"].sort_values()]
    known = runs[began <= now]["started_at"].sort_values()
    polls = [m.to_pydatetime().astimezone(tz) for m in known]
    return Coverage(
        runs=len(inside),
        first_observation=local[0] if local else None,
        last_observation=local[-1] if local else None,
        lessons_judged=int(lessons["date"].between(str(start), str(end)).sum()),
        unwatched_midnights=_unwatched(polls, start, end, now, tz, evening_window),
    )


def _unwatched(
    polls: list[datetime],
    start: date,
    end: date,
    now: datetime,
    tz: ZoneInfo,
    window: timedelta,
) -> tuple[NightGap, ...]:
    gaps = []
    day = start
    while day <= end:
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        if midnight > now:
            break
        at = bisect_left(polls, midnight)  # polls are in time order
        last_before = polls[at - 1] if at > 0 else None
        if last_before is None or last_before < midnight - window:
            gaps.append(NightGap(day, last_before, polls[at] if at < len(polls) else None))
        day += timedelta(days=1)
    return tuple(gaps)
