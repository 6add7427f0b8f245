"""Clause 2.2: by 8 September every student has at least one parent with an account.

«Заполнение журнала на 8 сентября включает: … создание учётной записи хотя бы для одного из
родителей (законных представителей) каждого учащегося». Each student listed at the last
read before 00:00 local of 9 September whose list row shows no parent with an account
(``parents_with_account`` = 0) at that read: *pending* before that moment, a *violation*
after it until a read shows a parent account, then *late*. When the institution was first
read after the deadline, the students of that first read are judged (an account already
there *cannot be proved* on time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.lazy import pandas as pd
from rules._setup import first_group, judge, setup_facts, state_at, timeline
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    students = state_at(facts, "student", window.reference).index
    tl = timeline(facts, "student", ["parents_with_account", "group_ids"], students)
    accounts = pd.to_numeric(tl["parents_with_account"], errors="coerce").fillna(0)
    tl = tl.assign(met=accounts > 0, due=window.deadline)
    judged = judge(tl, window, cannot_prove=params.report_cannot_prove)
    group = first_group(judged["group_ids"]) if not judged.empty else None
    teachers = frames.groups.set_index("group_id")["teacher_id"]
    return setup_result(
        judged,
        ctx,
        what="у учащегося нет родителя с учётной записью",
        fixed="учётная запись родителя появилась",
        item="учётная запись родителя",
        subject_id=judged["entity"],
        group_id=group,
        teacher_id=None if group is None else group.map(teachers),
    )


RULE = Rule(
    id="setup-parent-accounts",
    clause="2.2",
    title="У каждого учащегося есть родитель с учётной записью к 8 сентября",
    explanation=(
        "К 8 сентября хотя бы для одного из родителей (законных представителей) каждого "
        "учащегося создаётся учётная запись (п. 2.2 Положения). Учащийся без такого родителя "
        "на конец 8 сентября — нарушение, пока учётная запись не появится."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у учащегося нет родителя "
        "с учётной записью; учётная запись родителя появилась в 07:00 15.09.2025»"
    ),
)
