"""Clause 2.2: the schedule of automatic notifications to parents is set up by 8 September.

«Заполнение журнала на 8 сентября включает: настройка расписания автоматизированного
информирования родителей (законных представителей) учащегося». Judged on the notifications
page as last read before 00:00 local of 9 September: *pending* before that moment, a
*violation* after it until a read shows the schedule configured, then *late*; configured at
the first read when nothing was read before the deadline: *cannot be proved*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from auditor.findings import Severity
from rules._setup import institution_flag, setup_facts
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from auditor.store.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    judged = institution_flag(
        facts, window, "notifications_configured", cannot_prove=params.report_cannot_prove
    )
    return setup_result(
        judged,
        ctx,
        what="расписание информирования родителей не настроено",
        fixed="расписание информирования настроено",
        item="расписание информирования родителей",
    )


RULE = Rule(
    id="setup-notification-schedule",
    clause="2.2",
    title="Расписание информирования родителей настроено к 8 сентября",
    explanation=(
        "К 8 сентября в ЭШ 2.0 настраивается расписание автоматизированного информирования "
        "родителей (законных представителей) учащихся (п. 2.2 Положения). До срока — "
        "«ожидается», после срока — нарушение, пока расписание не настроено."
    ),
    severity=Severity.MINOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) расписание информирования "
        "родителей не настроено; расписание информирования настроено в 23:50 12.09.2025»"
    ),
)
