"""Clause 2.2: the schedule of automatic notifications to parents is set up by 8 September.

«Заполнение журнала на 8 сентября включает: настройка расписания автоматизированного
информирования родителей (законных представителей) учащегося». Judged on the notifications
page as last read before 00:00 local of 9 September: *pending* before that moment, a
*violation* after it until a read shows the schedule configured, then *late*; configured at
the first read when nothing was read before the deadline: *cannot be proved*.
"""

from __future__ import annotations

from auditor.contract.findings import Severity
from rules._flag_rule import FlagParams, flag_check
from rules.base import Rule

Params = FlagParams

check = flag_check(
    "notifications_configured",
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
