"""Clause 1.12: a lesson taught in place of the group's teacher is marked as a substitution
at the moment it is entered.

«Если занятие проводилось вместо основного преподавателя, факт замены должен отражаться в
момент внесения записи.» A lesson whose teacher differs from the group's teacher (teaching
load) needs the «замена» mark. The mark is on time when the first observation that shows the
entry already shows the mark (and that is before the deadline); a mark first seen later is
"marked late"; a mark still absent after the deadline is "unmarked" and stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.audit.deadlines import local_dates
from auditor.contract.findings import Severity, Status
from auditor.lazy import pandas as pd
from rules._evidence import local_text
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
    first_mark = marks[marks["filled"]].groupby("lesson_id")["first_seen_at"].min()
    last_seen = marks.groupby("lesson_id")["last_seen_at"].max()
    ids = subs["lesson_id"]
    mark_at = first_mark.reindex(ids).set_axis(subs.index)
    seen_until = last_seen.reindex(ids).set_axis(subs.index)
    entry_at = subs["first_seen_at"]
    deadline = subs["deadline"]
    on_time = mark_at.notna() & (mark_at <= entry_at) & (mark_at < deadline)
    late = mark_at.notna() & ~on_time
    unmarked = mark_at.isna() & (seen_until >= deadline)
    keep = late | unmarked
    subs, mark_at, entry_at, late = subs[keep], mark_at[keep], entry_at[keep], late[keep]
    status = late.map({True: Status.LATE.value, False: Status.MISSING.value})
    mark_text, entry_text = local_text(mark_at, ctx.tz), local_text(entry_at, ctx.tz)
    evidence = ("запись занятия появилась в " + entry_text).where(
        ~late,
        "запись занятия появилась в " + entry_text + "; замена впервые отмечена в " + mark_text,
    )
    evidence = evidence.where(late, evidence + "; отметки о замене нет")
    days = (local_dates(mark_at, ctx.tz) - subs["date"]).dt.days.where(late)
    return result_frame(
        {
            "status": status.to_numpy(),
            "kind": late.map({True: "marked_late", False: "unmarked"}).to_numpy(),
            "lesson_id": subs["lesson_id"].to_numpy(),
            "group_id": subs["group_id"].to_numpy(),
            "teacher_id": subs["teacher_id"].to_numpy(),
            "evidence": evidence.to_numpy(),
            "days_late": days.astype("Int64").to_numpy(),
            "established_at": mark_at.where(late, subs["deadline"]),
            "closed_at": mark_at.where(late),
        }
    )


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
        "«запись занятия появилась в 18:00 12.10.2025; замена впервые отмечена в 12:00 14.10.2025»"
    ),
)
