"""Clause 1.12: a lesson taught in place of the group's teacher is marked as a substitution
at the moment it is entered.

«Если занятие проводилось вместо основного преподавателя, факт замены должен отражаться в
момент внесения записи.» A lesson whose teacher differs from the group's teacher (teaching
load) needs the «замена» mark. A mark first seen together with the entry was made with it,
as far as anyone can tell: nothing to report (when the entry itself was late is the other
rules' business). A mark is "marked late" only when some observation showed the entry
without it, before the mark was first seen: that observation is the proof. A mark still
absent at the latest observation after the deadline is "unmarked" and stays open. "Late by N
days" is said only when the last observation without the mark and the first with it fall on
one local day; otherwise the evidence says between which two observations it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.audit.deadlines import local_dates
from auditor.contract.findings import Severity, Status
from auditor.lazy import pandas as pd
from rules._evidence import days_text, local_text
from rules._lessons import field_intervals, prepared_lessons
from rules.base import Rule, RuleContext, result_frame

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    pass


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    lessons = prepared_lessons(frames, ctx)
    subs = lessons[
        ~lessons["cancelled"]
        & lessons["teacher_id"].notna()
        & (lessons["teacher_id"] != lessons["group_teacher_id"]).fillna(False)
    ]
    marks = field_intervals(frames, ctx, "substitution")
    ids = subs["lesson_id"]
    first_mark = marks[marks["filled"]].groupby("lesson_id")["first_seen_at"].min()
    mark_at = first_mark.reindex(ids).set_axis(subs.index)
    # The last observation that showed the entry without the mark, before the mark came:
    # the only proof that the mark was not made with the entry.
    unmarked = marks[~marks["filled"]].merge(
        first_mark.rename("mark_at"), left_on="lesson_id", right_index=True, how="left"
    )
    unmarked = unmarked[
        unmarked["mark_at"].isna() | (unmarked["first_seen_at"] < unmarked["mark_at"])
    ]
    last_unmarked = unmarked.groupby("lesson_id")["last_seen_at"].max()
    unmarked_at = last_unmarked.reindex(ids).set_axis(subs.index)
    seen_until = marks.groupby("lesson_id")["last_seen_at"].max().reindex(ids).set_axis(subs.index)
    deadline = subs["deadline"]
    late = mark_at.notna() & unmarked_at.notna()
    missing = mark_at.isna() & (seen_until >= deadline)
    keep = late | missing
    subs, mark_at, unmarked_at, late = subs[keep], mark_at[keep], unmarked_at[keep], late[keep]
    status = late.map({True: Status.LATE.value, False: Status.MISSING.value})
    mark_day, unmarked_day = local_dates(mark_at, ctx.tz), local_dates(unmarked_at, ctx.tz)
    exact = late & (mark_day == unmarked_day)
    days = (mark_day - subs["date"]).dt.days.where(exact)
    return result_frame(
        {
            "status": status.to_numpy(),
            "kind": late.map({True: "marked_late", False: "unmarked"}).to_numpy(),
            "lesson_id": subs["lesson_id"].to_numpy(),
            "group_id": subs["group_id"].to_numpy(),
            "teacher_id": subs["teacher_id"].to_numpy(),
            "evidence": _evidence(subs, unmarked_at, mark_at, late, exact, days, ctx).to_numpy(),
            "days_late": days.astype("Int64").to_numpy(),
            "established_at": mark_at.where(late, subs["deadline"]),
            "closed_at": mark_at.where(late),
        }
    )


def _evidence(
    subs: pd.DataFrame,
    unmarked_at: pd.Series,
    mark_at: pd.Series,
    late: pd.Series,
    exact: pd.Series,
    days: pd.Series,
    ctx: RuleContext,
) -> pd.Series:
    entry = "запись занятия появилась в " + local_text(subs["first_seen_at"], ctx.tz)
    without = local_text(unmarked_at, ctx.tz)
    marked = local_text(mark_at, ctx.tz)
    when = days_text(days).where(exact, "отмечена между " + without + " и " + marked)
    late_text = (
        entry + "; без отметки о замене в " + without + "; замена впервые отмечена в "
        + marked + " (" + when + ")"
    )  # fmt: skip
    open_text = entry + "; без отметки о замене и в последней проверке, " + without
    return late_text.where(late, open_text)


RULE = Rule(
    id="substitution-marked",
    clause="1.12",
    title="Замена отмечена в момент внесения записи",
    explanation=(
        "Если занятие провёл не основной педагог группы, факт замены отмечается в момент "
        "внесения записи (п. 1.12 Положения). Отметка, появившаяся позже записи, — "
        "«замена отмечена с опозданием»; её отсутствие — «замена не отмечена»."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«запись занятия появилась в 18:00 12.10.2025; без отметки о замене в 07:00 14.10.2025; "
        "замена впервые отмечена в 12:00 14.10.2025 (на 2 дня позже дня занятия)»"
    ),
)
