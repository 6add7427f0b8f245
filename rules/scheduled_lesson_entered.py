"""Clause 1.12: every lesson of the schedule template gets its journal entry on its day.

A lesson the schedule template expects on a lesson day (not a public holiday, not a vacation)
must appear in the group's journal before 00:00 local of the next day. A lesson whose row
first appeared after a read at or after that moment did not show it is entered late; an
expected lesson still absent from a read of its journal page after the deadline is
``not_entered`` and stays open. Cancelled lessons are entered as cancelled and pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from auditor.audit.deadlines import deadlines_utc, local_dates
from auditor.contract.findings import Severity, Status
from auditor.lazy import pandas as pd
from rules._evidence import local_text
from rules._lessons import prepared_lessons
from rules.base import Rule, RuleContext, as_known, empty_result, result_frame

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    pass


def _late_entries(lessons: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    rows = lessons[~lessons["cancelled"] & (lessons["absent_until"] >= lessons["deadline"])]
    absent_day = local_dates(rows["absent_until"], ctx.tz)
    entry_day = local_dates(rows["first_seen_at"], ctx.tz)
    days = (entry_day - rows["date"]).dt.days.where(absent_day == entry_day)
    evidence = (
        "записи нет в " + local_text(rows["absent_until"], ctx.tz)
        + "; запись впервые видна в " + local_text(rows["first_seen_at"], ctx.tz)
    )  # fmt: skip
    return result_frame(
        {
            "status": Status.LATE.value,
            "kind": "late",
            "lesson_id": rows["lesson_id"].to_numpy(),
            "group_id": rows["group_id"].to_numpy(),
            "teacher_id": rows["teacher_id"].to_numpy(),
            "evidence": evidence.to_numpy(),
            "days_late": days.astype("Int64").to_numpy(),
            "established_at": rows["first_seen_at"],
            "closed_at": rows["first_seen_at"],
        }
    )


def expected_lessons(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    """(group_id, date, start_time) of every lesson the template expects in the period."""
    setup = frames.setup
    start, end = ctx.start, min(ctx.end, ctx.now.astimezone(ctx.tz).date())
    if not setup.empty and bool(setup["year_configured"].iloc[0]):
        start = max(start, setup["year_start"].iloc[0].date())
        end = min(end, setup["year_end"].iloc[0].date())
    days = [
        start + timedelta(days=i)
        for i in range((end - start).days + 1)
        if ctx.calendar.is_lesson_day(start + timedelta(days=i))
    ]
    if not days or frames.schedule.empty:
        return pd.DataFrame({"group_id": [], "date": [], "start_time": []})
    calendar = pd.DataFrame({"date": pd.to_datetime(days)})
    calendar["weekday"] = calendar["date"].dt.day_of_week
    slots = frames.schedule[frames.schedule["present"]][["group_id", "weekday", "start_time"]]
    return slots.merge(calendar, on="weekday")[["group_id", "date", "start_time"]]


def _not_entered(frames: Frames, lessons: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    expected = expected_lessons(frames, ctx)
    if expected.empty:
        return empty_result()
    seen = lessons[["group_id", "date", "start_time"]].drop_duplicates()
    gaps = expected.merge(seen, how="left", indicator=True)
    gaps = gaps[gaps["_merge"] == "left_only"].drop(columns="_merge")
    gaps["deadline"] = deadlines_utc(gaps["date"], ctx.tz)
    gaps["month"] = gaps["date"].dt.strftime("%Y-%m")
    reads = as_known(frames, ctx).page_reads.groupby(["group_id", "month"])["observed_at"].max()
    gaps = gaps.merge(reads.rename("last_read"), left_on=["group_id", "month"], right_index=True)
    gaps = gaps[gaps["last_read"] >= gaps["deadline"]]
    teachers = frames.groups.set_index("group_id")["teacher_id"]
    evidence = (
        "занятие по расписанию " + gaps["date"].dt.strftime("%d.%m.%Y") + " в "
        + (pd.Timestamp(0) + gaps["start_time"]).dt.strftime("%H:%M")
        + " не внесено в журнал; последняя проверка " + local_text(gaps["last_read"], ctx.tz)
    )  # fmt: skip
    return result_frame(
        {
            "status": Status.MISSING.value,
            "kind": "not_entered",
            "group_id": gaps["group_id"].to_numpy(),
            "teacher_id": gaps["group_id"].map(teachers).astype("Int64").to_numpy(),
            "lesson_date": gaps["date"].to_numpy(),
            "lesson_time": gaps["start_time"].to_numpy(),
            "item": (gaps["date"].dt.strftime("%Y-%m-%d") + " "
                     + (pd.Timestamp(0) + gaps["start_time"]).dt.strftime("%H:%M")).to_numpy(),
            "evidence": evidence.to_numpy(),
            "established_at": gaps["deadline"].to_numpy(),
        }
    )  # fmt: skip


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    lessons = prepared_lessons(frames, ctx)
    parts = [_late_entries(lessons, ctx), _not_entered(frames, lessons, ctx)]
    return pd.concat([p for p in parts if not p.empty] or [empty_result()], ignore_index=True)


RULE = Rule(
    id="scheduled-lesson-entered",
    clause="1.12",
    title="Занятие по расписанию внесено в журнал в день проведения",
    explanation=(
        "Каждое занятие по шаблону расписания вносится в журнал в день проведения "
        "(п. 1.12 Положения), кроме праздничных дней и каникул. Запись, появившаяся после "
        "полуночи, — опоздание; отсутствующая запись — нарушение до её внесения."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«занятие по расписанию 13.10.2025 в 15:00 не внесено в журнал;"
        " последняя проверка 07:00 14.10.2025»"
    ),
)
