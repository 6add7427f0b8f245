"""Preparation shared by the lesson rules: one lessons frame with deadlines and state.

Computed once per audit run (memoised in ``ctx.cache``) because every lesson rule needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.audit.deadlines import (
    deadlines_utc,
    last_read_before_first_seen,
    latest_values,
    split_by_field,
)
from auditor.audit.topics import PLACEHOLDER_WORDS
from auditor.lazy import numpy as np
from auditor.lazy import pandas as pd
from rules.base import RuleContext, as_known

if TYPE_CHECKING:
    from auditor.contract.frames import Frames

TRUE = "true"


def prepared_lessons(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    """Lessons with: deadline (UTC), cancelled, teacher (who taught, latest), group_teacher,
    absent_until (last read of the page before the row appeared), topic (latest)."""
    if "lessons" not in ctx.cache:
        ctx.cache["lessons"] = _prepare(frames, ctx)
    frame: pd.DataFrame = ctx.cache["lessons"]
    return frame


def field_intervals(frames: Frames, ctx: RuleContext, field: str) -> pd.DataFrame:
    """One field's intervals (split once per run)."""
    frames = as_known(frames, ctx)
    if "by_field" not in ctx.cache:
        ctx.cache["by_field"] = split_by_field(frames.field_intervals)
    empty = frames.field_intervals.iloc[0:0]
    part: pd.DataFrame = ctx.cache["by_field"].get(field, empty)
    return part


def _prepare(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    frames = as_known(frames, ctx)
    lessons = frames.lessons.copy()
    lessons["deadline"] = deadlines_utc(lessons["date"], ctx.tz)
    ids = lessons["lesson_id"]
    cancelled = latest_values(field_intervals(frames, ctx, "cancelled")).reindex(ids)
    lessons["cancelled"] = (cancelled == TRUE).fillna(False).to_numpy(dtype=bool)
    teacher = _as_ids(latest_values(field_intervals(frames, ctx, "teacher")))
    lessons["teacher_id"] = teacher.reindex(ids).to_numpy()
    group_teacher = frames.groups.set_index("group_id")["teacher_id"]
    lessons["group_teacher_id"] = lessons["group_id"].map(group_teacher).astype("Int64").to_numpy()
    topic = latest_values(field_intervals(frames, ctx, "topic")).reindex(ids)
    lessons["topic"] = topic.fillna("").to_numpy()
    # The reads that missed a row matter only when the row appeared at or after the deadline
    # (a read that missed it before the deadline proves nothing late), so only those lessons
    # are looked up among the page reads.
    appeared_late = (lessons["first_seen_at"] >= lessons["deadline"]).to_numpy()
    absent_until = pd.Series(pd.NaT, index=lessons.index, dtype="datetime64[ns, UTC]")
    if appeared_late.any():
        late_rows = lessons[appeared_late]
        absent_until[appeared_late] = last_read_before_first_seen(late_rows, frames.page_reads)
    lessons["absent_until"] = absent_until
    return lessons.reset_index(drop=True)


def _as_ids(values: pd.Series) -> pd.Series:
    """Id strings as nullable integers, converted once per distinct value."""
    codes, uniques = pd.factorize(values)
    numbers = pd.to_numeric(pd.Series(uniques, dtype="str"), errors="coerce").astype("Int64")
    return pd.Series(numbers.array.take(codes, allow_fill=True), index=values.index)


BLANK, PLACEHOLDER, REAL = 0, 1, 2


def topic_kinds(values: pd.Series) -> pd.Series:
    """Each topic text as BLANK, PLACEHOLDER («-», «.», «тема», no letters) or REAL.

    Judged once per distinct text (topics repeat: a programme's syllabus runs in every group),
    with vectorised string operations, then spread back by the factor codes.
    """
    codes, uniques = pd.factorize(values)
    texts = pd.Series(uniques, dtype="str")
    core = texts.str.strip().str.strip(".,;:!?-—– ").str.casefold()
    has_letter = core.str.contains(r"[^\W\d_]", regex=True)
    blank = (texts.str.strip() == "").to_numpy(dtype=bool)
    real = ~blank & (has_letter & ~core.isin(PLACEHOLDER_WORDS)).to_numpy(dtype=bool)
    kinds = np.where(blank, BLANK, np.where(real, REAL, PLACEHOLDER)).astype("int8")
    spread = np.append(kinds, np.int8(BLANK))[codes]  # code -1 (a missing value): blank
    return pd.Series(spread, index=values.index)


def real_topic(values: pd.Series) -> pd.Series:
    """Whether each topic text is a real topic: not blank and not a placeholder."""
    return topic_kinds(values) == REAL


def topic_intervals(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    """The topic intervals with ``filled`` meaning "a real topic" (computed once per run)."""
    if "topics" not in ctx.cache:
        topics = field_intervals(frames, ctx, "topic").copy()
        topics["kind"] = topic_kinds(topics["value"])
        topics["filled"] = topics["kind"] == REAL
        ctx.cache["topics"] = topics
    frame: pd.DataFrame = ctx.cache["topics"]
    return frame
