"""One "as of" for every rule: the frames as they were known at a moment.

A run is stamped with its **start**: an audit as of T uses every completed run that started
at or before T, with all of its observations (each keeps the moment its page arrived, which
the same-day judge compares with deadlines). So `sync --at 07:30` then `audit --at 07:30`
sees that sync; an audit as of 20.09 08:00 never cites a run of 01.10. Everything observed
by later runs is dropped, and an interval of equal values that ran on past the cutoff ends
at its last observation within it: for a lesson field, the last read of the lesson's page by
an included run; for an institution fact, the fact's own first sighting (the conservative
end: no later read of it is known). Facts are cut by moment: nothing an included run
observed is later than the end of the last included run.

Run ids grow with time (syncs into one store run one after another), so "the runs up to T"
are the ids up to the last run that started by T.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from auditor.contract.frames import Frames
from auditor.contract.values import PRESENT, TRUE
from auditor.lazy import pandas as pd


def frames_as_of(frames: Frames, moment: datetime) -> Frames:
    """``frames`` with only what completed runs started by ``moment`` observed."""
    runs = frames.runs[frames.runs["started_at"] <= pd.Timestamp(moment)]
    if len(runs) == len(frames.runs):
        return frames  # nothing was observed later: the common case of "now"
    last_run = int(runs["run_id"].max()) if len(runs) else 0
    reads = frames.page_reads[frames.page_reads["run_id"] <= last_run]
    last_read = reads.groupby(["group_id", "month"])[["observed_at", "run_id"]].max()
    intervals = _clip_intervals(frames, last_run, last_read)
    lessons = _clip_lessons(frames, last_run, last_read, intervals)
    # The included runs observed nothing after the last of them finished.
    until = max(pd.Timestamp(moment), runs["finished_at"].max()) if len(runs) else moment
    facts = frames.facts[frames.facts["first_seen_at"] <= until].copy()
    beyond = facts["last_seen_at"] > until
    facts.loc[beyond, "last_seen_at"] = facts.loc[beyond, "first_seen_at"]
    facts.loc[beyond, "last_run_id"] = facts.loc[beyond, "first_run_id"]
    facts["latest"] = _latest(facts, ["kind", "entity", "fact"])
    return dataclasses.replace(
        frames,
        runs=runs,
        page_reads=reads,
        lessons=lessons,
        field_intervals=intervals,
        facts=facts,
    )


def _page_of(lesson_ids: pd.Series, lessons: pd.DataFrame) -> pd.MultiIndex:
    by_id = lessons.set_index("lesson_id")
    return pd.MultiIndex.from_arrays(
        [by_id["group_id"].reindex(lesson_ids).to_numpy(), by_id["month"].reindex(lesson_ids)],
        names=["group_id", "month"],
    )


def _clip_intervals(frames: Frames, last_run: int, last_read: pd.DataFrame) -> pd.DataFrame:
    intervals = frames.field_intervals[frames.field_intervals["first_run_id"] <= last_run].copy()
    beyond = (intervals["last_run_id"] > last_run).to_numpy()
    if beyond.any():
        pages = _page_of(intervals.loc[beyond, "lesson_id"], frames.lessons)
        ends = last_read.reindex(pages)
        intervals.loc[beyond, "last_seen_at"] = ends["observed_at"].to_numpy()
        intervals.loc[beyond, "last_run_id"] = ends["run_id"].to_numpy()
    intervals["latest"] = _latest(intervals, ["lesson_id", "field"])
    return intervals


def _clip_lessons(
    frames: Frames, last_run: int, last_read: pd.DataFrame, intervals: pd.DataFrame
) -> pd.DataFrame:
    lessons = frames.lessons[frames.lessons["first_run_id"] <= last_run].copy()
    beyond = (lessons["last_run_id"] > last_run).to_numpy()
    if beyond.any():
        pages = pd.MultiIndex.from_arrays(
            [lessons.loc[beyond, "group_id"], lessons.loc[beyond, "month"]]
        )
        ends = last_read.reindex(pages)
        lessons.loc[beyond, "last_seen_at"] = ends["observed_at"].to_numpy()
        lessons.loc[beyond, "last_run_id"] = ends["run_id"].to_numpy()
    presence = intervals[(intervals["field"] == PRESENT) & intervals["latest"]]
    shown = presence.set_index("lesson_id")["value"].reindex(lessons["lesson_id"])
    lessons["present"] = (shown == TRUE).fillna(False).to_numpy(dtype=bool)
    return lessons


def _latest(intervals: pd.DataFrame, keys: list[str]) -> pd.Series:
    """True for each key's interval that began last (the value shown at the cutoff)."""
    if intervals.empty:
        return pd.Series(dtype="bool", index=intervals.index)
    began = intervals.groupby(keys)["first_seen_at"].transform("max")
    return (intervals["first_seen_at"] == began).astype("bool")
