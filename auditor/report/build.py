"""Which reports to prepare, as the CLI, the demo and the scheduler ask for them.

One call per report kind returns the prepared reports (one per reader); writing them in
formats is :mod:`auditor.report.outputs`' job, sending them the delivery's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from auditor.audit import runner, scope
from auditor.config import Config
from auditor.contract.frames import Frames
from auditor.report.adhoc import audit_report
from auditor.report.common import Kind, Report
from auditor.report.daily import daily_report, judge_day
from auditor.report.monthly import deputy_report, head_report, judge_month
from auditor.report.reminder import reminders
from auditor.report.setup import setup_reports
from auditor.store.interface import AuditStore


@dataclass(frozen=True, slots=True)
class Request:
    """What to prepare: the kind, and the day, month or period it is about."""

    kind: Kind
    now: datetime  # the moment the reports are prepared as of
    day: date | None = None  # daily: the digest's day; reminder: the lessons' day
    since: date | None = None  # daily: the previous digest's day (default: previous working)
    month: str | None = None  # head-monthly, monthly: YYYY-MM
    start: date | None = None  # audit: the period
    end: date | None = None
    department: str | None = None  # an id, a name or words of it; None: every department
    filters: runner.Filters = field(default_factory=runner.Filters)  # audit only
    charts: bool = True


def departments(frames: Frames, query: str | None) -> dict[int, str]:
    """The departments asked for (all of them without a query), by id."""
    table = frames.departments
    names = dict(zip(table["department_id"].astype(int), table["name"].astype(str), strict=True))
    if not query:
        return names
    match = scope.resolve("--department", query, names)
    return {match.id: names[match.id]}


def prepare(store: AuditStore, config: Config, request: Request) -> list[Report]:
    kind = request.kind
    if kind is Kind.DAILY:
        assert request.day is not None
        current, before = judge_day(store, config, request.day, request.since)
        assert current.frames is not None
        chosen = departments(current.frames, request.department)
        return [daily_report(config, current, before, i, n) for i, n in chosen.items()]
    if kind in (Kind.HEAD_MONTHLY, Kind.MONTHLY):
        assert request.month is not None
        result = judge_month(store, config, request.month, request.now)
        if kind is Kind.MONTHLY:
            return [deputy_report(config, result, request.month, charts=request.charts)]
        assert result.frames is not None
        chosen = departments(result.frames, request.department)
        return [head_report(config, result, request.month, i, n) for i, n in chosen.items()]
    if kind is Kind.REMINDER:
        assert request.day is not None
        return reminders(store, config, request.day, request.now)
    if kind is Kind.SETUP:
        operator, deputy = setup_reports(store, config, request.now, charts=request.charts)
        return [operator, deputy]
    assert request.start is not None and request.end is not None
    result = runner.run(
        store, config, request.now, request.start, request.end, filters=request.filters
    )
    return [audit_report(config, result)]
