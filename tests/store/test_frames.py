"""Frames for the rule engine: typed columns, the period filter, and enough evidence to judge
on time / late / missing / cannot prove exactly as shared/DESIGN.md defines them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from auditor.contract.frames import DTYPES, SPECS
from auditor.store import Frames, SqlStore
from tests.store.builders import (
    DAY,
    TZ,
    at,
    filled,
    institution,
    lesson,
    own_page,
    page,
    snapshot,
)

NEXT = "2025-09-11"


def frame_names() -> list[str]:
    return [f.name for f in fields(Frames) if f.name not in ("start", "end")]


def assert_typed(frames: Frames) -> None:
    for name in frame_names():
        frame = getattr(frames, name)
        expected = {col: pd.Series(dtype=DTYPES[kind]).dtype for col, kind in SPECS[name].items()}
        assert frame.dtypes.to_dict() == expected, name


def test_every_frame_is_typed_even_when_empty(store: SqlStore) -> None:
    assert set(SPECS) == set(frame_names())
    frames = store.load_frames(DAY, DAY)
    assert_typed(frames)
    assert all(getattr(frames, name).empty for name in frame_names())


def test_every_frame_is_typed_when_full(store: SqlStore) -> None:
    sync = page(at(DAY, "23:30"), filled(1), lesson(2))
    store.record(snapshot(sync, institution=institution(at(DAY, "23:00"))))
    frames = store.load_frames(DAY, DAY)
    assert_typed(frames)
    assert all(not getattr(frames, name).empty for name in frame_names())
    assert frames.departments.head_id.tolist() == [200]
    lessons = frames.lessons
    assert lessons.date.tolist() == [pd.Timestamp("2025-09-10")] * 2
    assert lessons.start_time.tolist() == [pd.Timedelta(hours=15)] * 2
    assert frames.staff_groups.values.tolist() == [[100, 1], [200, 1], [200, 2]]


def test_the_period_selects_lessons_their_intervals_and_page_reads(store: SqlStore) -> None:
    store.record(
        snapshot(
            page(at(DAY, "23:30"), lesson(1), lesson(2, day=date(2025, 9, 30))),
            page(at(DAY, "23:30"), lesson(3, day=date(2025, 10, 1)), month="2025-10"),
        )
    )
    frames = store.load_frames(date(2025, 9, 1), date(2025, 9, 29))
    assert frames.lessons.lesson_id.tolist() == [1]
    assert set(frames.field_intervals.lesson_id) == {1}
    assert frames.page_reads.month.tolist() == ["2025-09"]  # the pages of the period's months
    assert len(frames.runs) == 1


# ---------------------------------------------------------------------------------------
# A worked example: the judgement of one field, written only from docs/store.md.


@dataclass(frozen=True)
class Verdict:
    status: str
    last_empty: datetime | None = None
    first_filled: datetime | None = None


def observations(frames: Frames, lesson_id: int, field: str) -> list[tuple[pd.Timestamp, bool]]:
    """Every (moment, filled) the store knows for one field of one lesson (docs/store.md)."""
    lesson = frames.lessons.set_index("lesson_id").loc[lesson_id]
    iv = frames.field_intervals[frames.field_intervals.lesson_id == lesson_id]
    seen: list[tuple[pd.Timestamp, bool]] = []
    for row in iv[iv.field == field].itertuples():
        seen += [(row.first_seen_at, row.filled), (row.last_seen_at, row.filled)]
    away = iv[(iv.field == "present") & (iv.value == "false")]
    for row in away.itertuples():  # off its page: every field empty
        seen += [(row.first_seen_at, False), (row.last_seen_at, False)]
    reads = frames.page_reads
    before = reads[
        (reads.group_id == lesson.group_id)
        & (reads.month == lesson.month)
        & (reads.observed_at < lesson.first_seen_at)
    ]
    seen += [(t, False) for t in before.observed_at]  # page read, lesson not on it yet
    return sorted(seen)


def judge(frames: Frames, lesson_id: int, field: str, now: datetime) -> Verdict:
    lesson = frames.lessons.set_index("lesson_id").loc[lesson_id]
    iv = frames.field_intervals
    cancelled = iv[(iv.lesson_id == lesson_id) & (iv.field == "cancelled") & iv.latest]
    if (cancelled.value == "true").any():
        return Verdict("not applicable")
    deadline = (lesson.date + pd.Timedelta(days=1)).tz_localize(TZ).tz_convert("UTC")
    if now < deadline:
        return Verdict("not due")
    seen = observations(frames, lesson_id, field)
    on_time = [t for t, full in seen if full and t < deadline]
    if on_time:
        return Verdict("on time", first_filled=min(on_time))
    empty_after = [t for t, full in seen if not full and t >= deadline]
    if not empty_after:
        return Verdict("cannot prove")
    last_empty = max(empty_after)
    filled_later = [t for t, full in seen if full and t > last_empty]
    if filled_later:
        return Verdict("late", last_empty, min(filled_later))
    return Verdict("missing", last_empty)


@pytest.fixture
def example(store: SqlStore) -> SqlStore:
    """Lesson day 2025-09-10; the deadline is 2025-09-11 00:00 Kemerovo.

    Group 1 is polled at 23:30, 00:10 and 07:00; group 2 only at 15:00 and 09:00 the next day.
    1: entered before 23:30           → on time
    2: not on the page at 23:30/00:10, entered by 07:00 → late, between 00:10 and 07:00
    3: on the page, topic still empty at 07:00          → missing
    4: group 2, absent at 15:00, filled at 09:00         → cannot prove (gap holds midnight)
    5: cancelled                                        → not applicable
    """
    store.record(snapshot(page(at(DAY, "15:00"), group_id=2)))
    store.record(snapshot(page(at(DAY, "23:30"), filled(1), lesson(3), lesson(5, cancelled=True))))
    store.record(snapshot(page(at(NEXT, "00:10"), filled(1), lesson(3), lesson(5, cancelled=True))))
    store.record(
        snapshot(
            page(at(NEXT, "07:00"), filled(1), filled(2), lesson(3), lesson(5, cancelled=True)),
            own_page(at(NEXT, "09:00"), filled(4, group_id=2)),
        )
    )
    return store


def test_worked_example_of_deadline_evidence(example: SqlStore) -> None:
    now = at(NEXT, "10:00")
    frames = example.load_frames(DAY, DAY)
    verdicts = {i: judge(frames, i, "topic", now) for i in (1, 2, 3, 4, 5)}
    utc = pd.Timestamp  # comparisons of aware moments do not depend on the zone
    assert verdicts[1] == Verdict("on time", first_filled=utc(at(DAY, "23:30")))
    assert verdicts[2] == Verdict("late", utc(at(NEXT, "00:10")), utc(at(NEXT, "07:00")))
    assert verdicts[3] == Verdict("missing", utc(at(NEXT, "07:00")))
    assert verdicts[4] == Verdict("cannot prove")
    assert verdicts[5] == Verdict("not applicable")
    assert judge(frames, 1, "topic", at(DAY, "23:59")).status == "not due"


def test_missing_turns_late_once_the_entry_shows(example: SqlStore) -> None:
    shown = (filled(1), filled(2), filled(3), lesson(5, cancelled=True))
    example.record(snapshot(page(at(NEXT, "12:00"), *shown)))
    frames = example.load_frames(DAY, DAY)
    verdict = judge(frames, 3, "topic", at(NEXT, "13:00"))
    assert verdict == Verdict(
        "late", pd.Timestamp(at(NEXT, "07:00")), pd.Timestamp(at(NEXT, "12:00"))
    )
    entered = verdict.first_filled - verdict.last_empty  # type: ignore[operator]
    assert entered == timedelta(hours=5)  # "entered between 07:00 and 12:00"
