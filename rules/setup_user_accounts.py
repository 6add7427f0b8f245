"""Clause 2.2: by 8 September every user of the journal has an account.

«Заполнение журнала на 8 сентября включает: … создание учётных записей для всех
пользователей ЭЖ». Each staff member listed at the last read before 00:00 local of
9 September without an account at that read: *pending* before that moment, a *violation*
after it until a read shows the account, then *late*. When the institution was first read
after the deadline, the staff of that first read are judged (an account already there
*cannot be proved* on time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.contract.values import TRUE
from auditor.lazy import pandas as pd
from rules._setup import judge, setup_facts, state_at, timeline
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    staff = state_at(facts, "staff", window.reference).index
    tl = timeline(facts, "staff", ["has_account"], staff)
    tl = tl.assign(met=tl["has_account"] == TRUE, due=window.deadline)
    judged = judge(tl, window, cannot_prove=params.report_cannot_prove)
    return setup_result(
        judged,
        ctx,
        what="у сотрудника нет учётной записи",
        fixed="учётная запись появилась",
        item="учётная запись сотрудника",
        subject_id=judged["entity"],
        teacher_id=judged["entity"],  # the report names the staff member here
    )


RULE = Rule(
    id="setup-user-accounts",
    clause="2.2",
    title="Учётные записи всех пользователей созданы к 8 сентября",
    explanation=(
        "К 8 сентября оператор создаёт учётные записи для всех пользователей электронного "
        "журнала (п. 2.2 Положения). Сотрудник без учётной записи на конец 8 сентября — "
        "нарушение, пока запись не будет создана."
    ),
    severity=Severity.CRITICAL,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у сотрудника нет учётной "
        "записи; учётная запись появилась в 23:50 15.09.2025»"
    ),
)
