"""The demo's simulated month: September as ``auditor serve`` runs it, audited and scored.

The simulator runs in a child process. The scheduler's jobs run on a simulated clock that
moves from fire to fire, and the simulator's clock with it (:mod:`auditor.demo.scheduled`):
a sync at 07:00 and 23:50 local every day, through ``run_sync``; for the month's last days
also the teachers' evening reminders (with a sync of their own at 20:00) and the department
heads' digests at 07:30, mailed to the demo's SMTP server, which files them as
``DIR/mail/*.eml``. Then the month is audited as of 1 October 07:30, the findings are
written as XLSX and JSON, and compared with the answer key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from auditor.audit import runner as audit
from auditor.audit.engine import AuditResult
from auditor.config import Config
from auditor.demo.replay import poll_moments, simulator_config
from auditor.demo.scheduled import SimulatedClock, demo_schedule_config, run_scheduled
from auditor.report import export
from auditor.report.machine import Meta
from auditor.schedule.agenda import JobId
from auditor.schedule.runner import Ran
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
# The mail jobs (reminders at 20:00, digests at 07:30) run over the month's last days, from
# the morning MAIL_DAYS - 2 days before its last: each digest judges the whole month so far.
MAIL_DAYS = 3


@dataclass(frozen=True, slots=True)
class MonthResult:
    store_path: Path
    audit: AuditResult
    score: Score
    syncs: int
    requests: int
    runs: list[Ran]
    config: Config  # the scheduler's: the simulator, the demo's mail server and directory


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
    mail_port: int,
    echo: Echo = lambda _line: None,
) -> MonthResult:
    """Run the scheduler over ``first``..``last`` into a fresh store at ``store_path`` (its
    mail to the SMTP server on 127.0.0.1:``mail_port``), then audit and score the month."""
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

    now = moments[-1] + timedelta(minutes=30)  # the morning after: its digests' time
    mail_from = datetime.combine(last - timedelta(days=MAIL_DAYS - 2), time(6, 0), tzinfo=tz)
    with simulator_process(moments[0], seed=seed, year=year) as sim:
        sim_config, environ = simulator_config(sim.base_url, dataset)
        config = demo_schedule_config(sim_config, dataset, mail_port)
        with SqlStore.open_path(store_path) as store:
            clock = SimulatedClock(moments[0] - timedelta(hours=1), sim.set_clock)
            month = run_scheduled(config, environ, store, clock, now, mail_from, on_sync)
            result = audit.run(store, config, now, first, last, record=True)
    return MonthResult(
        store_path=store_path,
        audit=result,
        score=score(result.findings, key, now, first, last),
        syncs=len(month.syncs),
        requests=sum(o.snapshot.transfer.requests for o in month.syncs),
        runs=month.runs,
        config=config,
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
    findings = result.audit.findings
    tz = ZoneInfo(tz_name)
    xlsx, json_path = out_dir / "findings.xlsx", out_dir / "findings.json"
    meta = Meta("ЦТ (демонстрация)", tz, generated_at=result.audit.now)
    export.write_file(result.audit, findings, "xlsx", xlsx, meta)
    export.write_file(result.audit, findings, "json", json_path, meta)
    echo(
        f"[4/6] audit of September as of {result.audit.now:%d.%m.%Y %H:%M}: "
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


def scheduler_lines(result: MonthResult, tz: ZoneInfo) -> list[str]:
    """What the scheduler's mail jobs did, a line per run, and where the mail is."""
    lines = []
    for ran in result.runs:
        if ran.job_id == JobId.SYNC.value:
            continue
        detail = ran.detail if len(ran.detail) < 90 else ran.detail[:87] + "..."
        lines.append(f"{ran.due_at.astimezone(tz):%d.%m %H:%M} {ran.job_id}: {detail}")
    return lines
