"""Clause 5.3: topics are real and their completion (прохождение) is marked.

«Педагоги своевременно заполняют данные о темах учебных занятий, их прохождении…» Three
kinds of finding:

* ``placeholder``: the topic the journal showed at the lesson's deadline is a placeholder
  («-», «.», «тема», text without letters); it closes when a real topic replaces it;
* ``copied``: the same topic (trimmed, case-insensitive) on two or more lessons of one group
  in the audited period, each of them; due from the second such lesson's deadline;
* ``completion_missing``: the completion of a held lesson never marked, after its deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity, Status
from auditor.lazy import pandas as pd
from rules._evidence import local_text
from rules._lessons import (
    PLACEHOLDER,
    field_intervals,
    prepared_lessons,
    real_topic,
    topic_intervals,
)
from rules.base import Rule, RuleContext, empty_result, result_frame

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    min_copies: int = 2  # this many lessons of one group under one topic is copying


def _placeholders(frames: Frames, lessons: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    topics = topic_intervals(frames, ctx)
    # Only lessons that ever showed a placeholder can have one at their deadline.
    suspects = topics.loc[topics["kind"] == PLACEHOLDER, "lesson_id"].unique()
    topics = topics[topics["lesson_id"].isin(suspects)].merge(
        lessons[["lesson_id", "deadline"]], on="lesson_id"
    )
    before = topics[topics["first_seen_at"] < topics["deadline"]]
    at_deadline = before.sort_values("first_seen_at").groupby("lesson_id").tail(1)
    bad = at_deadline[at_deadline["kind"] == PLACEHOLDER]
    bad = bad[bad["last_seen_at"] >= bad["deadline"]]  # seen still so after the deadline
    real = topics[topics["filled"]]
    fixed = (
        real.merge(bad[["lesson_id"]], on="lesson_id")
        .loc[lambda f: f["first_seen_at"] >= f["deadline"]]
        .groupby("lesson_id")["first_seen_at"]
        .min()
    )
    rows = lessons.merge(bad[["lesson_id", "value"]], on="lesson_id")
    closed = fixed.reindex(rows["lesson_id"]).set_axis(rows.index)
    evidence = "на конец дня занятия тема: «" + rows["value"] + "»"
    evidence = evidence.where(
        closed.isna(), evidence + "; настоящая тема впервые видна в " + local_text(closed, ctx.tz)
    )
    return result_frame(
        {
            "status": closed.isna()
            .map({True: Status.MISSING.value, False: Status.LATE.value})
            .to_numpy(),
            "kind": "placeholder",
            "lesson_id": rows["lesson_id"].to_numpy(),
            "group_id": rows["group_id"].to_numpy(),
            "teacher_id": rows["teacher_id"].to_numpy(),
            "evidence": evidence.to_numpy(),
            "established_at": rows["deadline"].to_numpy(),
            "closed_at": closed.to_numpy(),
        }
    )


def _copies(lessons: pd.DataFrame, params: Params, ctx: RuleContext) -> pd.DataFrame:
    held = lessons[~lessons["cancelled"] & real_topic(lessons["topic"])]
    codes, uniques = pd.factorize(held["topic"])
    norm_codes, _ = pd.factorize(pd.Series(uniques, dtype="str").str.strip().str.lower())
    held = held.assign(norm=norm_codes[codes])
    held = held.sort_values(["group_id", "norm", "date", "start_time", "lesson_id"])
    keys = ["group_id", "norm"]
    held["count"] = held.groupby(keys)["lesson_id"].transform("size")
    held = held[held["count"] >= params.min_copies]
    if held.empty:
        return empty_result()
    rank = held.groupby(keys).cumcount()
    second = held.loc[rank == 1, [*keys, "deadline"]].rename(columns={"deadline": "second"})
    held = held.merge(second, on=keys)
    due = held[["second", "deadline"]].max(axis=1)
    held = held[due <= pd.Timestamp(ctx.now)]
    due = due[held.index]
    evidence = (
        "одна и та же тема «" + held["topic"].str.strip() + "» у "
        + held["count"].astype("str") + " занятий группы"
    )  # fmt: skip
    return result_frame(
        {
            "status": Status.VIOLATION.value,
            "kind": "copied",
            "lesson_id": held["lesson_id"].to_numpy(),
            "group_id": held["group_id"].to_numpy(),
            "teacher_id": held["teacher_id"].to_numpy(),
            "evidence": evidence.to_numpy(),
            "established_at": due.to_numpy(),
        }
    )


def _completion(frames: Frames, lessons: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    marks = field_intervals(frames, ctx, "completion")
    ever = set(marks.loc[marks["filled"], "lesson_id"])
    latest_seen = marks.groupby("lesson_id")["last_seen_at"].max()
    seen = latest_seen.reindex(lessons["lesson_id"]).set_axis(lessons.index)
    rows = lessons[
        ~lessons["cancelled"]
        & ~lessons["lesson_id"].isin(ever)
        & (seen >= lessons["deadline"]).fillna(False)
    ]
    return result_frame(
        {
            "status": Status.MISSING.value,
            "kind": "completion_missing",
            "lesson_id": rows["lesson_id"].to_numpy(),
            "group_id": rows["group_id"].to_numpy(),
            "teacher_id": rows["teacher_id"].to_numpy(),
            "evidence": (
                "прохождение не отмечено и в " + local_text(seen[rows.index], ctx.tz)
            ).to_numpy(),
            "established_at": rows["deadline"].to_numpy(),
        }
    )


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    lessons = prepared_lessons(frames, ctx)
    held = lessons[~lessons["cancelled"]]
    parts = [
        _placeholders(frames, held, ctx),
        _copies(lessons, params, ctx),
        _completion(frames, lessons, ctx),
    ]
    return pd.concat([p for p in parts if not p.empty] or [empty_result()], ignore_index=True)


RULE = Rule(
    id="topic-quality",
    clause="5.3",
    title="Темы занятий содержательны, прохождение отмечено",
    explanation=(
        "Педагоги своевременно заполняют данные о темах занятий и их прохождении "
        "(п. 5.3 Положения): тема не заменяется заглушкой («-», «.», «тема»), не копируется "
        "на все занятия группы, прохождение отмечается."
    ),
    severity=Severity.MINOR,
    params_type=Params,
    check=check,
    example="«на конец дня занятия тема: «-»; настоящая тема впервые видна в 10:12 25.09.2025»",
)
