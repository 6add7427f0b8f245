"""What ``auditor archive`` does: archive the closed months and the recorded audits.

A month is closed once its last day has passed in the institution's time zone (every entry
of the month was due by then). Its entry holds the month's observations and the findings of
all enabled rules judged as of the archiving moment. A recorded audit's entry holds the
observations of its period and the findings the store kept, with its own as-of moment.
"""

from __future__ import annotations

import calendar
import json
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from auditor import __version__
from auditor.archive import layout
from auditor.archive.entry import AUDIT, EntryContent, write_entry
from auditor.archive.interface import ArchivedEntry, Signer
from auditor.archive.signing import load_signer
from auditor.audit.runner import judge, rule_settings
from auditor.config import Config
from auditor.contract.findings import AuditRecord
from auditor.contract.frames import Frames
from auditor.errors import ArchiveError, NoObservationsError
from auditor.store.info import StoreInfo

log = logging.getLogger(__name__)


class ArchiveStore(Protocol):
    def load_frames(self, start: date, end: date) -> Frames: ...

    def info(self) -> StoreInfo: ...

    def recorded_audits(self) -> list[tuple[int, AuditRecord]]: ...

    def recorded_audit(self, audit_id: int) -> AuditRecord | None: ...


def month_bounds(month: str) -> tuple[date, date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise ArchiveError(f"{month!r} is not a month such as 2025-09") from None
    if len(month) != 7:
        raise ArchiveError(f"{month!r} is not a month such as 2025-09")
    return first, date(year, number, calendar.monthrange(year, number)[1])


def institution_settings(config: Config) -> dict[str, Any]:
    inst = config.institution
    return {
        "timezone": inst.timezone,
        "extra_holidays": list(inst.extra_holidays),
        "setup_deadline_month": inst.setup_deadline_month,
        "setup_deadline_day": inst.setup_deadline_day,
    }


def _destinations(config: Config) -> tuple[Path, ...]:
    paths = config.archive.destination_paths
    if not paths:
        raise ArchiveError("archive.destinations is empty", hint="set [archive] in the config")
    return paths


def archived(config: Config) -> list[dict[str, Any]]:
    """The audit.json of every entry in the first destination (what is archived already),
    each with its entry's name under ``"entry"``."""
    destination = _destinations(config)[0]
    if not destination.is_dir():
        return []
    found = []
    for name in layout.entries(destination):
        try:
            audit = json.loads((destination / name / AUDIT).read_text("utf-8"))
            found.append({**audit, "entry": name})
        except (OSError, ValueError) as exc:
            raise ArchiveError(
                f"cannot read {destination / name / AUDIT}: {exc}",
                hint="run `auditor archive verify`",
            ) from exc
    return found


def archive_month(
    store: ArchiveStore,
    config: Config,
    month: str,
    now: datetime,
    reports: Sequence[Path] = (),
    *,
    signer: Signer | None = None,
) -> ArchivedEntry:
    """Archive the closed ``month`` (``YYYY-MM``): its observations, its findings judged as
    of ``now`` by the enabled rules, and ``reports``; one copy per destination."""
    start, end = month_bounds(month)
    if now.astimezone(config.institution.tz).date() <= end:
        raise ArchiveError(f"{month} is not closed yet: it can be archived from {end} on")
    for done in archived(config):
        if done.get("kind") == "month" and done.get("period") == month:
            raise ArchiveError(f"{month} is archived already ({done['entry']})")
    loaded = store.load_frames(start, end)
    result = judge(loaded, config, now, start, end)
    audit = {
        "kind": "month",
        "period": month,
        "as_of": now.isoformat(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "rules": [o.rule_id for o in result.outcomes],
        "rules_run": list(result.rules_run),
        "rule_set_version": result.rule_set_version,
        "rule_params_known": True,
        "package_version": __version__,
        "institution": institution_settings(config),
        "scope": {},
        "errors": [f"{o.rule_id}: {o.error.splitlines()[0]}" for o in result.errors],
        "findings": len(result.findings),
    }
    content = EntryContent("month", month, loaded, result.findings, audit, reports)
    return _write(config, content, now, signer)


def archive_audit(
    store: ArchiveStore,
    config: Config,
    audit_id: int,
    now: datetime,
    *,
    signer: Signer | None = None,
) -> ArchivedEntry:
    """Archive the recorded audit ``audit_id``: the observations of its period, its findings
    as the store kept them, its as-of moment and parameters."""
    record = store.recorded_audit(audit_id)
    if record is None:
        raise ArchiveError(f"there is no recorded audit {audit_id} in the store")
    rules = rule_settings(config, record.rules)
    # The store keeps the rule set's version (a digest of rules and parameters), not the
    # parameters: the configured ones are those used exactly when the digests agree.
    known = rules.version() == record.params.get("rule_set")
    if not known:
        log.warning("audit %s: rule parameters differ from today's config", audit_id)
    audit = {
        "kind": "audit",
        "audit_id": audit_id,
        "period": f"{record.start.isoformat()}_{record.end.isoformat()}",
        "as_of": record.judged_at.isoformat(),
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "rules": list(record.rules),
        "rules_run": rules.described(),
        "rule_set_version": record.params.get("rule_set", ""),
        "rule_params_known": known,
        "package_version": __version__,
        "institution": institution_settings(config),
        "scope": dict(record.params.get("scope", {})),
        "errors": list(record.errors),
        "findings": len(record.findings),
    }
    period = f"{record.start:%Y%m%d}-{record.end:%Y%m%d}-a{audit_id}"
    frames = store.load_frames(record.start, record.end)
    content = EntryContent("audit", period, frames, record.findings, audit)
    return _write(config, content, now, signer)


def _write(
    config: Config, content: EntryContent, now: datetime, signer: Signer | None
) -> ArchivedEntry:
    signer = signer or load_signer(config.archive.key)
    entry = write_entry(_destinations(config), signer, content, now)
    log.info("archived %s (%d copies)", entry.name, len(entry.paths))
    return entry


def closed_months(info: StoreInfo, config: Config, now: datetime) -> list[str]:
    """The months from the first observation to the last month closed at ``now``."""
    if info.first_observation is None:
        return []
    tz = config.institution.tz
    first = info.first_observation.astimezone(tz).date().replace(day=1)
    today = now.astimezone(tz).date()
    months = []
    while first < today.replace(day=1):
        months.append(f"{first:%Y-%m}")
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


def archive_pending(
    store: ArchiveStore,
    config: Config,
    now: datetime,
    *,
    signer: Signer | None = None,
    ready: Callable[[str], bool] = lambda _month: True,
    reports: Callable[[str], Sequence[Path]] = lambda _month: (),
) -> list[ArchivedEntry]:
    """Every closed month not archived yet (months with no observation skipped), then every
    recorded audit not archived yet, oldest first. ``ready``: whether a closed month may be
    archived yet (the scheduler waits for its monthly reports); ``reports``: the report
    files to archive with a month."""
    signer = signer or load_signer(config.archive.key)
    done = archived(config)
    months = {d["period"] for d in done if d.get("kind") == "month"}
    audits = {(d.get("as_of"), d.get("start"), d.get("end")) for d in done if d["kind"] == "audit"}
    written = []
    for month in closed_months(store.info(), config, now):
        if month in months or not ready(month):
            continue
        try:
            written.append(archive_month(store, config, month, now, reports(month), signer=signer))
        except NoObservationsError:
            log.info("%s: nothing observed, not archived", month)
    for audit_id, record in store.recorded_audits():
        key = (record.judged_at.isoformat(), record.start.isoformat(), record.end.isoformat())
        if key not in audits:
            written.append(archive_audit(store, config, audit_id, now, signer=signer))
    return written
