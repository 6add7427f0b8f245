"""Clause 2.2: the structure of the academic year is set up in ЭШ 2.0 by 8 September.

«Заполнение журнала на 8 сентября включает: настройка в системе структуры учебного года».
Judged on the year page as last read before 00:00 local of 9 September (the day after
``ctx.setup_deadline``): before that moment an unset structure is *pending*; after it, a
*violation* until a read shows it set, then *late* (closed when first seen set). With no
read before the deadline and the structure set at the first read, it *cannot be proved*.
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
        facts, window, "year_configured", cannot_prove=params.report_cannot_prove
    )
    return setup_result(
        judged,
        ctx,
        what="структура учебного года не настроена",
        fixed="структура учебного года настроена",
        item="структура учебного года",
    )


RULE = Rule(
    id="setup-academic-year",
    clause="2.2",
    title="Структура учебного года настроена к 8 сентября",
    explanation=(
        "К 8 сентября ответственный оператор настраивает в ЭШ 2.0 структуру учебного года "
        "(п. 2.2 Положения). До срока ненастроенная структура — «ожидается», после срока — "
        "нарушение, пока проверка не покажет её настроенной."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) структура учебного года "
        "не настроена; структура учебного года настроена в 07:00 10.09.2025»"
    ),
)
