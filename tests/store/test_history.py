"""Observations become value intervals: extended while the value stays, split when it changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from auditor.errors import StoreError
from auditor.store import SqlStore
from tests.store.builders import DAY, at, filled, institution, lesson, page, snapshot
from tests.store.conftest import dump

NEXT = "2025-09-11"
SEPTEMBER = (date(2025, 9, 1), date(2025, 9, 30))


def intervals(store: SqlStore, lesson_id: int, field: str) -> list[tuple[str, datetime, datetime]]:
    frame = store.load_frames(*SEPTEMBER).field_intervals
    rows = frame[(frame.lesson_id == lesson_id) & (frame.field == field)]
    return [
        (r.value, r.first_seen_at.to_pydatetime(), r.last_seen_at.to_pydatetime())
        for r in rows.itertuples()
    ]


def test_same_value_extends_and_a_change_opens_a_new_interval(store: SqlStore) -> None:
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1))))
    store.record(snapshot(page(at(DAY, "23:30"), lesson(1))))
    summary = store.record(snapshot(page(at(NEXT, "07:00"), lesson(1, topic="Моторы"))))

    assert intervals(store, 1, "topic") == [
        ("", at(DAY, "18:00"), at(DAY, "23:30")),
        ("Моторы", at(NEXT, "07:00"), at(NEXT, "07:00")),
    ]
    assert intervals(store, 1, "teacher") == [("100", at(DAY, "18:00"), at(NEXT, "07:00"))]
    assert summary.changes == 1
    assert [(f.lesson_id, f.field, f.value, f.seen_at) for f in summary.first_seen] == [
        (1, "topic", "Моторы", at(NEXT, "07:00"))
    ]
    latest = store.load_frames(*SEPTEMBER).field_intervals
    assert latest.groupby(["lesson_id", "field"]).latest.sum().eq(1).all()


def test_moments_come_back_aware_in_utc(store: SqlStore) -> None:
    store.record(snapshot(page(at(DAY, "23:30"), lesson(1))))
    _, first, _ = intervals(store, 1, "topic")[0]
    assert first == at(DAY, "23:30")
    assert str(first.tzinfo) == "UTC" and first.hour == 16  # Kemerovo is UTC+7


def test_fields_the_source_cannot_see_are_not_recorded(store: SqlStore) -> None:
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1))))
    mobile = lesson(
        1, completed=None, attendance_marked=None, substitution=None, homework_present=None
    )
    store.record(snapshot(page(at(DAY, "23:30"), mobile), kind="mobile"))

    assert intervals(store, 1, "completion") == [("false", at(DAY, "18:00"), at(DAY, "18:00"))]
    assert intervals(store, 1, "topic") == [("", at(DAY, "18:00"), at(DAY, "23:30"))]
    assert intervals(store, 1, "absent_count") == []  # never visible


def test_first_seen_reports_only_first_fills(store: SqlStore) -> None:
    first = store.record(snapshot(page(at(DAY, "18:00"), filled(1), lesson(2))))
    assert first.new_lessons == 2
    assert sorted(f.field for f in first.first_seen) == ["attendance", "completion", "topic"]
    assert first.changes == 3  # first fills count as changes; empty first values do not

    cleared = store.record(snapshot(page(at(DAY, "19:00"), filled(1, topic=""), lesson(2))))
    refilled = store.record(snapshot(page(at(DAY, "20:00"), filled(1, topic="Другая"), lesson(2))))
    assert (cleared.changes, cleared.first_seen) == (1, ())
    assert (refilled.changes, refilled.first_seen) == (1, ())  # a value seen filled before
    assert refilled.new_lessons == 0


def test_a_lesson_missing_from_a_read_page_is_recorded_absent(store: SqlStore) -> None:
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1, topic="A"), lesson(2))))
    gone = store.record(snapshot(page(at(DAY, "19:00"), lesson(2))))
    store.record(snapshot(page(at(DAY, "20:00"), lesson(2))))
    back = store.record(snapshot(page(at(DAY, "21:00"), lesson(1, topic="A"), lesson(2))))

    assert gone.changes == 1 and back.changes == 1
    assert intervals(store, 1, "present") == [
        ("true", at(DAY, "18:00"), at(DAY, "18:00")),
        ("false", at(DAY, "19:00"), at(DAY, "20:00")),
        ("true", at(DAY, "21:00"), at(DAY, "21:00")),
    ]
    # The same topic before and after: two intervals, none spanning the absence.
    assert intervals(store, 1, "topic") == [
        ("A", at(DAY, "18:00"), at(DAY, "18:00")),
        ("A", at(DAY, "21:00"), at(DAY, "21:00")),
    ]
    lessons = store.load_frames(*SEPTEMBER).lessons.set_index("lesson_id")
    assert lessons.loc[1, "last_seen_at"] == at(DAY, "21:00")


def test_pages_not_read_leave_their_lessons_alone(store: SqlStore) -> None:
    other_group = page(at(DAY, "18:00"), lesson(5, group_id=2), group_id=2)
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1)), other_group))
    store.record(snapshot(page(at(DAY, "19:00"), lesson(1))))  # group 2 not read
    assert intervals(store, 5, "present") == [("true", at(DAY, "18:00"), at(DAY, "18:00"))]


def test_a_lesson_moved_to_another_date_moves_to_its_new_page(store: SqlStore) -> None:
    store.record(snapshot(page(at(DAY, "18:00"), lesson(1))))
    moved = lesson(1, day=date(2025, 10, 1))
    store.record(snapshot(page(at(DAY, "19:00")), page(at(DAY, "19:00"), moved, month="2025-10")))
    frames = store.load_frames(date(2025, 9, 1), date(2025, 10, 31))
    row = frames.lessons.set_index("lesson_id").loc[1]
    assert (row["month"], bool(row["present"])) == ("2025-10", True)


def test_pages_of_one_sync_are_applied_in_time_order(store: SqlStore) -> None:
    later = page(at(DAY, "20:00"), lesson(1, topic="B"))
    earlier = page(at(DAY, "19:00"), lesson(1, topic="A"))
    store.record(snapshot(later, earlier))
    assert [v for v, _, _ in intervals(store, 1, "topic")] == ["A", "B"]


def test_an_older_snapshot_after_a_newer_one_is_refused(store: SqlStore, store_path: Path) -> None:
    store.record(snapshot(page(at(DAY, "20:00"), lesson(1))))
    before = dump(store_path)
    with pytest.raises(StoreError, match="before its latest recorded observation"):
        store.record(snapshot(page(at(DAY, "19:00"), lesson(1))))
    assert dump(store_path) == before


def test_institution_parts_not_read_are_not_touched(store: SqlStore) -> None:
    store.record(snapshot(institution=institution(at(DAY, "08:00"))))
    store.record(snapshot(institution=institution(at(DAY, "09:00"), students=None, setup=None)))
    frames = store.load_frames(*SEPTEMBER)
    assert set(frames.students.last_seen_at) == {at(DAY, "08:00")}
    assert set(frames.setup.last_seen_at) == {at(DAY, "08:00")}
    assert set(frames.groups.last_seen_at) == {at(DAY, "09:00")}
    facts = frames.facts
    student_facts = facts[facts.kind == "student"]
    assert set(student_facts.last_seen_at) == {at(DAY, "08:00")}


def test_institution_facts_are_intervals_and_departures_are_kept(store: SqlStore) -> None:
    base = institution(at(DAY, "08:00"))
    store.record(snapshot(institution=base))
    assert base.students is not None and base.setup is not None
    kept = base.students[0]
    changed = replace(kept, has_email=True)
    setup = replace(base.setup, observed_at=at(DAY, "09:00"), notifications_configured=True)
    summary = store.record(
        snapshot(institution=institution(at(DAY, "09:00"), students=(changed,), setup=setup))
    )
    # has_email changed, student 1001 left, notifications got configured.
    assert summary.fact_changes == 3
    frames = store.load_frames(*SEPTEMBER)
    students = frames.students.set_index("student_id")
    assert bool(students.loc[1001, "present"]) is False
    assert students.loc[1001, "full_name"] == "Смирнова Ольга"  # still named in reports
    facts = frames.facts
    email = facts[(facts.entity == "1000") & (facts.fact == "has_email")]
    assert list(email.value) == ["false", "true"]
    assert list(email.latest) == [False, True]
    gone = facts[(facts.kind == "student") & (facts.entity == "1001") & (facts.fact == "present")]
    assert list(gone.value) == ["true", "false"]
    notify = facts[facts.fact == "notifications_configured"]
    assert list(zip(notify.value, notify.first_seen_at, strict=True)) == [
        ("false", at(DAY, "08:00")),
        ("true", at(DAY, "09:00")),
    ]
