"""The same-day rules (clause 1.12) on tiny hand-built observation histories."""

from __future__ import annotations

import pandas as pd

from rules import lesson_attendance_same_day as attendance_rule
from rules import lesson_topic_same_day as topic_rule
from tests.rules.world import World, context


def run_topic(world: World, now: str) -> pd.DataFrame:
    return topic_rule.check(world.frames(), topic_rule.Params(), context(now))


def one(result: pd.DataFrame) -> dict[str, object]:
    assert len(result) == 1, result
    return result.iloc[0].to_dict()


def test_topic_seen_the_same_evening_is_on_time() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 18:00", {1: {}})
    w.poll("2025-10-13 23:50", {1: {"topic": "Цветовой круг"}})
    w.poll("2025-10-14 07:00", {1: {"topic": "Цветовой круг"}})
    assert run_topic(w, "2025-10-20 12:00").empty


def test_topic_first_seen_next_day_is_late_by_one_day_with_evidence() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-14 07:00", {1: {}})
    w.poll("2025-10-14 12:00", {1: {"topic": "Натюрморт"}})
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["status"] == "late" and row["days_late"] == 1
    assert row["evidence"] == (
        "темы нет в 07:00 14.10.2025; тема впервые видна в 12:00 14.10.2025 "
        "(на 1 день позже дня занятия)"
    )
    assert row["teacher_id"] == 3 and row["lesson_id"] == 1


def test_entry_at_0010_local_is_late_though_its_utc_date_is_the_lesson_date() -> None:
    # 00:10 local on 14.10 is 17:10 UTC on 13.10: a UTC-day check would call it on time.
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-14 00:05", {1: {}})
    w.poll("2025-10-14 00:15", {1: {"topic": "Штриховка"}})  # entered 00:10 local
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["status"] == "late" and row["days_late"] == 1


def test_an_entry_between_2350_and_0015_polls_cannot_be_proved_late() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-14 00:15", {1: {"topic": "Штриховка"}})
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["status"] == "cannot_prove"
    # the evidence names the field, the last look without it and the first with it
    assert row["evidence"] == (
        "темы нет в 23:50 13.10.2025; тема впервые видна в 00:15 14.10.2025; между ними "
        "полночь без проверки: вовремя ли внесено, не доказать"
    )


def test_late_across_days_says_between_instead_of_a_number() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-14 07:00", {1: {}})
    w.poll("2025-10-16 07:00", {1: {"topic": "Штриховка"}})
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["status"] == "late" and pd.isna(row["days_late"])
    assert row["evidence"].endswith("(внесено между 07:00 14.10.2025 и 07:00 16.10.2025)")


def test_entry_at_2350_local_is_on_time_though_it_is_1650_utc() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:30", {1: {}})
    w.poll("2025-10-13 23:55", {1: {"topic": "Штриховка"}})  # entered 23:50 local
    w.poll("2025-10-14 07:00", {1: {"topic": "Штриховка"}})
    assert run_topic(w, "2025-10-20 12:00").empty


def test_still_empty_after_the_deadline_is_missing_and_open() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-15 07:00", {1: {}})
    row = one(run_topic(w, "2025-10-15 08:00"))
    assert row["status"] == "missing" and pd.isna(row["closed_at"])
    assert "и в последней проверке, 07:00 15.10.2025" in row["evidence"]


def test_missing_closes_into_late_once_filled() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-15 07:00", {1: {}})
    w.poll("2025-10-16 12:00", {1: {}})
    w.poll("2025-10-16 18:00", {1: {"topic": "Пейзаж"}})
    row = one(run_topic(w, "2025-10-17 08:00"))
    assert row["status"] == "late" and row["days_late"] == 3
    assert row["closed_at"] == pd.Timestamp("2025-10-16 11:00", tz="UTC")


def test_no_observation_around_midnight_cannot_prove() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 15:00", {1: {}})
    w.poll("2025-10-14 09:00", {1: {"topic": "Пейзаж"}})
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["status"] == "cannot_prove"


def test_cannot_prove_can_be_silenced_by_a_parameter() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 15:00", {1: {}})
    w.poll("2025-10-14 09:00", {1: {"topic": "Пейзаж"}})
    quiet = topic_rule.Params(report_cannot_prove=False)
    assert topic_rule.check(w.frames(), quiet, context("2025-10-20 12:00")).empty


def test_row_that_appears_only_the_next_day_is_late_from_the_page_reads() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.lesson(2, "2025-10-06")
    w.poll("2025-10-06 23:50", {2: {"topic": "Старое"}})
    w.poll("2025-10-13 23:50", {2: {"topic": "Старое"}})  # lesson 1 not on its page yet
    w.poll("2025-10-14 07:00", {2: {"topic": "Старое"}})
    w.poll("2025-10-14 12:00", {2: {"topic": "Старое"}, 1: {"topic": "Новое"}})
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["lesson_id"] == 1 and row["status"] == "late" and row["days_late"] == 1


def test_a_placeholder_is_no_topic() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {"topic": "-"}})
    w.poll("2025-10-14 07:00", {1: {"topic": "-"}})
    w.poll("2025-10-14 12:00", {1: {"topic": "Акварель"}})
    row = one(run_topic(w, "2025-10-20 12:00"))
    assert row["status"] == "late"


def test_not_due_before_the_deadline() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 18:00", {1: {}})
    assert run_topic(w, "2025-10-13 20:00").empty


def test_cancelled_lesson_is_not_judged() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {"cancelled": True}})
    w.poll("2025-10-15 07:00", {1: {"cancelled": True}})
    assert run_topic(w, "2025-10-20 12:00").empty


def test_lesson_on_a_transferred_working_saturday_is_judged() -> None:
    w = World()
    w.lesson(1, "2025-11-01")  # Saturday, a working day by transfer
    w.poll("2025-11-01 23:50", {1: {}})
    w.poll("2025-11-02 07:00", {1: {}})
    w.poll("2025-11-02 12:00", {1: {"topic": "Осенний букет"}})
    assert one(run_topic(w, "2025-11-05 12:00"))["status"] == "late"


def test_a_substitute_who_enters_the_topic_is_the_one_named() -> None:
    w = World()
    w.lesson(1, "2025-10-13", teacher=4)  # group 100's teacher is 3
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-14 07:00", {1: {}})
    w.poll("2025-10-14 12:00", {1: {"topic": "Портрет"}})
    assert one(run_topic(w, "2025-10-20 12:00"))["teacher_id"] == 4


def test_attendance_same_day_rules() -> None:
    w = World()
    w.lesson(1, "2025-10-13")
    w.lesson(2, "2025-10-13", group=101)
    w.poll("2025-10-13 23:50", {1: {"attendance": True}, 2: {}})
    w.poll("2025-10-15 07:00", {1: {"attendance": True}, 2: {}})
    w.poll("2025-10-15 12:00", {1: {"attendance": True}, 2: {"attendance": True}})
    result = attendance_rule.check(
        w.frames(), attendance_rule.Params(), context("2025-10-20 12:00")
    )
    row = one(result)
    assert row["lesson_id"] == 2 and row["status"] == "late" and row["days_late"] == 2
    assert row["evidence"].startswith("посещаемость не отмечена в 07:00 15.10.2025")
