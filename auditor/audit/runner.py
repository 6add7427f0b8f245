"""One audit, as the CLI and the scheduler run it: settings → store frames → engine → findings.

The library function behind ``auditor audit``: it builds the rule context (``now``, the
institution's time zone, the production calendar with the vacations seen in ЭШ 2.0, the
setup deadline of the audited academic year), runs the enabled rules with their configured
parameters, and filters the findings as asked.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from auditor import __version__
from auditor.audit import scope
from auditor.audit.as_of import frames_as_of
from auditor.audit.coverage import coverage
from auditor.audit.engine import AuditResult, calendar_from_frames, run_audit
from auditor.audit.scope import Match
from auditor.config import Config
from auditor.contract.frames import Frames
from auditor.domain import academic_year_start
from auditor.errors import ConfigError, NoObservationsError, UsageError
from auditor.store.interface import AuditStore
from rules._lessons import prepared_lessons
from rules.base import Rule, RuleContext
from rules.registry import ALL_RULES


@dataclass(frozen=True, slots=True)
class RuleSettings:
    rules: tuple[Rule, ...]  # the enabled ones, in registry order
    params: dict[str, Any]  # rule id → its Params instance

    def version(self) -> str:
        """The package version plus a digest of the rules that ran and their parameters:
        two audits with the same version judged by the same rules in the same way."""
        described = [
            [rule.id, rule.clause, dataclasses.asdict(self.params[rule.id])] for rule in self.rules
        ]
        digest = hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()
        return f"{__version__}+{digest[:10]}"

    def described(self) -> list[dict[str, Any]]:
        """Each rule that ran: id, clause, title and parameters (for the findings files)."""
        return [
            {
                "id": rule.id,
                "clause": rule.clause,
                "title": rule.title,
                "params": dataclasses.asdict(self.params[rule.id]),
            }
            for rule in self.rules
        ]


def rule_settings(config: Config, only: Sequence[str] = ()) -> RuleSettings:
    """Check ``[rules.<id>]`` against the registry; every problem reported at once."""
    unknown = [rule_id for rule_id in only if rule_id not in {rule.id for rule in ALL_RULES}]
    if unknown:
        raise UsageError(
            f"--rule {', '.join(unknown)}: no such rule", hint="`auditor rules list` names them"
        )
    problems: list[str] = []
    known = {rule.id: rule for rule in ALL_RULES}
    for rule_id in config.rules:
        if rule_id not in known:
            problems.append(f"rules.{rule_id}: unknown rule (see `auditor rules list`)")
    enabled: list[Rule] = []
    params: dict[str, Any] = {}
    for rule in ALL_RULES:
        table = dict(config.rules.get(rule.id, {}))
        on = table.pop("enabled", True)
        if not isinstance(on, bool):
            problems.append(f"rules.{rule.id}.enabled: expected true or false")
        fields = {f.name: f for f in dataclasses.fields(rule.params_type)}
        for name, value in table.items():
            if name not in fields:
                allowed = ", ".join(fields) or "none"
                problems.append(f"rules.{rule.id}.{name}: unknown parameter (known: {allowed})")
            elif not isinstance(value, type(getattr(rule.default_params(), name))):
                problems.append(f"rules.{rule.id}.{name}: expected {fields[name].type}")
        if problems:
            continue
        params[rule.id] = rule.params_type(**table)
        if (on and not only) or rule.id in only:
            enabled.append(rule)
    if problems:
        raise ConfigError(problems)
    return RuleSettings(tuple(enabled), params)


@dataclass(frozen=True, slots=True)
class Filters:
    """``--department``, ``--group``, ``--teacher``: an id or a name each (see scope.py)."""

    department: str | None = None
    group: str | None = None
    teacher: str | None = None


def setup_deadline_for(config: Config, period_start: date) -> date:
    """Clause 2.2's deadline in the academic year that contains ``period_start``."""
    inst = config.institution
    year = academic_year_start(period_start).year
    return date(year, inst.setup_deadline_month, inst.setup_deadline_day)


def run(
    store: AuditStore,
    config: Config,
    now: datetime,
    start: date,
    end: date,
    *,
    only_rules: Sequence[str] = (),
    filters: Filters = Filters(),
    record: bool = False,
) -> AuditResult:
    """Audit [start, end] as of ``now``; with ``record`` (the scheduler's audits, or asked
    for) the run, its parameters and its findings are kept in the store, within
    ``store.keep_audits``.

    A period with no completed observation run up to ``now`` has no result at all: it
    raises :class:`NoObservationsError` rather than report "nothing found".
    """
    if end < start:
        raise UsageError(f"the period ends ({end}) before it starts ({start})")
    result = judge(
        store.load_frames(start, end), config, now, start, end,
        only_rules=only_rules, filters=filters,
    )  # fmt: skip
    if record:
        store.record_audit(result.record(), keep=config.store.keep_audits)
    return result


def judge(
    loaded: Frames,
    config: Config,
    now: datetime,
    start: date,
    end: date,
    *,
    only_rules: Sequence[str] = (),
    filters: Filters = Filters(),
) -> AuditResult:
    """Judge frames already loaded for [start, end] as of ``now`` (a report that compares
    two moments loads the period once and judges it twice)."""
    settings = rule_settings(config, only_rules)
    frames = frames_as_of(loaded, now)
    matches = resolve_filters(frames, filters)  # a filter that misses fails before judging
    tz = config.institution.tz
    seen = coverage(frames.runs, frames.lessons, start, end, now, tz)
    if not seen.observed:
        raise NoObservationsError(
            f"no completed sync observed {start:%d.%m.%Y}–{end:%d.%m.%Y} up to "
            f"{now.astimezone(tz):%d.%m.%Y %H:%M}: there is nothing to judge",
            hint="run `auditor sync` (the scheduler does it daily), or audit a synced period",
        )
    extra = [date.fromisoformat(day) for day in config.institution.extra_holidays]
    ctx = RuleContext(
        now=now,
        tz=tz,
        calendar=calendar_from_frames(frames, extra),
        start=start,
        end=end,
        setup_deadline=setup_deadline_for(config, start),
    )
    judged = run_audit(frames, settings.rules, ctx, settings.params)
    return dataclasses.replace(
        judged,
        findings=select(judged.findings, matches),
        scope=matches,
        coverage=seen,
        rule_set_version=settings.version(),
        rules_run=tuple(settings.described()),
        frames=frames,
        # Only where the lesson rules prepared the lessons (a setup-only audit has none).
        due_lessons=due_lessons(frames, ctx) if "lessons" in ctx.cache else None,
    )


def due_lessons(frames: Frames, ctx: RuleContext) -> pd.DataFrame:
    """The journal's lessons of the period whose deadline has passed and that were held (not
    cancelled), with who taught them: the denominator of the reports' shares. The rules
    prepared this frame already (it is memoised in the context)."""
    lessons = prepared_lessons(frames, ctx)
    held = lessons[(lessons["deadline"] <= pd.Timestamp(ctx.now)) & ~lessons["cancelled"]]
    return held[["lesson_id", "group_id", "teacher_id", "date"]].reset_index(drop=True)


def resolve_filters(frames: Frames, filters: Filters) -> tuple[Match, ...]:
    """Each given filter resolved to exactly one entity, or a UsageError saying why not."""
    tables = (
        ("--department", filters.department, frames.departments, "department_id", "name"),
        ("--group", filters.group, frames.groups, "group_id", "name"),
        ("--teacher", filters.teacher, frames.staff, "staff_id", "full_name"),
    )
    matches = []
    for option, query, table, id_col, name_col in tables:
        if query:
            names = dict(zip(table[id_col].astype(int), table[name_col].astype(str), strict=True))
            matches.append(scope.resolve(option, query, names))
    return tuple(matches)


SCOPE_COLUMNS = {"--department": "department_id", "--group": "group_id", "--teacher": "teacher_id"}


def select(findings: pd.DataFrame, matches: Sequence[Match]) -> pd.DataFrame:
    """The findings of the matched department, group and teacher (all of them)."""
    for match in matches:
        findings = scope.narrow(findings, SCOPE_COLUMNS[match.option], match)
    return findings
