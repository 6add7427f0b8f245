"""Clause 2.2: the structure of the academic year is set up in ЭШ 2.0 by 8 September.

«Заполнение журнала на 8 сентября включает: настройка в системе структуры учебного года».
Judged on the year page as last read before 00:00 local of 9 September (the day after
``ctx.setup_deadline``): before that moment an unset structure is *pending*; after it, a
*violation* until a read shows it set, then *late* (closed when first seen set). With no
read before the deadline and the structure set at the first read, it *cannot be proved*.
"""

from __future__ import annotations

from auditor.contract.findings import Severity
from rules._flag_rule import FlagParams, flag_check
from rules.base import Rule

Params = FlagParams

check = flag_check(
    "year_configured",
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
