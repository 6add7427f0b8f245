"""One sync run: plan, crawl, and only then hand the whole snapshot to the store.

The store sees nothing until the crawl has completed: a wrong password, a changed layout, a
page that stays broken or an interrupted run raises before :meth:`Store.record` is called,
so nothing of that run is written. The clock is a parameter: every observation is stamped
with ``clock()`` as its page arrives (the CLI passes the real clock, or a fixed ``--at``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from auditor.audit.calendar import institution_calendar
from auditor.source.http import HttpClient
from auditor.source.mobile_api import MobileApiClient
from auditor.source.parse_memo import ParseMemo
from auditor.source.snapshot import InstitutionSeen, SyncSnapshot, TransferFigures
from auditor.source.staff_web import StaffWebSession
from auditor.store.interface import PlanState, RunSummary, Store
from auditor.sync.mobile import crawl_mobile
from auditor.sync.plan import JournalPlan, month_of, plan_journals, window_days, year_months
from auditor.sync.pool import Counter, Progress
from auditor.sync.staff import StaffCrawler

log = logging.getLogger(__name__)

LOGIN_REQUESTS = 2  # a staff login: GET the form (its CSRF token), POST it

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    summary: RunSummary
    snapshot: SyncSnapshot
    plan: JournalPlan | None  # None for a mobile run
    elapsed_s: float  # real seconds, whatever the clock says


class _Transfer:
    """Counts of one run, as differences: a client may outlive a run (the demo's do)."""

    def __init__(self, http: HttpClient) -> None:
        self._http = http
        self._start = (http.stats.requests, http.stats.bytes)

    def figures(self, pages: int, overhead: int = 0) -> TransferFigures:
        """``pages`` read with ``overhead`` requests of their own (the login's).

        Every other request was a retry: a 5xx or 429 answer tried again, a page that
        arrived cut off and was fetched again, a read that met an expired session and its
        redirect to the login page. Counting them as the difference keeps the figures
        honest whatever caused the extra requests.
        """
        requests = self._http.stats.requests - self._start[0]
        size = self._http.stats.bytes - self._start[1]
        retries = max(requests - pages - overhead, 0)
        return TransferFigures(pages=pages, requests=requests, bytes=size, retries=retries)


def sync_staff(
    session: StaffWebSession,
    store: Store,
    *,
    clock: Clock,
    tz: ZoneInfo,
    full: bool = False,
    concurrency: int = 2,
    progress: Progress | None = None,
    extra_holidays: Iterable[date] = (),
    memo: ParseMemo | None = None,
) -> SyncOutcome:
    """Read the staff web app (full, or what can have changed) and record it.

    ``extra_holidays`` are the institution's configured extra days off
    (``institution.extra_holidays``): the planner must not expect lessons on them. A long-lived
    caller passes one ``memo`` to every run, so that pages unchanged since the last read are
    not parsed again.
    """
    began = time.monotonic()
    transfer, pages_before, logins_before = _Transfer(session.http), session.pages, session.logins
    started_at = clock()
    state = store.plan_state(started_at.astimezone(tz))
    session.ensure_login()  # a refused password fails here, before any page is read
    counter = Counter(progress)
    crawler = StaffCrawler(
        session, clock=clock, concurrency=concurrency, counter=counter, memo=memo
    )
    people = full or reads_people(state.people_seen_at, started_at.astimezone(tz))
    institution = crawler.institution(people=people)
    setup = institution.setup
    plan = plan_journals(
        state,
        now=started_at.astimezone(tz),
        full=full,
        groups=[g.id for g in institution.groups or ()],
        schedule=[(s.group_id, s.weekday) for s in institution.schedule or ()],
        year_start=setup.year_start if setup else None,
        year_end=setup.year_end if setup else None,
        calendar=institution_calendar(setup.vacations if setup else (), extra_holidays),
    )
    log.info(
        "staff sync at %s: %s, %d journal months, people pages %s",
        started_at.isoformat(timespec="minutes"),
        "full" if plan.full else "daily",
        len(plan.months),
        "read" if people else "not due",
    )
    journals = crawler.journals(plan.months)
    snapshot = SyncSnapshot(
        started_at=started_at,
        finished_at=clock(),
        kind="full" if plan.full else "daily",
        source=session.http.base_url,
        institution=institution,
        journals=journals,
        transfer=transfer.figures(
            session.pages - pages_before,
            overhead=LOGIN_REQUESTS * (session.logins - logins_before),
        ),
    )
    summary = store.record(snapshot)  # the run's only write, after the crawl completed
    _log_recorded(summary, snapshot)
    return SyncOutcome(summary, snapshot, plan, time.monotonic() - began)


EVENING = dt_time(22, 0)


def reads_people(seen_at: datetime | None, now: datetime) -> bool:
    """Whether this run reads the staff and pupil pages: twice a day, not at every poll.

    They are the heaviest pages and change slowly. The first run of each local day reads
    them, and so does the first run from 22:00 on, so that the state at midnight (which
    clause 2.2's deadline is judged on) is known from the evening poll.
    """
    if seen_at is None:
        return True
    seen = seen_at.astimezone(now.tzinfo)
    if seen.date() < now.date():
        return True
    return now.time() >= EVENING and seen.time() < EVENING


def mobile_months(state: PlanState, now: datetime, full: bool) -> list[str]:
    """Months a mobile run reads (per child, not per group: the API lists a child's week)."""
    today = now.date()
    if full or state.last_run_at is None:
        return year_months(state.year_start, state.year_end, today)
    months = {month_of(day) for day in window_days(state.last_run_at, now)}
    months |= {m for _group, m in state.open_months if m <= month_of(today)}
    return sorted(months)


def sync_mobile(
    clients: Sequence[MobileApiClient],
    http: HttpClient,
    store: Store,
    *,
    clock: Clock,
    tz: ZoneInfo,
    full: bool = False,
    concurrency: int = 2,
    progress: Progress | None = None,
) -> SyncOutcome:
    """Read the configured pupil/parent accounts' timetables and record what they show."""
    began = time.monotonic()
    transfer = _Transfer(http)
    started_at = clock()
    state = store.plan_state(started_at.astimezone(tz))
    local = started_at.astimezone(tz)
    months = mobile_months(state, local, full)
    journals, answers = crawl_mobile(
        clients,
        months,
        until=local.date(),
        clock=clock,
        concurrency=concurrency,
        counter=Counter(progress),
    )
    finished_at = clock()
    snapshot = SyncSnapshot(
        started_at=started_at,
        finished_at=finished_at,
        kind="mobile",
        source=http.base_url,
        institution=InstitutionSeen(observed_at=finished_at),
        journals=journals,
        transfer=transfer.figures(answers),
    )
    summary = store.record(snapshot)
    _log_recorded(summary, snapshot)
    return SyncOutcome(summary, snapshot, None, time.monotonic() - began)


def _log_recorded(summary: RunSummary, snapshot: SyncSnapshot) -> None:
    transfer = snapshot.transfer
    log.info(
        "run %d recorded: %d pages, %d requests (%d retried), %d new lessons, %d changes, "
        "%d first-seen entries, %d institution facts changed",
        summary.run_id,
        transfer.pages,
        transfer.requests,
        transfer.retries,
        summary.new_lessons,
        summary.changes,
        len(summary.first_seen),
        summary.fact_changes,
    )
