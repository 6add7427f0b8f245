"""Clause 1.12 (and 5.3): each held lesson has its topic entered on the day it is held.

«Внесение информации о занятиях … должно производиться педагогом по факту в день
проведения.» A topic seen filled by an observation before 00:00 local of the next day is on
time; one first seen later, after an observation at or after that moment saw none, is late
by N days; a topic still absent at the latest observation after the deadline is missing and
stays open until it appears. A placeholder («-», «.», «тема») is no topic here. A gap in the
observations that contains midnight gives "cannot prove", never a violation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.lazy import pandas as pd
from rules._lessons import topic_intervals
from rules.base import Rule, RuleContext
from rules.lesson_field import check_field

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list lessons whose timeliness the polls cannot show


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    return check_field(
        frames, ctx, topic_intervals(frames, ctx),
        absent="темы нет", seen="тема впервые видна",
        report_cannot_prove=params.report_cannot_prove,
    )  # fmt: skip


RULE = Rule(
    id="lesson-topic-same-day",
    clause="1.12",
    title="Тема занятия внесена в день проведения",
    explanation=(
        "Педагог вносит тему занятия в электронный журнал в день проведения занятия "
        "(п. 1.12, 5.3 Положения). Тема, впервые появившаяся после полуночи, — опоздание; "
        "отсутствующая тема — нарушение до её внесения. Заглушки («-», «.», «тема») "
        "темой не считаются."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«темы нет в 23:50 12.10.2025; тема впервые видна в 07:05 13.10.2025» — опоздание на 1 день"
    ),
)
