"""Clause 2.2: by 8 September the personal and contact data of every student are filled.

«Заполнение журнала на 8 сентября включает: … заполнение личной и контактной информации на
всех учащихся». Each student listed at the last read before 00:00 local of 9 September
whose birth date, address and phone are not all filled at that read: *pending* before that
moment, a *violation* after it until a read shows all three, then *late*. The item names
what was missing («телефон, адрес»).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.contract.values import TRUE
from auditor.lazy import pandas as pd
from rules._setup import first_group, judge, setup_facts, state_at, timeline
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from auditor.contract.frames import Frames

# The data clause 2.2 asks for, as the students list shows them, and their Russian names.
DATA = {"has_birth_date": "дата рождения", "has_address": "адрес", "has_phone": "телефон"}
WHOLE = "личные и контактные данные"


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def missing_data(tl: pd.DataFrame) -> pd.Series:
    """«дата рождения, телефон»: what each row lacks ("" when complete)."""
    text = pd.Series("", index=tl.index, dtype="str")
    for fact, name in DATA.items():
        text = text + pd.Series(name + ", ", index=tl.index).where(tl[fact] != TRUE, "")
    return text.str.removesuffix(", ")


def student_timeline(facts: pd.DataFrame, students: pd.Index) -> pd.DataFrame:
    tl = timeline(facts, "student", [*DATA, "group_ids"], students)
    missing = missing_data(tl) if not tl.empty else pd.Series(dtype="str")
    return tl.assign(missing=missing, met=missing == "")


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    students = state_at(facts, "student", window.reference).index
    tl = student_timeline(facts, students).assign(due=window.deadline)
    judged = judge(tl, window, cannot_prove=params.report_cannot_prove)
    missing = judged["missing"] if not judged.empty else pd.Series(dtype="str")
    return setup_result(
        judged,
        ctx,
        what="у учащегося не заполнены: " + missing,
        fixed="данные заполнены",
        item=missing.where(missing != "", WHOLE),
        subject_id=judged["entity"],
        group_id=first_group(judged["group_ids"]) if not judged.empty else None,
    )


RULE = Rule(
    id="setup-student-data",
    clause="2.2",
    title="Личные и контактные данные учащихся заполнены к 8 сентября",
    explanation=(
        "К 8 сентября на всех учащихся заполняется личная и контактная информация: дата "
        "рождения, адрес, телефон (п. 2.2 Положения). Учащийся, у которого на конец "
        "8 сентября чего-то из этого нет, — нарушение, пока данные не будут заполнены."
    ),
    severity=Severity.MINOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у учащегося не заполнены: "
        "адрес, телефон; данные заполнены в 23:50 17.09.2025»"
    ),
)
