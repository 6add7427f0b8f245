"""Substitution marks, topic quality and scheduled lessons on tiny observation histories."""

from __future__ import annotations

from datetime import time

import pandas as pd

from auditor.audit.engine import calendar_from_frames
from rules import scheduled_lesson_entered, substitution_marked, topic_quality
from tests.rules.world import World, context

NOW = "2025-10-25 12:00"


def run(rule: object, world: World, now: str = NOW, **params: object) -> pd.DataFrame:
    frames = world.frames()
    ctx = context(now, calendar=calendar_from_frames(frames))
    return rule.check(frames, rule.Params(**params), ctx)  # type: ignore[attr-defined]


# --- substitution-marked (1.12) -------------------------------------------------------


def test_substitution_marked_with_the_entry_passes() -> None:
    w = World()
    w.lesson(1, "2025-10-13", teacher=4)
    w.poll("2025-10-13 18:00", {1: {"substitution": True, "topic": "Портрет"}})
    w.poll("2025-10-14 07:00", {1: {"substitution": True, "topic": "Портрет"}})
    assert run(substitution_marked, w).empty


def test_substitution_never_marked_is_open() -> None:
    w = World()
    w.lesson(1, "2025-10-13", teacher=4)
    w.poll("2025-10-13 18:00", {1: {"topic": "Портрет"}})
    w.poll("2025-10-14 07:00", {1: {"topic": "Портрет"}})
    row = run(substitution_marked, w).iloc[0]
    assert (row["status"], row["kind"]) == ("missing", "unmarked")
    assert "без отметки о замене и в последней проверке, 07:00 14.10.2025" in row["evidence"]
    assert pd.isna(row["closed_at"])


def test_substitution_marked_after_the_entry_is_marked_late() -> None:
    w = World()
    w.lesson(1, "2025-10-13", teacher=4)
    w.poll("2025-10-13 18:00", {1: {"topic": "Портрет"}})
    w.poll("2025-10-13 23:50", {1: {"topic": "Портрет"}})  # same day, still unmarked
    w.poll("2025-10-15 12:00", {1: {"topic": "Портрет", "substitution": True}})
    (row,) = run(substitution_marked, w).itertuples()
    # the last look without the mark (13.10) and the first with it (15.10) are days apart:
    # when it was made is known only as "between"
    assert (row.status, row.kind) == ("late", "marked_late") and pd.isna(row.days_late)
    assert row.evidence == (
        "запись занятия появилась в 18:00 13.10.2025; без отметки о замене в 23:50 13.10.2025; "
        "замена впервые отмечена в 12:00 15.10.2025 "
        "(отмечена между 23:50 13.10.2025 и 12:00 15.10.2025)"
    )


def test_late_by_n_days_only_when_both_looks_fall_on_one_day() -> None:
    w = World()
    w.lesson(1, "2025-10-13", teacher=4)
    w.poll("2025-10-13 18:00", {1: {"topic": "Портрет"}})
    w.poll("2025-10-15 07:00", {1: {"topic": "Портрет"}})
    w.poll("2025-10-15 12:00", {1: {"topic": "Портрет", "substitution": True}})
    (row,) = run(substitution_marked, w).itertuples()
    assert (row.status, row.days_late) == ("late", 2)
    assert row.evidence.endswith("(на 2 дня позже дня занятия)")


def test_a_mark_first_seen_with_the_entry_is_not_late_even_months_later() -> None:
    # a first sync on 1.10 sees a September lesson with its mark: nothing proves the mark
    # came after the entry (when the entry came is the other rules' business)
    w = World()
    w.lesson(1, "2025-09-15", teacher=4)
    w.poll("2025-10-01 07:30", {1: {"topic": "Портрет", "substitution": True}})
    assert run(substitution_marked, w).empty


def test_the_groups_own_teacher_needs_no_mark_and_unmarked_is_not_due_early() -> None:
    w = World()
    w.lesson(1, "2025-10-13")  # the group's own teacher
    w.lesson(2, "2025-10-13", group=101, teacher=3)  # a substitute, not yet due
    w.poll("2025-10-13 18:00", {1: {}, 2: {}})
    assert run(substitution_marked, w, now="2025-10-13 20:00").empty


# --- topic-quality (5.3) ---------------------------------------------------------------


def test_placeholder_at_the_deadline_then_fixed() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {"topic": "-", "completion": True}})
    w.poll("2025-10-14 07:00", {1: {"topic": "-", "completion": True}})
    w.poll("2025-10-15 12:00", {1: {"topic": "Композиция", "completion": True}})
    (row,) = run(topic_quality, w).itertuples()
    assert (row.kind, row.status) == ("placeholder", "late")
    assert row.evidence.startswith("на конец дня занятия тема: «-»")
    assert row.closed_at == pd.Timestamp("2025-10-15 05:00", tz="UTC")


def test_a_placeholder_replaced_the_same_day_passes() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 18:00", {1: {"topic": "тема", "completion": True}})
    w.poll("2025-10-13 23:50", {1: {"topic": "Композиция", "completion": True}})
    w.poll("2025-10-14 07:00", {1: {"topic": "Композиция", "completion": True}})
    assert run(topic_quality, w).empty


def test_one_topic_copied_across_a_groups_lessons() -> None:
    w = World()
    for lesson_id, day in ((1, "2025-10-06"), (2, "2025-10-13"), (3, "2025-10-20")):
        w.lesson(lesson_id, day)
    w.lesson(4, "2025-10-20", group=101)
    shown = {i: {"topic": " Рисунок ", "completion": True} for i in (1, 2)}
    shown[3] = {"topic": "рисунок", "completion": True}
    shown[4] = {"topic": "Рисунок", "completion": True}  # another group: not a copy
    w.poll("2025-10-21 07:00", shown)
    result = run(topic_quality, w)
    assert sorted(result["lesson_id"]) == [1, 2, 3]
    assert set(result["kind"]) == {"copied"}
    assert result["evidence"].iloc[0] == "одна и та же тема «Рисунок» у 3 занятий группы"


def test_completion_never_marked() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.lesson(2, "2025-10-14")
    w.poll(
        "2025-10-14 23:50", {1: {"topic": "Эскиз"}, 2: {"topic": "Набросок", "completion": True}}
    )
    (row,) = run(topic_quality, w).itertuples()
    assert (row.lesson_id, row.kind, row.status) == (1, "completion_missing", "missing")


# --- scheduled-lesson-entered (1.12) ---------------------------------------------------


def test_scheduled_lessons_missing_from_the_journal() -> None:
    w = World()
    w.schedule = [(100, 0, time(15, 0))]  # Mondays 15:00
    w.lesson(1, "2025-10-06")
    w.lesson(2, "2025-10-20")
    w.poll("2025-10-06 18:00", {1: {"topic": "А"}})
    w.poll("2025-10-21 07:00", {1: {"topic": "А"}, 2: {"topic": "Б"}})
    # 13.10 expected, never entered; 27.10 not yet due at NOW
    (row,) = run(scheduled_lesson_entered, w).itertuples()
    assert (row.kind, row.status, row.item) == ("not_entered", "missing", "2025-10-13 15:00")
    assert row.teacher_id == 3
    # the lesson's date and time in their own columns, not only in the item text
    assert (row.lesson_date, row.lesson_time) == (
        pd.Timestamp("2025-10-13"), pd.Timedelta(hours=15)
    )  # fmt: skip


def test_holidays_and_vacations_expect_no_lesson() -> None:
    w = World()
    w.schedule = [(100, 1, time(15, 0))]  # Tuesdays
    w.vacations = "2025-10-28/2025-10-28"
    w.poll("2025-11-05 07:00", {}, pages=[(100, "2025-10"), (100, "2025-11")])
    result = run(scheduled_lesson_entered, w, now="2025-11-05 08:00")
    days = sorted(result["item"].str[:10])
    # Tuesdays of October and 04.11 (a public holiday) and 28.10 (vacation) are excluded
    assert "2025-11-04" not in days and "2025-10-28" not in days
    assert days == ["2025-10-07", "2025-10-14", "2025-10-21"]


def test_a_saturday_slot_on_a_transferred_working_saturday_is_expected() -> None:
    w = World()
    w.schedule = [(100, 5, time(11, 0))]
    w.poll("2025-11-03 07:00", {}, pages=[(100, "2025-11")])
    result = run(
        scheduled_lesson_entered,
        w,
        now="2025-11-03 08:00",
    )
    assert list(result["item"]) == ["2025-11-01 11:00"]


def test_an_entry_that_appears_after_the_deadline_is_late() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.lesson(2, "2025-10-13", start="17:00", teacher=3)
    w.poll("2025-10-13 23:50", {2: {}})
    w.poll("2025-10-14 07:00", {2: {}})
    w.poll("2025-10-14 18:00", {1: {}, 2: {}})
    (row,) = run(scheduled_lesson_entered, w).itertuples()
    assert (row.lesson_id, row.kind, row.days_late) == (1, "late", 1)
    assert row.evidence == "записи нет в 07:00 14.10.2025; запись впервые видна в 18:00 14.10.2025"


def test_a_cancelled_lesson_entered_late_is_not_judged() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-14 07:00", {}, pages=[(100, "2025-10")])
    w.poll("2025-10-14 18:00", {1: {"cancelled": True}})
    assert run(scheduled_lesson_entered, w).empty
