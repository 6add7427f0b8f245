"""The rule engine: run every enabled rule over a period's frames and collect findings.

The engine loads nothing and reads no clock itself: it gets the frames, ``now`` and the
calendar. A rule that raises becomes an ``error`` outcome; the other rules still run. The
findings come back as one frame (fast for a million lessons) with names joined in; its
columns are the contract's ``FINDING_FIELDS``.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.audit.calendar import ProductionCalendar, institution_calendar
from auditor.audit.coverage import Coverage
from auditor.audit.scope import Match
from auditor.contract.findings import FINDING_COLUMNS, RESULT_COLUMNS, AuditRecord, Outcome
from rules.base import Rule, RuleContext, as_known

if TYPE_CHECKING:
    from auditor.contract.frames import Frames

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    rule_id: str
    clause: str
    outcome: Outcome
    findings: int
    seconds: float
    error: str = ""


@dataclass(frozen=True, slots=True)
class AuditResult:
    now: datetime
    start: date
    end: date
    findings: pd.DataFrame  # FINDING_COLUMNS
    outcomes: tuple[RuleOutcome, ...] = field(default=())
    coverage: Coverage | None = None  # what the judgement rests on (the runner adds it)
    rule_set_version: str = ""  # the runner adds it: version + digest of rules and params
    rules_run: tuple[dict[str, Any], ...] = ()  # id, clause, title, params of each rule
    scope: tuple[Match, ...] = ()  # the filters the findings were narrowed to
    # What the runner judged, for reports (never recorded): the frames as of ``now``, and
    # the held lessons past their deadline (lesson_id, group_id, teacher_id, date).
    frames: Frames | None = None
    due_lessons: pd.DataFrame | None = None

    @property
    def errors(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.outcome is Outcome.ERROR)

    def record(self) -> AuditRecord:
        """The value the store keeps of this audit."""
        return AuditRecord(
            judged_at=self.now,
            start=self.start,
            end=self.end,
            rules=tuple(o.rule_id for o in self.outcomes),
            errors=tuple(f"{o.rule_id}: {o.error.splitlines()[0]}" for o in self.errors),
            findings=self.findings,
            params={
                "as_of": self.now.isoformat(),
                "rule_set": self.rule_set_version,
                "scope": {m.option.lstrip("-"): m.id for m in self.scope},
            },
        )


def calendar_from_frames(frames: Frames, extra_holidays: Iterable[date] = ()) -> ProductionCalendar:
    """The institution's calendar with the vacations last seen in ЭШ 2.0 (the setup frame)."""
    vacations: list[tuple[date, date]] = []
    if not frames.setup.empty:
        text = str(frames.setup["vacations"].iloc[0] or "")
        for pair in filter(None, text.split(",")):
            first, last = pair.split("/")
            vacations.append((date.fromisoformat(first), date.fromisoformat(last)))
    return institution_calendar(vacations, extra_holidays)


def run_audit(
    frames: Frames,
    rules: Iterable[Rule],
    ctx: RuleContext,
    params_by_rule: Mapping[str, Any] | None = None,
) -> AuditResult:
    params_by_rule = params_by_rule or {}
    frames = as_known(frames, ctx)  # one "as of" for every rule (auditor.audit.as_of)
    parts: list[pd.DataFrame] = []
    outcomes: list[RuleOutcome] = []
    for rule in rules:
        started = time.perf_counter()
        params = params_by_rule.get(rule.id, rule.default_params())
        try:
            rows = rule.check(frames, params, ctx)
            missing = set(RESULT_COLUMNS) - set(rows.columns)
            if missing:
                raise TypeError(f"result lacks columns {sorted(missing)}")
        except Exception as exc:  # one broken rule must not stop the audit
            log.error("rule %s failed: %s: %s", rule.id, type(exc).__name__, exc)
            outcomes.append(
                RuleOutcome(
                    rule.id, rule.clause, Outcome.ERROR, 0, time.perf_counter() - started,
                    error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}",
                )
            )  # fmt: skip
            continue
        rows = rows[list(RESULT_COLUMNS)].copy()
        rows.insert(0, "rule_id", rule.id)
        rows.insert(1, "clause", rule.clause)
        rows.insert(2, "severity", rule.severity.value)
        parts.append(rows)
        elapsed = time.perf_counter() - started
        log.debug("rule %s: %d rows in %.3f s", rule.id, len(rows), elapsed)
        outcomes.append(RuleOutcome(rule.id, rule.clause, Outcome.OK, len(rows), elapsed))
    combined = (
        pd.concat([p for p in parts if not p.empty], ignore_index=True)
        if any(not p.empty for p in parts)
        else _empty_raw()
    )
    return AuditResult(ctx.now, ctx.start, ctx.end, enrich(combined, frames), tuple(outcomes))


def _empty_raw() -> pd.DataFrame:
    frame = pd.DataFrame({n: pd.Series(dtype=t) for n, t in RESULT_COLUMNS.items()})
    for pos, name in enumerate(("rule_id", "clause", "severity")):
        frame.insert(pos, name, pd.Series(dtype="str"))
    return frame


def enrich(raw: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    """Join names (department, association, group, teacher) and lesson date and time."""
    groups = frames.groups.set_index("group_id")
    associations = frames.associations.set_index("association_id")["name"]
    departments = frames.departments.set_index("department_id")["name"]
    staff = frames.staff.set_index("staff_id")["full_name"]
    lessons = frames.lessons.set_index("lesson_id")
    out = raw.copy()
    group_ids = out["group_id"]
    out["group"] = _names(group_ids, groups["name"])
    out["association"] = _names(group_ids.map(groups["association_id"]), associations)
    out["department_id"] = group_ids.map(groups["department_id"]).astype("Int64")
    out["department"] = _names(out["department_id"], departments)
    out["teacher"] = _names(out["teacher_id"], staff)
    # reindex, not Series.map: pandas 3 cannot map through an empty datetime/timedelta
    # series (no lessons in the period, only setup findings)
    lesson_ids = out["lesson_id"].to_numpy()
    looked_up_date = pd.Series(lessons["date"].reindex(lesson_ids).to_numpy(), index=out.index)
    looked_up_time = pd.Series(
        lessons["start_time"].reindex(lesson_ids).to_numpy(), index=out.index
    )
    out["lesson_date"] = out["lesson_date"].fillna(looked_up_date).astype("datetime64[ns]")
    out["lesson_time"] = out["lesson_time"].fillna(looked_up_time).astype("timedelta64[ns]")
    return out[list(FINDING_COLUMNS)]


def _names(ids: pd.Series, names: pd.Series) -> pd.Series:
    """Names for ids ("" where unknown), whatever the dtypes of an empty lookup."""
    return ids.map(names).astype(object).fillna("").astype("str")
