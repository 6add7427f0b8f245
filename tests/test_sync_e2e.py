"""Sync end to end: over HTTP from the simulator into the real store, at simulated times.

The store learns *when* an entry was made only by looking repeatedly. These tests check
that what it learns matches the dataset's truth to the grid of sync times: each lesson
field is first seen at the first sync at or after the moment it was really entered.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.simulator.dataset import Dataset
from auditor.simulator.server import running_simulator
from auditor.simulator.world import History, Lesson
from auditor.store import SqlStore
from auditor.store.interface import FirstSeen
from auditor.sync.run import SyncOutcome
from tests.source.simsync import demo_dataset, make_session, sync_at

TZ = ZoneInfo("Asia/Novokuznetsk")
FIELDS = ("topic", "completion", "attendance", "substitution", "homework")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def history(lesson: Lesson, field: str) -> History[object]:
    name = "absent_student_ids" if field == "attendance" else field
    value = getattr(lesson, name)
    assert isinstance(value, History)
    return value


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    opened = SqlStore.open_path(tmp_path / "auditor.sqlite3")
    yield opened
    opened.close()


# Sync times around the tiny dataset's entries (tests/data/tiny_dataset.json).
GRID = [
    local(t)
    for t in (
        "2025-09-08T12:00",  # the first sync: full
        "2025-09-08T18:00",
        "2025-09-15T18:00",
        "2025-09-15T22:00",
        "2025-09-16T07:00",
        "2025-09-17T09:00",  # Wednesday: group 100 has no lesson, but its month is open
        "2025-09-22T23:50",
        "2025-09-23T10:00",  # the substitution mark of 22.09 comes on Tuesday morning
        "2025-09-30T12:00",
    )
]


def test_first_seen_matches_true_entry_times_on_the_grid(
    tiny_dataset: Dataset, store: SqlStore
) -> None:
    outcomes: list[SyncOutcome] = []
    with running_simulator(tiny_dataset, GRID[0]) as (base_url, sim):
        session = make_session(base_url, tiny_dataset)
        outcomes = [sync_at(sim, session, store, moment) for moment in GRID]
    assert [o.summary.kind for o in outcomes] == ["full"] + ["daily"] * (len(GRID) - 1)
    seen = {(x.lesson_id, x.field): x for o in outcomes for x in o.summary.first_seen}
    expected = {}
    for lesson in tiny_dataset.lessons:
        for field in FIELDS:
            entered = history(lesson, field).first_set_at()
            if entered is not None:
                expected[lesson.id, field] = min(t for t in GRID if t >= entered)
    assert {key: x.seen_at for key, x in seen.items()} == expected
    assert seen[9001, "attendance"].seen_at == local("2025-09-17T09:00")
    assert seen[9002, "substitution"].seen_at == local("2025-09-23T10:00")
    assert all(x.group_id == 100 for x in seen.values())


def test_each_run_reports_pages_bytes_and_time(tiny_dataset: Dataset, store: SqlStore) -> None:
    with running_simulator(tiny_dataset, GRID[0]) as (base_url, sim):
        session = make_session(base_url, tiny_dataset)
        first = sync_at(sim, session, store, local("2025-09-15T22:00"))
        daily = sync_at(sim, session, store, local("2025-09-16T07:00"))
    assert first.summary.kind == "full" and daily.summary.kind == "daily"
    # 7 institution pages and 2 groups x 1 month. The daily run reads group 100 (a Monday
    # slot, yesterday) and group 101, which has no slot at all: its days are unknown.
    assert first.snapshot.transfer.pages == 9 and daily.snapshot.transfer.pages == 9
    assert daily.plan is not None and daily.plan.unscheduled == {101}
    assert first.snapshot.transfer.requests == 11  # and the login form and POST
    assert daily.snapshot.transfer.requests == 9  # the session stays logged in
    assert first.summary.bytes > 10_000 and first.elapsed_s > 0
    assert first.summary.new_lessons == 2 and daily.summary.new_lessons == 0
    institution = first.snapshot.institution
    assert institution.students is not None and len(institution.students) == 2
    assert institution.setup is not None and institution.setup.year_configured


def _covered(outcome: SyncOutcome) -> set[tuple[int, str]]:
    return {(page.group_id, page.month) for page in outcome.snapshot.journals}


def test_demo_day_full_then_daily_syncs(store: SqlStore) -> None:
    """The demo institution: a full sync, then 18:00, 23:50 and 07:00 the next morning.

    Each lesson of the day (its group has a slot that weekday) is read by every daily run;
    so is each month with a due entry still missing. What a run reports as first seen was
    entered after the previous run read that page and no later than this run.
    """
    dataset = demo_dataset()
    moments = [local(t) for t in ("2025-10-14T12:00", "2025-10-14T18:00", "2025-10-14T23:50")]
    moments.append(local("2025-10-15T07:00"))
    lessons = {x.id: x for x in dataset.lessons}
    with running_simulator(dataset, moments[0]) as (base_url, sim):
        session = make_session(base_url, dataset)
        outcomes = [sync_at(sim, session, store, moments[0], concurrency=4)]
        for moment in moments[1:]:
            open_before = set(store.plan_state(moment).open_months)
            outcomes.append(sync_at(sim, session, store, moment, concurrency=4))
            covered = _covered(outcomes[-1])
            assert {k for k in open_before if k[1] <= f"{moment:%Y-%m}"} <= covered
    full, *daily = outcomes
    assert full.summary.kind == "full" and len(full.plan.months if full.plan else ()) == 240
    slots = {(s.group_id, s.weekday) for s in dataset.schedule if s.created_at <= moments[0]}
    for outcome, moment in zip(daily, moments[1:], strict=True):
        day = moment.date()
        due = {(g, f"{day:%Y-%m}") for g, w in slots if w == day.weekday()}
        assert due <= _covered(outcome)  # today's groups are read
        assert len(outcome.snapshot.journals) < 120  # but not every group
    for earlier, outcome in zip(outcomes, daily, strict=False):
        now = outcome.snapshot.started_at
        for item in outcome.summary.first_seen:
            truth = history(lessons[item.lesson_id], item.field).first_set_at()
            assert truth is not None and truth <= now, item
            if (item.group_id, f"{item.lesson_date:%Y-%m}") in _covered(earlier):
                assert truth > earlier.snapshot.started_at, item
    today = moments[1].date()
    assert any(x.lesson_date == today for x in daily[0].summary.first_seen)
    _entered_evening_is_seen_at_23_50(daily, lessons, today)


def _entered_evening_is_seen_at_23_50(
    daily: list[SyncOutcome], lessons: dict[int, Lesson], today: object
) -> None:
    """Topics of today's lessons entered between 18:00 and 23:50 are first seen at 23:50."""
    evening = daily[1].snapshot.started_at
    seen: dict[int, FirstSeen] = {
        x.lesson_id: x for o in daily for x in o.summary.first_seen if x.field == "topic"
    }
    entered_evening = [
        x
        for x in lessons.values()
        if x.date == today
        and (t := x.topic.first_set_at()) is not None
        and daily[0].snapshot.started_at < t <= evening
        and x.topic.value_at(evening)
    ]
    assert entered_evening, "the demo day has evening entries"
    for lesson in entered_evening:
        assert seen[lesson.id].seen_at == evening


def test_mobile_source_sees_topics_and_homework_on_the_grid(
    tiny_dataset: Dataset, store: SqlStore
) -> None:
    """A parent's account: the child's timetable shows topics and homework (no completion,
    no attendance of others, no substitution mark: those stay unseen, never "empty")."""
    import requests

    from auditor.source.http import HttpClient
    from auditor.source.mobile_api import MobileApiClient
    from auditor.sync.run import sync_mobile

    parent = next(c for c in tiny_dataset.credentials if c.login == "parent500")
    outcomes = []
    with running_simulator(tiny_dataset, GRID[0]) as (base_url, sim):
        http = HttpClient(requests.Session(), f"{base_url}/api3d", sleep=lambda s: None)
        client = MobileApiClient(http, parent.login, parent.password, config_key="x")
        for moment in GRID:
            sim.clock.set(moment)
            outcomes.append(sync_mobile([client], http, store, clock=lambda m=moment: m, tz=TZ))
    assert {o.summary.kind for o in outcomes} == {"mobile"}
    seen = {(x.lesson_id, x.field): x.seen_at for o in outcomes for x in o.summary.first_seen}
    assert {field for _lesson, field in seen} <= {"topic", "homework"}
    expected = {}
    for lesson in tiny_dataset.lessons:
        for field in ("topic", "homework"):
            entered = history(lesson, field).first_set_at()
            if entered is not None:
                expected[lesson.id, field] = min(t for t in GRID if t >= entered)
    assert seen == expected
    lessons = [x for o in outcomes for page in o.snapshot.journals for x in page.lessons]
    assert lessons and all(x.completed is None and x.substitution is None for x in lessons)
    assert all(x.date <= GRID[-1].date() for x in lessons)
