"""Clause 2.2: by 8 September the schedule template holds every group.

«Заполнение журнала на 8 сентября включает: … создание в системе шаблона расписания». Each
group listed at the last read before 00:00 local of 9 September with no slot in the
schedule template at that read: *pending* before that moment, a *violation* after it until a
read shows a slot of the group, then *late*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.contract.values import PRESENT, TRUE
from auditor.lazy import pandas as pd
from rules._setup import asof, interval_ends, judge, setup_facts, state_at, timeline
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def _with_slots(tl: pd.DataFrame, slots: pd.DataFrame) -> pd.Series:
    """Whether each (group, moment) row has a slot listed as of then."""
    keys = slots[["entity", "group"]].drop_duplicates()
    rows = tl[["entity", "moment"]].reset_index(names="row")
    pairs = rows.merge(keys.rename(columns={"entity": "slot", "group": "entity"}), on="entity")
    pairs = pairs.drop(columns="entity").rename(columns={"slot": "entity"})
    listed = pairs.loc[(asof(pairs, slots) == TRUE).to_numpy(), "row"]
    return pd.Series(tl.index.isin(listed), index=tl.index)


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    groups = state_at(facts, "group", window.reference).index
    slots = facts[(facts["kind"] == "schedule") & (facts["fact"] == PRESENT)]
    slots = slots.assign(group=slots["entity"].str.split("/").str[0])
    tl = timeline(facts, "group", [], groups, extra=interval_ends(slots, slots["group"]))
    tl = tl.assign(met=_with_slots(tl, slots), due=window.deadline)
    judged = judge(tl, window, cannot_prove=params.report_cannot_prove)
    return setup_result(
        judged,
        ctx,
        what="у группы нет ни одного занятия в шаблоне расписания",
        fixed="занятия группы появились в шаблоне",
        item="шаблон расписания группы",
        subject_id=judged["entity"],
        group_id=judged["entity"],
    )


RULE = Rule(
    id="setup-schedule-template",
    clause="2.2",
    title="Шаблон расписания создан к 8 сентября",
    explanation=(
        "К 8 сентября оператор создаёт в ЭШ 2.0 шаблон расписания (п. 2.2 Положения): у каждой "
        "группы есть хотя бы одно занятие в шаблоне. Группа без них на конец 8 сентября — "
        "нарушение, пока они не появятся."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у группы нет ни одного "
        "занятия в шаблоне расписания; занятия группы появились в шаблоне в 23:50 10.09.2025»"
    ),
)
