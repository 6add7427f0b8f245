"""The one-paragraph account of a sync run that the CLI and the demo print."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from auditor.store.interface import FirstSeen
from auditor.sync.run import SyncOutcome

EXAMPLES = 3


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{n / 1000:.0f} kB" if n >= 1000 else f"{n} B"


def _value(text: str, limit: int = 40) -> str:
    return f"«{text}»" if len(text) <= limit else f"«{text[: limit - 1]}…»"


def first_seen_line(item: FirstSeen, tz: ZoneInfo) -> str:
    return (
        f"{item.field} of lesson {item.lesson_id} (group {item.group_id}, "
        f"{item.lesson_date:%d.%m.%Y}) {_value(item.value)} first seen "
        f"{item.seen_at.astimezone(tz):%d.%m.%Y %H:%M}"
    )


def describe(outcome: SyncOutcome, tz: ZoneInfo, *, examples: int = EXAMPLES) -> str:
    summary, snapshot, plan = outcome.summary, outcome.snapshot, outcome.plan
    moment = snapshot.started_at.astimezone(tz)
    transfer = snapshot.transfer
    parts = [
        f"{summary.kind.capitalize()} sync of {snapshot.source} at {moment:%d.%m.%Y %H:%M} "
        f"(run {summary.run_id}): {transfer.pages} pages in {transfer.requests} requests "
        f"({transfer.retries} retried), {_size(transfer.bytes)} in {outcome.elapsed_s:.1f} s"
    ]
    if plan is not None and not plan.full:
        days = f"{plan.window[0]:%d.%m}–{plan.window[-1]:%d.%m}" if plan.window else "—"
        parts.append(
            f"{len(plan.months)} journal months read: groups with lessons on {days}: "
            f"{len(plan.groups_with_lessons)}, without a schedule: {len(plan.unscheduled)}, "
            f"still-open months: {plan.reopened}, new groups: {plan.new_groups}"
        )
    elif plan is not None:
        parts.append(f"{len(plan.months)} journal months read (every month of the year so far)")
    seen = summary.first_seen
    text = "; ".join(parts) + (
        f". {summary.new_lessons} new lessons, {summary.changes} journal changes, "
        f"{summary.fact_changes} institution changes, {len(seen)} first-seen entries"
    )
    if seen:
        text += ", e.g. " + "; ".join(first_seen_line(x, tz) for x in seen[:examples])
    return text + "."
