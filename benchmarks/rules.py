"""Benchmark of the rule engine: N lessons with observation history, the full lesson rule set.

Builds store-shaped frames for N lessons (default 1,000,000) of 6,000 groups over one
academic year, polled four times a day, with the mix of behaviours the demo plants (late,
missing, placeholders, substitutions marked late or never), runs every registered rule, and
in the same run a plain row-by-row implementation of the same-day and substitution rules on
a sample, checking that both give the same statuses. Prints, as its last line:

    RESULT lessons=… seconds=… lessons_per_s=… peak_rss_mb=… speedup_vs_rowwise=…

Topics follow a syllabus: the k-th lesson of every group has the k-th topic, so texts repeat
across groups as they do in a real centre.

Run by hand: ``.venv/bin/python benchmarks/rules.py [--lessons N] [--sample N]``.
Targets on the 2-core machine: 1M lessons within 5 s, under 2 GB, ≥ 20× the row-wise version.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.audit.calendar import ProductionCalendar
from auditor.audit.engine import run_audit
from auditor.contract.frames import SPECS, Frames, typed
from rules.base import RuleContext
from rules.registry import ALL_RULES

TZ = ZoneInfo("Asia/Novokuznetsk")
POLL_HOURS = np.array([7, 12, 18, 23.8333])  # 07:00, 12:00, 18:00, 23:50 local
YEAR_START = np.datetime64("2025-09-01")


def _utc(local_hours_since_epoch_day: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Local (day, hour) → naive UTC datetime64[ns] (Kemerovo is UTC+7, no DST)."""
    minutes = np.round(local_hours_since_epoch_day * 60).astype("int64")
    local = day.astype("datetime64[ns]") + minutes.astype("timedelta64[m]")
    return local - np.timedelta64(7, "h")


def synthetic_frames(n: int, seed: int = 1) -> Frames:
    rng = np.random.default_rng(seed)
    groups = 6000
    ids = np.arange(1, n + 1, dtype="int64")
    group = rng.integers(1, groups + 1, n)
    day = YEAR_START + rng.integers(0, 270, n).astype("timedelta64[D]")
    start_h = rng.choice([14.0, 15.5, 17.0, 18.5], n)
    teacher_of_group = rng.integers(1, 3001, groups + 1)
    substitute = rng.random(n) < 0.03
    teacher = np.where(substitute, rng.integers(1, 3001, n), teacher_of_group[group])
    # when each field is entered: days after the lesson (0 = same day) and local hour
    late_days = np.where(rng.random(n) < 0.15, rng.integers(1, 4, n), 0)
    never = rng.random(n) < 0.01
    entry_h = np.minimum(start_h + 1.5 + rng.random(n) * 4, 23.4)
    first_poll = _utc(np.full(n, 18.0), day)  # the row is seen from 18:00 on
    seen_topic = _utc(
        np.where(late_days > 0, 12.0, 23.8333), day + late_days.astype("timedelta64[D]")
    )
    last_poll = _utc(np.full(n, 7.0), day + np.timedelta64(5, "D"))
    # a third of the late lessons are entered late as a whole: the row itself appears late
    row_late = (late_days > 0) & (rng.random(n) < 0.33)
    first_poll = np.where(row_late, seen_topic, first_poll)
    month = pd.Series(day).dt.strftime("%Y-%m").to_numpy()

    lessons = pd.DataFrame(
        {
            "lesson_id": ids,
            "group_id": group,
            "date": pd.to_datetime(day),
            "month": month,
            "start_time": pd.to_timedelta(start_h, unit="h"),
            "end_time": pd.to_timedelta(start_h + 1.5, unit="h"),
            "first_seen_at": pd.to_datetime(first_poll).tz_localize("UTC"),
            "last_seen_at": pd.to_datetime(last_poll).tz_localize("UTC"),
            "first_run_id": 1,
            "last_run_id": 2,
            "present": True,
        }
    )
    del entry_h

    parts = []

    def add(
        field: str,
        value: object,
        filled: np.ndarray,
        first: np.ndarray,
        last: np.ndarray,
        latest: np.ndarray,
        mask: np.ndarray | None = None,
    ) -> None:
        sel = slice(None) if mask is None else mask
        parts.append(
            pd.DataFrame(
                {
                    "lesson_id": ids[sel],
                    "field": field,
                    "filled": np.broadcast_to(filled, (n,))[sel],
                    "value": np.broadcast_to(np.asarray(value, dtype=object), (n,))[sel],
                    "first_seen_at": pd.to_datetime(first[sel]).tz_localize("UTC"),
                    "last_seen_at": pd.to_datetime(last[sel]).tz_localize("UTC"),
                    "latest": np.broadcast_to(latest, (n,))[sel],
                }
            )
        )

    ones = np.ones(n, dtype=bool)
    late = late_days > 0
    prev = seen_topic - np.timedelta64(5, "h")
    # topic: empty until seen (for late ones), then filled; never for 1%
    add(
        "topic",
        "",
        False,
        first_poll,
        np.where(never, last_poll, prev),
        never,
        (late & ~row_late) | never,
    )
    # A syllabus: the k-th lesson of every group has the k-th topic (texts repeat across groups).
    order = pd.DataFrame({"g": group, "d": day}).sort_values(["g", "d"], kind="stable")
    ordinal = np.empty(n, dtype="int64")
    ordinal[order.index.to_numpy()] = order.groupby("g").cumcount().to_numpy()
    syllabus = np.array([f"Тема занятия № {k + 1}" for k in range(ordinal.max() + 1)], dtype=object)
    topic_text = syllabus[ordinal]
    topic_text[rng.random(n) < 0.01] = "-"
    add(
        "topic",
        topic_text,
        topic_text != "-",
        np.where(late, seen_topic, first_poll),
        last_poll,
        ones,
        ~never,
    )
    att_late = rng.random(n) < 0.1
    att_seen = _utc(np.full(n, 12.0), day + np.timedelta64(2, "D"))
    add(
        "attendance", "false", False, first_poll, att_seen - np.timedelta64(5, "h"), ~ones, att_late
    )
    add("attendance", "true", True, np.where(att_late, att_seen, first_poll), last_poll, ones)
    add("completion", "true", True, first_poll, last_poll, ones)
    mark_late = substitute & (rng.random(n) < 0.3)
    add("substitution", "false", False, first_poll, last_poll, ~mark_late, ~substitute | mark_late)
    add("substitution", "true", True, att_seen, last_poll, ones, mark_late)
    add("teacher", pd.Series(teacher).astype(str).to_numpy(), True, first_poll, last_poll, ones)
    add("cancelled", "false", False, first_poll, last_poll, ones)
    intervals = pd.concat(parts, ignore_index=True)
    intervals.insert(0, "interval_id", np.arange(1, len(intervals) + 1))
    intervals["first_run_id"] = 1
    intervals["last_run_id"] = 2
    intervals = intervals[list(SPECS["field_intervals"])]
    intervals["field"] = intervals["field"].astype("str")
    intervals["value"] = intervals["value"].astype("str")

    # page reads: every (group, month) page, four polls a day for the days lessons happen
    pages = lessons[["group_id", "month", "date"]].drop_duplicates(["group_id", "date"])
    reads = pages.loc[pages.index.repeat(8)].reset_index(drop=True)
    k = np.tile(np.arange(8), len(pages))
    hours = POLL_HOURS[k % 4]
    reads_at = _utc(
        hours, reads["date"].to_numpy().astype("datetime64[D]") + (k // 4).astype("timedelta64[D]")
    )
    page_reads = pd.DataFrame(
        {
            "read_id": np.arange(1, len(reads) + 1),
            "run_id": 1,
            "group_id": reads["group_id"],
            "month": reads["month"].astype("str"),
            "observed_at": pd.to_datetime(reads_at).tz_localize("UTC"),
            "lesson_count": 1,
        }
    )

    group_rows = [
        (g, f"Группа {g}", 1, 1, int(teacher_of_group[g]), 1, True, None, None)
        for g in range(1, groups + 1)
    ]
    seen = pd.Timestamp("2025-08-30", tz="UTC")
    groups_frame = typed([(*r[:7], seen, seen) for r in group_rows], SPECS["groups"])
    empty = {name: typed([], SPECS[name]) for name in SPECS}
    return Frames(
        start=date(2025, 9, 1),
        end=date(2026, 5, 31),
        lessons=lessons,
        field_intervals=intervals,
        page_reads=page_reads,
        runs=empty["runs"],
        departments=typed([(1, "Отдел", "отдел", None, True, seen, seen)], SPECS["departments"]),
        associations=typed([(1, "Объединение", 1, True, seen, seen)], SPECS["associations"]),
        groups=groups_frame,
        staff=empty["staff"],
        students=empty["students"],
        student_groups=empty["student_groups"],
        staff_groups=empty["staff_groups"],
        schedule=empty["schedule"],
        setup=empty["setup"],
        facts=empty["facts"],
    )


# ---------------------------------------------------------------------------------------
# The row-by-row implementation the engine is measured against.


def rowwise_inputs(frames: Frames, sample: np.ndarray) -> tuple[pd.DataFrame, ...]:
    """The sample's rows, picked out before timing so the comparison is of the rules only."""
    intervals = frames.field_intervals[frames.field_intervals["lesson_id"].isin(sample)]
    lessons = frames.lessons[frames.lessons["lesson_id"].isin(sample)]
    pages = lessons[["group_id", "month"]].drop_duplicates()
    reads = frames.page_reads.merge(pages, on=["group_id", "month"])
    return lessons, intervals, reads


def rowwise(
    lessons: pd.DataFrame,
    intervals: pd.DataFrame,
    reads: pd.DataFrame,
    groups: pd.DataFrame,
    now: pd.Timestamp,
) -> dict[tuple[int, str], str]:
    """The same-day and substitution rules, one Python loop iteration per row."""
    by_lesson: dict[int, list[tuple[str, str, bool, pd.Timestamp, pd.Timestamp]]] = {}
    for row in intervals.itertuples(index=False):
        filled = row.filled if row.field != "topic" else _real(row.value)
        by_lesson.setdefault(row.lesson_id, []).append(
            (row.field, row.value, filled, row.first_seen_at, row.last_seen_at)
        )
    page_reads: dict[tuple[int, str], list[pd.Timestamp]] = {}
    for read in reads.itertuples(index=False):
        page_reads.setdefault((read.group_id, read.month), []).append(read.observed_at)
    teacher_of = dict(zip(groups["group_id"], groups["teacher_id"], strict=True))
    out: dict[tuple[int, str], str] = {}
    for lesson in lessons.itertuples(index=False):
        deadline = (lesson.date + pd.Timedelta(days=1)).tz_localize(TZ).tz_convert("UTC")
        ivs = by_lesson.get(lesson.lesson_id, [])
        before = [
            t
            for t in page_reads.get((lesson.group_id, lesson.month), [])
            if t < lesson.first_seen_at
        ]
        absent_until = max(before) if before else None
        for field in ("topic", "attendance"):
            out[(lesson.lesson_id, field)] = _judge(ivs, field, deadline, absent_until, now)
        teacher = next(value for f, value, *_ in ivs if f == "teacher")
        if int(teacher) != teacher_of[lesson.group_id]:
            marks = [first for f, _, filled, first, _ in ivs if f == "substitution" and filled]
            mark = min(marks) if marks else None
            if mark is None:
                out[(lesson.lesson_id, "substitution")] = "missing"
            elif mark > lesson.first_seen_at or mark >= deadline:
                out[(lesson.lesson_id, "substitution")] = "late"
    return out


def _real(text: str) -> bool:
    from auditor.audit.topics import is_real_topic

    return is_real_topic(text)


def _judge(
    ivs: list,
    field: str,
    deadline: pd.Timestamp,
    absent_until: pd.Timestamp | None,
    now: pd.Timestamp,
) -> str:
    mine = [iv for iv in ivs if iv[0] == field]
    fills = [first for _, _, filled, first, _ in mine if filled]
    first_fill = min(fills) if fills else None
    empties = [
        last
        for _, _, filled, _, last in mine
        if not filled and (first_fill is None or last < first_fill)
    ]
    if absent_until is not None:
        empties.append(absent_until)
    last_empty = max(empties) if empties else None
    if first_fill is not None and first_fill < deadline:
        return "on_time"
    if deadline > now:
        return "not_due"
    if last_empty is not None and last_empty >= deadline:
        return "late" if first_fill is not None else "missing"
    return "cannot_prove"


def vectorised_statuses(frames: Frames, ctx: RuleContext, sample: np.ndarray) -> dict:
    from auditor.audit.deadlines import judge_field
    from rules._lessons import field_intervals, prepared_lessons, topic_intervals

    lessons = prepared_lessons(frames, ctx)
    picked = lessons[lessons["lesson_id"].isin(sample)]
    out = {}
    topics = topic_intervals(frames, ctx)
    for field, ivs in (
        ("topic", topics),
        ("attendance", field_intervals(frames, ctx, "attendance")),
    ):
        judged = judge_field(picked, ivs, picked["absent_until"], pd.Timestamp(ctx.now), ctx.tz)
        out.update(
            {(int(i), field): s for i, s in zip(picked["lesson_id"], judged["status"], strict=True)}
        )
    return out


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=5_000)
    args = parser.parse_args()

    t0 = time.perf_counter()
    frames = synthetic_frames(args.lessons)
    build_s = time.perf_counter() - t0
    gc.collect()
    rss_before_mb = _current_rss_mb()
    print(
        f"built {len(frames.lessons):,} lessons, {len(frames.field_intervals):,} intervals, "
        f"{len(frames.page_reads):,} page reads in {build_s:.1f} s",
        file=sys.stderr,
    )
    now = pd.Timestamp("2026-06-10 12:00", tz=TZ)
    ctx = RuleContext(
        now=now.to_pydatetime(),
        tz=TZ,
        calendar=ProductionCalendar(),
        start=frames.start,
        end=frames.end,
        setup_deadline=date(2025, 9, 8),
    )

    build_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = run_audit(frames, ALL_RULES, ctx)
    seconds = time.perf_counter() - t0
    # the process's peak up to the end of the rule run: frames plus the engine's work
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for outcome in result.outcomes:
        print(
            f"  {outcome.rule_id:28} {outcome.outcome.value:5} {outcome.findings:>8,} "
            f"findings {outcome.seconds:6.2f} s",
            file=sys.stderr,
        )
    assert not result.errors, result.errors

    rng = np.random.default_rng(7)
    sample = rng.choice(frames.lessons["lesson_id"].to_numpy(), args.sample, replace=False)
    inputs = rowwise_inputs(frames, sample)
    t0 = time.perf_counter()
    slow = rowwise(*inputs, frames.groups, now.tz_convert("UTC"))
    rowwise_s = time.perf_counter() - t0
    fast_ctx = RuleContext(
        now=ctx.now,
        tz=TZ,
        calendar=ctx.calendar,
        start=ctx.start,
        end=ctx.end,
        setup_deadline=ctx.setup_deadline,
    )
    fast = vectorised_statuses(frames, fast_ctx, sample)
    mismatches = [k for k, v in slow.items() if k[1] != "substitution" and fast.get(k) != v]
    assert not mismatches, (
        f"row-wise and vectorised disagree on {len(mismatches)}: {mismatches[:5]}"
    )
    per_lesson_rowwise = rowwise_s / args.sample
    per_lesson_engine = seconds / args.lessons
    print(
        f"memory: {rss_before_mb:.0f} MB holding the frames, peak {build_peak_mb:.0f} MB while "
        f"building them, peak {peak_mb:.0f} MB by the end of the rule run",
        file=sys.stderr,
    )
    print(
        f"row-wise: {args.sample:,} lessons in {rowwise_s:.2f} s; statuses agree", file=sys.stderr
    )
    print(
        f"RESULT lessons={args.lessons} seconds={seconds:.2f} "
        f"lessons_per_s={args.lessons / seconds:.0f} peak_rss_mb={peak_mb:.0f} "
        f"speedup_vs_rowwise={per_lesson_rowwise / per_lesson_engine:.0f}"
    )


if __name__ == "__main__":
    main()
