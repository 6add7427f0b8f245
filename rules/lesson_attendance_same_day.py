"""Clause 1.12: attendance (who was absent) is marked on the day of the lesson.

«Внесение информации … об отсутствующих должно производиться педагогом по факту в день
проведения.» Attendance counts as marked once the journal shows absences or "all present"
for the lesson. Judged like the topic: on time, late by N days, missing, or cannot prove.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.lazy import pandas as pd
from rules._lessons import field_intervals
from rules.base import Rule, RuleContext
from rules.lesson_field import check_field

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    return check_field(
        frames, ctx, field_intervals(frames, ctx, "attendance"),
        absent="посещаемость не отмечена", seen="посещаемость впервые видна",
        report_cannot_prove=params.report_cannot_prove,
    )  # fmt: skip


RULE = Rule(
    id="lesson-attendance-same-day",
    clause="1.12",
    title="Посещаемость отмечена в день занятия",
    explanation=(
        "Педагог отмечает отсутствующих в день проведения занятия (п. 1.12 Положения). "
        "Отметка, впервые появившаяся после полуночи, — опоздание; её отсутствие — "
        "нарушение до её внесения."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«посещаемость не отмечена в 23:50 12.10.2025;"
        " посещаемость впервые видна в 12:00 14.10.2025» — опоздание на 2 дня"
    ),
)
