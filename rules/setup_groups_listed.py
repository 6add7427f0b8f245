"""Clause 2.2: by 8 September the lists of associations and groups are created.

«Заполнение журнала на 8 сентября включает: … создание списков объединений и групп». Two
kinds of finding, both judged on the reads of the institution:

* ``unmet`` / ``late`` / ``pending``: the list of associations or of groups is empty at the
  last read before 00:00 local of 9 September (pending before that moment; late once a read
  shows both lists filled);
* ``late``: a group that has a lesson on or before 8 September but was first listed after
  the deadline. Judged only when some read happened before the deadline (otherwise nobody
  knows when it was listed) and only on the lessons of the audited period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity, Status
from auditor.contract.values import PRESENT, TRUE
from auditor.lazy import numpy as np
from auditor.lazy import pandas as pd
from rules._setup import INSTITUTION, Window, asof, judge, setup_facts
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext, as_known, empty_result

if TYPE_CHECKING:
    from auditor.contract.frames import Frames

# (no associations, no groups) → the empty lists, and how they are
LISTS = {
    (True, True): ("списки объединений и групп", "пусты"),
    (True, False): ("список объединений", "пуст"),
    (False, True): ("список групп", "пуст"),
}


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def _listed(facts: pd.DataFrame, kind: str, moments: pd.Series) -> np.ndarray:
    """How many entities of ``kind`` were listed at each moment."""
    present = facts[(facts["kind"] == kind) & (facts["fact"] == PRESENT)]
    grid = pd.MultiIndex.from_product(
        [present["entity"].unique(), moments], names=["entity", "moment"]
    ).to_frame(index=False)
    grid["listed"] = (asof(grid, present) == TRUE).to_numpy()
    counts = grid.groupby("moment")["listed"].sum()
    listed: np.ndarray = counts.reindex(moments.to_numpy(), fill_value=0).to_numpy()
    return listed


def _lists(facts: pd.DataFrame, window: Window, params: Params, ctx: RuleContext) -> pd.DataFrame:
    moments = pd.Series(window.reads, dtype="datetime64[ns, UTC]")
    tl = pd.DataFrame({"entity": INSTITUTION, "moment": moments, "until": moments.shift(-1)})
    no_associations = _listed(facts, "association", moments) == 0
    no_groups = _listed(facts, "group", moments) == 0
    empty = [LISTS.get(pair, ("", "")) for pair in zip(no_associations, no_groups, strict=True)]
    tl = tl.assign(
        lists=[e[0] for e in empty],
        state=[" ".join(e) for e in empty],
        met=~(no_associations | no_groups),
        due=window.deadline,
    )
    judged = judge(tl, window, cannot_prove=params.report_cannot_prove)
    lists = judged["lists"] if not judged.empty else pd.Series(dtype="str")
    return setup_result(
        judged,
        ctx,
        what=judged["state"] if not judged.empty else "",
        fixed="списки объединений и групп заполнены",
        item=lists.where(lists != "", "списки объединений и групп"),
    )


def _late_groups(frames: Frames, facts: pd.DataFrame, window: Window,
                 ctx: RuleContext) -> pd.DataFrame:  # fmt: skip
    if not window.read_before or window.now < window.deadline:
        return empty_result()
    lessons = as_known(frames, ctx).lessons
    early = lessons[lessons["date"] <= pd.Timestamp(ctx.setup_deadline)]
    first_lesson = early.groupby("group_id")["date"].min()
    present = facts[(facts["kind"] == "group") & (facts["fact"] == PRESENT)]
    listed = present[present["value"] == TRUE].groupby("entity")["first_seen_at"].min()
    late = listed[(listed >= window.deadline) & listed.index.astype("int").isin(first_lesson.index)]
    if late.empty:
        return empty_result()
    checks = window.checks[window.checks < window.deadline]
    lesson_day = first_lesson.reindex(late.index.astype("int")).dt.strftime("%d.%m.%Y")
    judged = pd.DataFrame(
        {
            "entity": late.index,
            "status": Status.LATE.value,
            "before": True,
            "due": window.deadline,
            "checked_at": checks[-1],
            "done_at": late.to_numpy(),
            "latest_at": late.to_numpy(),
        }
    )
    return setup_result(
        judged,
        ctx,
        what="в списке групп нет группы, у которой было занятие " + lesson_day.to_numpy(),
        fixed="группа впервые видна в списке",
        item="группа в списке групп",
        subject_id=judged["entity"],
        group_id=judged["entity"],
    )


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    if len(window.reads) == 0:
        return empty_result()
    parts = [_lists(facts, window, params, ctx), _late_groups(frames, facts, window, ctx)]
    return pd.concat([p for p in parts if not p.empty] or [empty_result()], ignore_index=True)


RULE = Rule(
    id="setup-groups-listed",
    clause="2.2",
    title="Списки объединений и групп созданы к 8 сентября",
    explanation=(
        "К 8 сентября заведующие отделами и секторами создают в ЭШ 2.0 списки объединений и "
        "групп (п. 2.2 Положения). Пустой список на конец 8 сентября и группа, занимавшаяся "
        "до 8 сентября, но появившаяся в списке позже, — нарушения."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) в списке групп нет группы, "
        "у которой было занятие 03.09.2025; группа впервые видна в списке в 23:50 12.09.2025»"
    ),
)
