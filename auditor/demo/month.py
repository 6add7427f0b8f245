"""The demo's simulated month: sync September at the poll times, audit it, score it.

The simulator runs in a child process and its clock moves from poll to poll (07:00 and 23:50
local, then 07:00 on 1 October); each poll is a sync into the demo's store through
``run_sync``, as the scheduler will run them. Then the month is audited as of 1 October
07:30, the findings are written as XLSX and JSON, and compared with the answer key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from auditor.audit import runner as audit
from auditor.audit.engine import AuditResult
from auditor.demo.replay import poll_moments, replay, simulator_config
from auditor.report import export
from auditor.report.machine import Meta
from auditor.simulator.answer_key import AnswerKey
from auditor.simulator.dataset import Dataset
from auditor.simulator.process import simulator_process
from auditor.simulator.scoring import Score, score
from auditor.store import SqlStore
from auditor.sync.run import SyncOutcome
from auditor.sync.summary import describe

Echo = Callable[[str], None]

# The polls that prove same-day entry (shared/DESIGN.md): one close to midnight, so that an
# evening entry is seen before its deadline, and one in the morning, so that an entry still
# missing is seen empty after it. Polls during the day only refine when an entry was first
# seen; the scheduler may add them, the demo's month does without (it keeps to a minute).
DEMO_POLLS = (time(7, 0), time(23, 50))


@dataclass(frozen=True, slots=True)
class MonthResult:
    store_path: Path
    audit: AuditResult
    score: Score
    syncs: int
    requests: int


def month_moments(dataset: Dataset, first: date, last: date) -> list[datetime]:
    tz = dataset.institution.tz
    moments = list(poll_moments(first, last, tz, DEMO_POLLS))
    moments.append(datetime.combine(last + timedelta(days=1), time(7, 0), tzinfo=tz))
    return moments


def run_month(
    dataset: Dataset,
    key: AnswerKey,
    store_path: Path,
    *,
    first: date,
    last: date,
    seed: int,
    year: int,
    echo: Echo = lambda _line: None,
) -> MonthResult:
    """Replay ``first``..``last`` into a fresh store at ``store_path``, audit and score it."""
    tz = dataset.institution.tz
    for leftover in store_path.parent.glob(f"{store_path.name}*"):  # a previous run's store
        leftover.unlink()
    moments = month_moments(dataset, first, last)
    per_day: dict[date, list[SyncOutcome]] = {}

    def on_sync(outcome: SyncOutcome) -> None:
        day = outcome.snapshot.started_at.astimezone(tz).date()
        per_day.setdefault(day, []).append(outcome)
        if day == first:  # the first day in full: what each sync read and saw
            echo("      " + describe(outcome, tz, examples=2).replace("\n", "\n      "))
        elif outcome.snapshot.started_at.astimezone(tz).time() == time(23, 50):
            echo("      " + _day_line(day, per_day[day]))

    with simulator_process(moments[0], seed=seed, year=year) as sim:
        config, environ = simulator_config(sim.base_url, dataset)
        with SqlStore.open_path(store_path) as store:
            outcomes = replay(sim.set_clock, config, environ, store, moments, on_sync=on_sync)
            now = moments[-1] + timedelta(minutes=30)
            result = audit.run(store, config, now, first, last, record=True)
    return MonthResult(
        store_path=store_path,
        audit=result,
        score=score(result.findings, key, now, first, last),
        syncs=len(outcomes),
        requests=sum(o.snapshot.transfer.requests for o in outcomes),
    )


def _day_line(day: date, outcomes: list[SyncOutcome]) -> str:
    requests = sum(o.snapshot.transfer.requests for o in outcomes)
    new = sum(o.summary.new_lessons for o in outcomes)
    first_seen = sum(len(o.summary.first_seen) for o in outcomes)
    return (
        f"{day:%d.%m}: {len(outcomes)} syncs, {requests} requests, {new} new lessons, "
        f"{first_seen} entries seen for the first time"
    )


def report_month(result: MonthResult, out_dir: Path, tz_name: str, echo: Echo) -> None:
    from zoneinfo import ZoneInfo

    findings = result.audit.findings
    tz = ZoneInfo(tz_name)
    xlsx, json_path = out_dir / "findings.xlsx", out_dir / "findings.json"
    meta = Meta("ЦТ (демонстрация)", tz, generated_at=result.audit.now)
    export.write_file(result.audit, findings, "xlsx", xlsx, meta)
    export.write_file(result.audit, findings, "json", json_path, meta)
    echo(
        f"[4/5] audit of September as of {result.audit.now:%d.%m.%Y %H:%M}: "
        f"{len(findings)} findings from {len(result.audit.outcomes)} rules "
        f"({len(result.audit.errors)} rule errors)"
    )
    for line in export.summary_text(result.audit, findings, tz).splitlines():
        echo("      " + line)
    s = result.score
    echo(
        f"      against the generator's answer key: precision {s.precision:.3f}, "
        f"recall {s.recall:.3f} ({s.matched} of {s.expected} planted items found, "
        f"{s.found - s.matched} extra; late-by-days differ on {len(s.days_late_differ)})"
    )
    echo(f"      full findings: {xlsx} and {json_path}; store: {result.store_path}")
