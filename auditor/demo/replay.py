"""Replay a period against the simulator: sync at the poll times of every day, as the
scheduler would, moving the simulated clock from poll to poll.

The poll times follow ``shared/DESIGN.md``: one close to midnight (23:50, so that an entry
made in the evening is seen before the deadline) and one early in the morning (07:00, so
that one made after midnight is seen empty at or after the deadline), plus two in the day.
Each poll is :func:`auditor.sync.service.run_sync`, the very call the CLI and the scheduler
make, with a configuration that points at the simulator (:func:`simulator_config`).
Used by the demo and by the tests that audit a synced period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditor.config import Config, SourceConfig
from auditor.domain import Role
from auditor.simulator.dataset import Dataset, staff_credential
from auditor.source.parse_memo import ParseMemo
from auditor.store.interface import Store
from auditor.sync.run import SyncOutcome
from auditor.sync.service import run_sync

POLL_TIMES: tuple[time, ...] = (time(7, 0), time(12, 0), time(18, 0), time(23, 50))
# The environment variable the demo's configuration names for the operator's password; the
# password itself is handed over in an environment mapping, never written to a file.
PASSWORD_ENV = "RUOBR_DEMO_PASSWORD"


def poll_moments(
    start: date, end: date, tz: ZoneInfo, polls: Sequence[time] = POLL_TIMES
) -> Iterator[datetime]:
    """Every poll moment from ``start`` to ``end`` inclusive, in time order."""
    day = start
    while day <= end:
        for moment in sorted(polls):
            yield datetime.combine(day, moment, tzinfo=tz)
        day += timedelta(days=1)


def simulator_config(
    base_url: str, dataset: Dataset, config: Config | None = None
) -> tuple[Config, dict[str, str]]:
    """A configuration that syncs the simulator as its operator, and the environment that
    holds the operator's password."""
    credential = staff_credential(dataset, Role.OPERATOR)
    base = config or Config()
    source = SourceConfig(
        base_url=base_url,
        mobile_base_url=f"{base_url}/api3d",
        username=credential.login,
        password_env=PASSWORD_ENV,
        min_interval_s=0.0,  # a local simulator needs no politeness pause
    )
    institution = replace(base.institution, timezone=dataset.institution.timezone)
    return replace(base, source=source, institution=institution), {
        PASSWORD_ENV: credential.password
    }


def replay(
    set_clock: Callable[[datetime], None],
    config: Config,
    environ: Mapping[str, str],
    store: Store,
    moments: Sequence[datetime],
    *,
    on_sync: Callable[[SyncOutcome], None] | None = None,
) -> list[SyncOutcome]:
    """Sync at each moment (the first sync of an empty store is a full one)."""
    outcomes: list[SyncOutcome] = []
    memo = ParseMemo()  # one process syncing again and again, as the scheduler does
    for moment in moments:
        set_clock(moment)
        for outcome in run_sync(config, store, clock=_fixed(moment), environ=environ, memo=memo):
            outcomes.append(outcome)
            if on_sync is not None:
                on_sync(outcome)
    return outcomes


def _fixed(moment: datetime) -> Callable[[], datetime]:
    """The simulated clock stands still during one sync: every page is read "at" the poll."""
    return lambda: moment
