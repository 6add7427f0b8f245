"""One sync as a library call: what the CLI, the demo and the scheduler all run.

:func:`run_sync` chooses the sources from the configuration (the staff web app when
``source.username`` is set, the mobile API when ``source.mobile_accounts`` are), reads every
secret before the first request, builds the clients, and runs each source's crawl into the
store with the institution's configured extra days off, so that the crawl planner and the
judge use the same calendar (:func:`auditor.audit.calendar.institution_calendar`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from auditor.config import Config
from auditor.errors import ConfigError
from auditor.source.parse_memo import ParseMemo
from auditor.store.interface import Store
from auditor.sync.connect import mobile_clients, staff_session
from auditor.sync.pool import Progress
from auditor.sync.run import Clock, SyncOutcome, sync_mobile, sync_staff

log = logging.getLogger(__name__)

SourceChoice = Literal["auto", "staff", "mobile"]
SOURCES: tuple[SourceChoice, ...] = ("auto", "staff", "mobile")


@dataclass(frozen=True, slots=True)
class Sources:
    staff: bool
    mobile: bool


def chosen_sources(config: Config, source: SourceChoice = "auto") -> Sources:
    """Which sources this run reads; a choice the configuration cannot serve is an error."""
    has_staff, has_mobile = bool(config.source.username), bool(config.source.mobile_accounts)
    staff = source == "staff" or (source == "auto" and has_staff)
    mobile = source == "mobile" or (source == "auto" and has_mobile)
    if mobile and not has_mobile:
        raise ConfigError(["source.mobile_accounts: none configured"])
    if not staff and not mobile:
        raise ConfigError(
            ["source.username: empty, and no source.mobile_accounts either"],
            hint="set source.username to the operator account's login "
            "(its password goes into the variable named by source.password_env)",
        )
    return Sources(staff=staff, mobile=mobile)


def run_sync(
    config: Config,
    store: Store,
    *,
    clock: Clock,
    source: SourceChoice = "auto",
    full: bool = False,
    progress: Progress | None = None,
    environ: Mapping[str, str] | None = None,
    on_outcome: Callable[[SyncOutcome], None] | None = None,
    memo: ParseMemo | None = None,
) -> list[SyncOutcome]:
    """Read the chosen sources into ``store``, one recorded run per source.

    Secrets are read (and a missing one reported) before any request is sent; a source
    that fails raises before its run is recorded, and a run already recorded stays.
    ``on_outcome`` hears of each recorded run as soon as it is recorded. A process that syncs
    again and again (the scheduler, the demo) keeps one ``memo`` for all its runs.
    """
    sources = chosen_sources(config, source)
    src, tz = config.source, config.institution.tz
    extra_holidays = tuple(date.fromisoformat(day) for day in config.institution.extra_holidays)
    password = src.password.reveal(environ) if sources.staff else ""
    session = staff_session(src, password, clock=clock) if sources.staff else None
    mobile = mobile_clients(src, environ, clock=clock) if sources.mobile else None
    outcomes: list[SyncOutcome] = []
    if session is not None:
        log.info("sync of the staff web app at %s (full=%s)", src.base_url, full)
        _done(
            outcomes,
            on_outcome,
            sync_staff(
                session,
                store,
                clock=clock,
                tz=tz,
                full=full,
                concurrency=src.concurrency,
                progress=progress,
                extra_holidays=extra_holidays,
                memo=memo,
            ),
        )
    if mobile is not None:
        http, clients = mobile
        log.info("sync of %d mobile account(s) at %s", len(clients), src.mobile_base_url)
        _done(
            outcomes,
            on_outcome,
            sync_mobile(
                clients,
                http,
                store,
                clock=clock,
                tz=tz,
                full=full,
                concurrency=src.concurrency,
                progress=progress,
            ),
        )
    return outcomes


def _done(
    outcomes: list[SyncOutcome],
    on_outcome: Callable[[SyncOutcome], None] | None,
    outcome: SyncOutcome,
) -> None:
    outcomes.append(outcome)
    if on_outcome is not None:
        on_outcome(outcome)
