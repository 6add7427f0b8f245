"""Today's journal as last seen: a day's lessons still lacking an entry before its deadline.

For the teacher's reminder (clause 1.12: entries are made on the day of the lesson). This is
not a rule: until midnight a lesson of today is not due, so no rule has a finding about it.
It is the latest observed state of the day's lessons as of a moment, computed with the
rules' own preparation, so that "empty" means here what it will mean to them at midnight:

- a held lesson (on its page, not cancelled) whose latest topic is blank or a placeholder
  (``lesson-topic-same-day``), or whose latest attendance is not marked, i.e. the journal
  shows neither absences nor "all present" (``lesson-attendance-same-day``);
- a lesson of the schedule template for the day that is not in the journal
  (``scheduled-lesson-entered``), once the group's journal page was read at or after the
  lesson began: a read before it proves nothing, the lesson had not happened yet.

Only what the enabled rules judge is listed. Each lesson goes to the teacher who taught it
(the latest teacher shown), or to the group's teacher (teaching load) when that teacher is
unknown; a lesson not in the journal always goes to the group's teacher, as in its finding.
"""

from __future__ import annotations

from datetime import date

from auditor.audit.engine import AuditResult, calendar_from_frames
from auditor.audit.runner import rule_settings, setup_deadline_for
from auditor.config import Config
from auditor.contract.frames import Frames
from auditor.lazy import pandas as pd
from rules._lessons import field_intervals, prepared_lessons, real_topic
from rules.base import RuleContext, as_known
from rules.scheduled_lesson_entered import expected_lessons

TOPIC_RULE = "lesson-topic-same-day"
ATTENDANCE_RULE = "lesson-attendance-same-day"
SCHEDULE_RULE = "scheduled-lesson-entered"
REMINDED_RULES = (TOPIC_RULE, ATTENDANCE_RULE, SCHEDULE_RULE)

# One row per lesson still lacking something: who is reminded, which lesson (lesson_id is
# null for a scheduled lesson not in the journal), and what it lacks.
OPEN_COLUMNS: dict[str, str] = {
    "teacher_id": "Int64",
    "group_id": "int64",
    "start_time": "timedelta64[ns]",
    "lesson_id": "Int64",
    "no_topic": "bool",
    "no_attendance": "bool",
    "not_entered": "bool",
}


def reminded_rules(config: Config) -> tuple[str, ...]:
    """The enabled rules whose entries a reminder asks for (none: nothing to remind)."""
    return tuple(rule.id for rule in rule_settings(config).rules if rule.id in REMINDED_RULES)


def open_entries(result: AuditResult, config: Config) -> pd.DataFrame:
    """The lessons of ``result``'s period still lacking an entry as of ``result.now``.

    ``result`` is ``runner.judge`` over the day (``start == end``), with the rules of
    :func:`reminded_rules`: what it lists follows the rules that ran. Rows are ordered by
    teacher, start time and group; the columns are :data:`OPEN_COLUMNS`.
    """
    if result.frames is None:
        raise ValueError("open_entries needs a judgement made by runner.judge (with frames)")
    frames = result.frames
    ran = {str(rule["id"]) for rule in result.rules_run}
    ctx = _context(frames, config, result)
    parts = [_journal(frames, ctx, topic=TOPIC_RULE in ran, attendance=ATTENDANCE_RULE in ran)]
    if SCHEDULE_RULE in ran:
        parts.append(_not_entered(frames, ctx))
    rows = pd.concat([p for p in parts if not p.empty] or [_empty()], ignore_index=True)
    rows = rows.astype(OPEN_COLUMNS)
    return rows.sort_values(["teacher_id", "start_time", "group_id"]).reset_index(drop=True)


def _context(frames: Frames, config: Config, result: AuditResult) -> RuleContext:
    """The rule context of the judgement, built as ``runner.judge`` builds it."""
    extra = [date.fromisoformat(day) for day in config.institution.extra_holidays]
    return RuleContext(
        now=result.now,
        tz=config.institution.tz,
        calendar=calendar_from_frames(frames, extra),
        start=result.start,
        end=result.end,
        setup_deadline=setup_deadline_for(config, result.start),
    )


def _journal(frames: Frames, ctx: RuleContext, *, topic: bool, attendance: bool) -> pd.DataFrame:
    """Held lessons of the period in the journal whose latest topic or attendance is empty."""
    lessons = prepared_lessons(frames, ctx)
    in_period = lessons["date"].between(pd.Timestamp(ctx.start), pd.Timestamp(ctx.end))
    held = lessons[in_period & lessons["present"] & ~lessons["cancelled"]]
    no_topic = ~real_topic(held["topic"]) if topic else pd.Series(False, index=held.index)
    marks = field_intervals(frames, ctx, "attendance")
    marked = marks.loc[marks["latest"] & marks["filled"], "lesson_id"]
    no_attendance = (
        ~held["lesson_id"].isin(marked) if attendance else pd.Series(False, index=held.index)
    )
    lacking = no_topic | no_attendance
    held = held[lacking]
    staff = frames.staff["staff_id"]
    teacher = held["teacher_id"].astype("Int64")
    teacher = teacher.where(teacher.isin(staff), held["group_teacher_id"].astype("Int64"))
    return pd.DataFrame(
        {
            "teacher_id": teacher,
            "group_id": held["group_id"],
            "start_time": held["start_time"],
            "lesson_id": held["lesson_id"],
            "no_topic": no_topic[lacking],
            "no_attendance": no_attendance[lacking],
            "not_entered": False,
        }
    )


def _not_entered(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    """Lessons of the schedule template for the period that a read of the group's journal
    page, made after the lesson began, did not show (the rule's slots, as of now)."""
    expected = expected_lessons(frames, ctx)
    if expected.empty:
        return _empty()
    lessons = prepared_lessons(frames, ctx)
    seen = lessons[["group_id", "date", "start_time"]].drop_duplicates()
    gaps = expected.merge(seen, how="left", indicator=True)
    gaps = gaps[gaps["_merge"] == "left_only"].drop(columns="_merge")
    gaps["month"] = gaps["date"].dt.strftime("%Y-%m")
    reads = as_known(frames, ctx).page_reads.groupby(["group_id", "month"])["observed_at"].max()
    gaps = gaps.merge(reads.rename("last_read"), left_on=["group_id", "month"], right_index=True)
    began = (gaps["date"] + gaps["start_time"]).dt.tz_localize(ctx.tz, nonexistent="shift_forward")
    gaps = gaps[gaps["last_read"] >= began.dt.tz_convert("UTC")]
    teachers = frames.groups.set_index("group_id")["teacher_id"]
    return pd.DataFrame(
        {
            "teacher_id": gaps["group_id"].map(teachers).astype("Int64"),
            "group_id": gaps["group_id"],
            "start_time": gaps["start_time"],
            "lesson_id": pd.Series(pd.NA, index=gaps.index, dtype="Int64"),
            "no_topic": False,
            "no_attendance": False,
            "not_entered": True,
        }
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in OPEN_COLUMNS.items()})
