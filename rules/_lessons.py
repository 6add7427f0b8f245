"""Preparation shared by the lesson rules: one lessons frame with deadlines and state.

Computed once per audit run (memoised in ``ctx.cache``) because every lesson rule needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from auditor.deadlines import deadlines_utc, last_read_before_first_seen, latest_values
from auditor.topics import is_real_topic
from rules.base import RuleContext

if TYPE_CHECKING:
    from auditor.store.frames import Frames

TRUE = "true"


def prepared_lessons(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    """Lessons with: deadline (UTC), cancelled, teacher (who taught, latest), group_teacher,
    absent_until (last read of the page before the row appeared), topic (latest)."""
    if "lessons" not in ctx.cache:
        ctx.cache["lessons"] = _prepare(frames, ctx)
    frame: pd.DataFrame = ctx.cache["lessons"]
    return frame


def _prepare(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    lessons = frames.lessons.copy()
    intervals = frames.field_intervals
    lessons["deadline"] = deadlines_utc(lessons["date"], ctx.tz)
    ids = lessons["lesson_id"]
    cancelled = latest_values(intervals, "cancelled").reindex(ids)
    lessons["cancelled"] = (cancelled == TRUE).fillna(False).to_numpy(dtype=bool)
    teacher = latest_values(intervals, "teacher").reindex(ids)
    lessons["teacher_id"] = pd.to_numeric(teacher, errors="coerce").astype("Int64").to_numpy()
    group_teacher = frames.groups.set_index("group_id")["teacher_id"]
    lessons["group_teacher_id"] = lessons["group_id"].map(group_teacher).astype("Int64").to_numpy()
    lessons["topic"] = latest_values(intervals, "topic").reindex(ids).fillna("").to_numpy()
    lessons["absent_until"] = last_read_before_first_seen(lessons, frames.page_reads).set_axis(
        lessons.index
    )
    return lessons.reset_index(drop=True)


def real_topic(values: pd.Series) -> pd.Series:
    """Whether each topic text is a real topic: not blank and not a placeholder."""
    unique = pd.Series(values.unique())
    verdict = unique.map(is_real_topic)
    return values.map(dict(zip(unique, verdict, strict=True))).astype(bool)
