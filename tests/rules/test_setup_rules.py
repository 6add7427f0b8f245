"""Setup items (clause 2.2) and current student data (clause 5.2) on tiny institution reads.

The deadline of clause 2.2 is 8 September: the state at 00:00 local of 9 September, i.e. at
the last read before it, is judged. Every 2.2 rule goes through the same five stories (pending,
on time, late, never, first read after the deadline), then each rule's own details.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from auditor.audit.engine import run_audit
from auditor.contract.findings import Outcome
from rules import (
    setup_academic_year,
    setup_access_rights,
    setup_groups_listed,
    setup_notification_schedule,
    setup_parent_accounts,
    setup_schedule_template,
    setup_student_data,
    setup_user_accounts,
    student_data_current,
)
from rules.registry import ALL_RULES
from tests.rules.setup_world import SetupWorld, at, context, group, staff, student

DEADLINE = pd.Timestamp("2025-09-08 17:00", tz="UTC")  # 00:00 of 9 September in Kemerovo
ASSOCIATIONS = {10: {"department_id": 1}}
State = Callable[[bool], dict[str, Any]]

# Each 2.2 rule: its module, what a read shows when the item is met or not, and the subject.
CASES: dict[str, tuple[Any, State, int | None]] = {
    "setup-academic-year": (
        setup_academic_year, lambda ok: {"setup": {"year_configured": ok}}, None,
    ),
    "setup-notification-schedule": (
        setup_notification_schedule, lambda ok: {"setup": {"notifications_configured": ok}}, None,
    ),
    "setup-parent-accounts": (
        setup_parent_accounts,
        lambda ok: {"students": {7: student(parents_with_account=int(ok))}}, 7,
    ),
    "setup-user-accounts": (
        setup_user_accounts, lambda ok: {"staff": {7: staff(has_account=ok)}}, 7,
    ),
    "setup-access-rights": (
        setup_access_rights,
        lambda ok: {"staff": {7: staff(journal_group_ids="100" if ok else "")},
                    "groups": {100: group(7)}},
        7,
    ),
    "setup-groups-listed": (
        setup_groups_listed,
        lambda ok: {"groups": {100: group(3)} if ok else {},
                    "associations": ASSOCIATIONS if ok else {}},
        None,
    ),
    "setup-schedule-template": (
        setup_schedule_template,
        lambda ok: {"groups": {100: group(3)}, "schedule": [(100, 0, "15:00")] if ok else []},
        100,
    ),
    "setup-student-data": (
        setup_student_data, lambda ok: {"students": {7: student(has_phone=ok)}}, 7,
    ),
}  # fmt: skip


def story(rule_id: str, reads: list[tuple[str, bool]]) -> SetupWorld:
    """Reads of the institution at local moments, each showing the item met or not."""
    _module, state, _subject = CASES[rule_id]
    w = SetupWorld()
    for moment, ok in reads:
        parts = {"setup": {}} | state(ok)
        w.read(moment, **parts)
    return w


def judge(rule_id: str, w: SetupWorld, now: str, **params: Any) -> pd.DataFrame:
    return judge_any(CASES[rule_id][0], w, now, **params)


def judge_any(module: Any, w: SetupWorld, now: str, **params: Any) -> pd.DataFrame:
    result: pd.DataFrame = module.check(w.frames(now), module.Params(**params), context(now))
    return result


def only(result: pd.DataFrame) -> Any:
    assert len(result) == 1, result
    return next(result.itertuples())


def subject_of(row: Any) -> int | None:
    return None if pd.isna(row.subject_id) else int(row.subject_id)


# --- the five stories, for every 2.2 rule ------------------------------------------------

RULE_IDS = list(CASES)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_unmet_before_the_deadline_is_pending_with_days_left(rule_id: str) -> None:
    w = story(rule_id, [("2025-09-01 10:00", False), ("2025-09-05 23:50", False)])
    row = only(judge(rule_id, w, "2025-09-05 23:55"))
    assert (row.status, row.kind) == ("pending", "pending")
    assert row.evidence.startswith("на 23:50 05.09.2025 ")
    assert row.evidence.endswith("; до срока 08.09.2025 осталось 3 дн.")
    assert subject_of(row) == CASES[rule_id][2]
    assert row.established_at == DEADLINE and pd.isna(row.closed_at) and pd.isna(row.days_late)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_met_by_the_last_read_before_the_deadline_passes(rule_id: str) -> None:
    w = story(rule_id, [("2025-09-05 23:50", False), ("2025-09-08 23:50", True),
                        ("2025-09-09 07:00", True)])  # fmt: skip
    assert judge(rule_id, w, "2025-09-08 23:55").empty  # no longer pending once met
    assert judge(rule_id, w, "2025-09-20 12:00").empty


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_met_after_the_deadline_is_late_and_closed(rule_id: str) -> None:
    w = story(rule_id, [("2025-09-05 23:50", False), ("2025-09-08 23:50", False),
                        ("2025-09-09 07:00", False), ("2025-09-15 07:00", True)])  # fmt: skip
    row = only(judge(rule_id, w, "2025-09-20 12:00"))
    assert (row.status, row.kind, row.days_late) == ("late", "late", 7)
    assert row.closed_at == pd.Timestamp(at("2025-09-15 07:00"))
    assert row.established_at == DEADLINE
    assert row.evidence.startswith("на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) ")
    assert row.evidence.endswith(" в 07:00 15.09.2025")
    assert subject_of(row) == CASES[rule_id][2]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_never_met_is_a_violation_that_stays_open(rule_id: str) -> None:
    w = story(rule_id, [("2025-09-08 23:50", False), ("2025-09-20 07:00", False)])
    row = only(judge(rule_id, w, "2025-09-25 12:00"))
    assert (row.status, row.kind) == ("violation", "unmet")
    assert pd.isna(row.closed_at) and pd.isna(row.days_late)
    assert row.evidence.endswith("; не исправлено и в последней проверке, 07:00 20.09.2025")
    # the deadline passed, but no read since: still judged on the state at the deadline
    assert only(judge(rule_id, w, "2025-09-10 12:00")).status == "violation"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_first_read_after_the_deadline(rule_id: str) -> None:
    met = story(rule_id, [("2025-09-20 07:00", True)])
    row = only(judge(rule_id, met, "2025-09-25 12:00"))
    assert (row.status, row.kind) == ("cannot_prove", "cannot_prove")
    assert row.evidence == (
        "проверок до срока не было; в первой проверке после срока, 07:00 20.09.2025, "
        "требование уже выполнено"
    )
    assert judge(rule_id, met, "2025-09-25 12:00", report_cannot_prove=False).empty
    unmet = story(rule_id, [("2025-09-20 07:00", False), ("2025-09-22 07:00", True)])
    late = only(judge(rule_id, unmet, "2025-09-25 12:00"))
    assert (late.status, late.days_late) == ("late", 14)
    assert late.evidence.startswith(
        "проверок до срока не было; в первой проверке после срока, 07:00 20.09.2025, "
    )
    assert only(judge(rule_id, unmet, "2025-09-21 12:00")).status == "violation"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_met_at_the_deadline_then_lost_is_not_judged_again(rule_id: str) -> None:
    w = story(rule_id, [("2025-09-08 23:50", True), ("2025-09-20 07:00", False)])
    assert judge(rule_id, w, "2025-09-25 12:00").empty


def test_reads_after_now_are_not_known_yet() -> None:
    w = story("setup-academic-year", [("2025-09-01 10:00", False), ("2025-09-05 23:50", False),
                                       ("2025-09-15 07:00", True)])  # fmt: skip
    frames, ctx = w.frames(), context("2025-09-06 12:00")  # the store holds later reads too
    row = only(setup_academic_year.check(frames, setup_academic_year.Params(), ctx))
    assert row.status == "pending" and row.evidence.startswith("на 23:50 05.09.2025 ")


# --- each rule's own details --------------------------------------------------------------


def test_parent_account_evidence_and_the_students_group() -> None:
    w = story("setup-parent-accounts", [("2025-09-08 23:50", False), ("2025-09-15 07:00", True)])
    row = only(judge("setup-parent-accounts", w, "2025-09-20 12:00"))
    assert row.evidence == (
        "на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у учащегося нет родителя с "
        "учётной записью; учётная запись родителя появилась в 07:00 15.09.2025"
    )
    assert (row.item, row.group_id) == ("учётная запись родителя", 100)


def test_students_and_staff_who_came_after_the_deadline_are_not_judged_by_2_2() -> None:
    w = SetupWorld()
    w.read("2025-09-08 23:50", setup={}, students={1: student()}, staff={3: staff()})
    w.read("2025-09-10 23:50", setup={}, students={1: student(), 2: student(has_phone=False,
           parents_with_account=0)}, staff={3: staff(), 4: staff(has_account=False)})  # fmt: skip
    ctx = context("2025-09-20 12:00")
    for rule in (setup_parent_accounts, setup_student_data, setup_user_accounts):
        assert rule.check(w.frames(), rule.Params(), ctx).empty, rule.RULE.id


def test_a_student_who_left_before_the_deadline_is_not_judged() -> None:
    w = SetupWorld()
    w.read("2025-09-05 23:50", setup={}, students={1: student(), 2: student(has_phone=False)})
    w.read("2025-09-08 23:50", setup={}, students={1: student()})
    assert judge_any(setup_student_data, w, "2025-09-20 12:00").empty


def test_student_data_names_what_is_missing_at_the_deadline() -> None:
    w = SetupWorld()
    w.read("2025-09-05 23:50", setup={}, students={7: student(has_birth_date=False,
           has_address=False, has_phone=False)})  # fmt: skip
    w.read("2025-09-08 23:50", setup={}, students={7: student(has_address=False,
           has_phone=False)})  # fmt: skip
    w.read("2025-09-12 23:50", setup={}, students={7: student(has_phone=False)})
    w.read("2025-09-17 23:50", setup={}, students={7: student()})
    row = only(judge_any(setup_student_data, w, "2025-09-20 12:00"))
    assert (row.item, row.status, row.days_late) == ("адрес, телефон", "late", 9)
    assert row.evidence == (
        "на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у учащегося не заполнены: "
        "адрес, телефон; данные заполнены в 23:50 17.09.2025"
    )


def test_access_rights_need_every_role_and_every_group_of_the_load() -> None:
    w = SetupWorld()
    rights = staff(roles="head,teacher", rights_roles="teacher", journal_group_ids="100")
    groups = {100: group(7), 101: group(7), 102: group(8)}
    w.read("2025-09-08 23:50", setup={}, staff={7: rights, 8: staff(has_account=False)},
           groups=groups)  # fmt: skip
    later = groups | {103: group(7)}  # a group of the load created after the deadline
    fixed = staff(roles="head,teacher", rights_roles="head,teacher", journal_group_ids="100,101")
    w.read("2025-09-22 07:00", setup={}, staff={7: fixed, 8: staff(has_account=False)},
           groups=later)  # fmt: skip
    row = only(judge_any(setup_access_rights, w, "2025-09-25 12:00"))
    assert (row.subject_id, row.teacher_id, row.status) == (7, 7, "late")
    # the staff member without an account is for setup-user-accounts, not here
    assert row.item == ("права доступа: роль «Заведующий отделом», журнал группы «Группа-101»")
    assert "в правах доступа нет: роль «Заведующий отделом», журнал группы «Группа-101»" in (
        row.evidence
    )


def test_a_group_listed_after_the_deadline_needs_no_schedule_slot_by_it() -> None:
    w = SetupWorld()
    w.read("2025-09-08 23:50", setup={}, groups={100: group(3)}, schedule=[(100, 0, "15:00")])
    w.read("2025-09-12 23:50", setup={}, groups={100: group(3), 101: group(3)},
           schedule=[(100, 0, "15:00")])  # fmt: skip
    assert judge_any(setup_schedule_template, w, "2025-09-20 12:00").empty


def test_schedule_template_names_the_group() -> None:
    w = story("setup-schedule-template", [("2025-09-08 23:50", False), ("2025-09-10 23:50", True)])
    row = only(judge("setup-schedule-template", w, "2025-09-20 12:00"))
    assert (row.group_id, row.item) == (100, "шаблон расписания группы")
    assert "у группы нет ни одного занятия в шаблоне расписания" in row.evidence


def test_groups_listed_says_which_list_is_empty() -> None:
    w = SetupWorld()
    w.read("2025-09-08 23:50", setup={}, groups={}, associations=ASSOCIATIONS)
    w.read("2025-09-10 23:50", setup={}, groups={100: group(3)}, associations=ASSOCIATIONS)
    row = only(judge_any(setup_groups_listed, w, "2025-09-20 12:00"))
    assert (row.item, row.status, row.days_late) == ("список групп", "late", 2)
    assert "список групп пуст; списки объединений и групп заполнены в 23:50 10.09.2025" in (
        row.evidence
    )


def test_a_group_teaching_before_the_deadline_but_listed_after_it_is_late() -> None:
    w = SetupWorld()
    w.lesson(101, "2025-09-03")
    w.lesson(102, "2025-09-15")  # its first lesson after the deadline: listed in time
    w.read("2025-09-08 23:50", setup={}, groups={100: group(3)}, associations=ASSOCIATIONS)
    w.read("2025-09-12 23:50", setup={}, groups={100: group(3), 101: group(3), 102: group(3)},
           associations=ASSOCIATIONS)  # fmt: skip
    row = only(judge_any(setup_groups_listed, w, "2025-09-20 12:00"))
    assert (row.subject_id, row.group_id, row.status, row.days_late) == (101, 101, "late", 4)
    assert row.evidence == (
        "на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) в списке групп нет группы, "
        "у которой было занятие 03.09.2025; группа впервые видна в списке в 23:50 12.09.2025"
    )
    assert judge_any(setup_groups_listed, w, "2025-09-08 23:55").empty


def test_a_late_listed_group_is_not_judged_without_a_read_before_the_deadline() -> None:
    w = SetupWorld()
    w.lesson(101, "2025-09-03")
    w.read("2025-09-12 23:50", setup={}, groups={101: group(3)}, associations=ASSOCIATIONS)
    result = judge_any(setup_groups_listed, w, "2025-09-20 12:00", report_cannot_prove=False)
    assert result.empty


# --- student-data-current (5.2) -----------------------------------------------------------


def newcomer(*reads: tuple[str, dict[str, Any]]) -> SetupWorld:
    """Student 1 from before the deadline; student 9 first listed at the second read."""
    w = SetupWorld()
    w.read("2025-09-08 23:50", setup={}, students={1: student()})
    for moment, facts in reads:
        w.read(moment, setup={}, students={1: student(), 9: student(**facts)})
    return w


def test_new_student_data_filled_within_the_week_passes() -> None:
    w = newcomer(("2025-10-06 23:50", {"has_phone": False}), ("2025-10-13 23:50", {}))
    assert judge_any(student_data_current, w, "2025-10-20 12:00").empty


def test_new_student_data_is_not_due_before_the_week_ends() -> None:
    w = newcomer(("2025-10-06 23:50", {"has_phone": False}), ("2025-10-13 23:50",
                 {"has_phone": False}))  # fmt: skip
    assert judge_any(student_data_current, w, "2025-10-13 23:55").empty


def test_new_student_data_filled_after_the_week_is_late() -> None:
    w = newcomer(("2025-10-06 23:50", {"has_phone": False, "has_address": False}),
                 ("2025-10-13 23:50", {"has_phone": False}),
                 ("2025-10-16 07:00", {}))  # fmt: skip
    row = only(judge_any(student_data_current, w, "2025-10-20 12:00"))
    assert (row.status, row.kind, row.subject_id, row.item) == ("late", "late", 9, "телефон")
    assert row.days_late == 3  # due by the end of 13 October, filled on the 16th
    assert row.established_at == pd.Timestamp(at("2025-10-14 00:00"))
    assert row.closed_at == pd.Timestamp(at("2025-10-16 07:00"))
    assert row.evidence == (
        "учащийся впервые виден в 23:50 06.10.2025; на 00:00 14.10.2025 (последняя проверка "
        "23:50 13.10.2025) у учащегося не заполнены: телефон; данные заполнены в 07:00 16.10.2025"
    )


def test_new_student_data_never_filled_is_a_violation() -> None:
    w = newcomer(("2025-10-06 23:50", {"has_birth_date": False}),
                 ("2025-10-18 07:00", {"has_birth_date": False}))  # fmt: skip
    row = only(judge_any(student_data_current, w, "2025-10-20 12:00"))
    assert (row.status, row.kind, row.item) == ("violation", "missing", "дата рождения")
    assert pd.isna(row.closed_at) and pd.isna(row.days_late)
    # with a fortnight of grace it is not due yet
    assert judge_any(student_data_current, w, "2025-10-20 12:00", grace_days=14).empty


def test_students_before_the_deadline_or_at_the_first_read_are_not_newcomers() -> None:
    w = SetupWorld()
    w.read("2025-09-20 07:00", setup={}, students={1: student(has_phone=False)})
    w.read("2025-10-20 07:00", setup={}, students={1: student(has_phone=False)})
    assert judge_any(student_data_current, w, "2025-10-25 12:00").empty
    w = newcomer()
    assert judge_any(student_data_current, w, "2025-10-25 12:00").empty


# --- the engine -----------------------------------------------------------------------------


def test_all_rules_run_on_institution_facts_and_names_are_joined() -> None:
    w = story("setup-schedule-template", [("2025-09-08 23:50", False), ("2025-09-10 23:50", True)])
    result = run_audit(w.frames(), ALL_RULES, context("2025-09-20 12:00"))
    assert all(o.outcome is Outcome.OK for o in result.outcomes), result.errors
    row = result.findings[result.findings["rule_id"] == "setup-schedule-template"].iloc[0]
    assert (row["clause"], row["group"], row["status"]) == ("2.2", "Группа-100", "late")
    assert row["subject_id"] == 100 and row["item"] == "шаблон расписания группы"
