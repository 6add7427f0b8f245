"""Clause 5.2: a student who joins after the setup deadline has their data filled in a week.

«Педагоги своевременно следят за актуальностью данных об учащихся.» A student first listed
after 00:00 local of 9 September (and not in the institution's first read) needs a birth
date, an address and a phone by the end of the 7th day after the local date they were first
seen (``grace_days``). Still incomplete at the last read before that moment: a *violation*
until a read shows all three, then *late*; nothing while not due.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.audit.deadlines import deadlines_utc, local_dates
from auditor.contract.findings import Severity
from auditor.contract.values import PRESENT, TRUE
from auditor.lazy import pandas as pd
from rules._evidence import local_text
from rules._setup import first_group, judge, setup_facts
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext, empty_result
from rules.setup_student_data import WHOLE, student_timeline

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    grace_days: int = 7  # days after the day a student is first seen to fill in their data


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    listed = facts[(facts["kind"] == "student") & (facts["fact"] == PRESENT)]
    first = listed[listed["value"] == TRUE].groupby("entity")["first_seen_at"].min()
    if first.empty:
        return empty_result()
    new = first[(first >= window.deadline) & (first > window.reads[0])]
    due = deadlines_utc(local_dates(new, ctx.tz) + pd.Timedelta(days=params.grace_days), ctx.tz)
    tl = student_timeline(facts, new.index)
    tl["due"] = due.reindex(tl["entity"].to_numpy()).to_numpy()
    judged = judge(tl, window, pending=False)
    if judged.empty:
        return empty_result()
    seen = new.reindex(judged["entity"].to_numpy()).set_axis(judged.index)
    missing = judged["missing"]
    teachers = frames.groups.set_index("group_id")["teacher_id"]
    group = first_group(judged["group_ids"])
    return setup_result(
        judged,
        ctx,
        what="у учащегося не заполнены: " + missing,
        fixed="данные заполнены",
        item=missing.where(missing != "", WHOLE),
        subject_id=judged["entity"],
        group_id=group,
        teacher_id=group.map(teachers),
        unmet_kind="missing",
        prefix="учащийся впервые виден в " + local_text(seen, ctx.tz) + "; ",
    )


RULE = Rule(
    id="student-data-current",
    clause="5.2",
    title="Данные нового учащегося заполнены в течение недели",
    explanation=(
        "Педагоги своевременно следят за актуальностью данных об учащихся (п. 5.2 Положения): "
        "у учащегося, появившегося после 8 сентября, дата рождения, адрес и телефон "
        "заполняются до конца 7-го дня после его появления в журнале."
    ),
    severity=Severity.MINOR,
    params_type=Params,
    check=check,
    example=(
        "«учащийся впервые виден в 23:50 06.10.2025; на 00:00 14.10.2025 (последняя проверка "
        "23:50 13.10.2025) у учащегося не заполнены: телефон; не исправлено и в последней "
        "проверке, 07:00 20.10.2025»"
    ),
)
