"""What a rule is: a declaration plus a pure check over pandas frames.

A rule module declares one :class:`Rule`: a stable id, the regulation clause it enforces, a
title and an explanation in Russian, a severity, its parameters (a frozen dataclass with
defaults, overridable per rule in the config), and ``check(frames, params, ctx)``, which
returns the offending rows as a frame with the contract's ``RESULT_COLUMNS``. A rule does no I/O and
reads no clock: the engine passes ``now``, the time zone and the calendar in ``ctx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from auditor.audit.as_of import frames_as_of
from auditor.audit.calendar import ProductionCalendar
from auditor.contract.findings import RESULT_COLUMNS, Severity
from auditor.lazy import pandas as pd

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class RuleContext:
    now: datetime
    tz: ZoneInfo
    calendar: ProductionCalendar
    start: date  # the audited period, inclusive
    end: date
    setup_deadline: date  # clause 2.2: "на 8 сентября" of the audited academic year
    # Work shared by several rules within one audit run (e.g. the prepared lessons frame);
    # it lives and dies with this context, so there is no global state.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def as_known(frames: Frames, ctx: RuleContext) -> Frames:
    """``frames`` as known at ``ctx.now``: only runs started by then (auditor.audit.as_of).

    The engine already hands rules such frames; a rule called on its own (tests) gets the
    same view through this, computed once per context."""
    if "as_of" not in ctx.cache:
        ctx.cache["as_of"] = frames_as_of(frames, ctx.now)
    known: Frames = ctx.cache["as_of"]
    return known


def empty_result() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in RESULT_COLUMNS.items()})


def result_frame(data: dict[str, Any], index: pd.Index | None = None) -> pd.DataFrame:
    """Build a result frame; columns not given get their null value."""
    frame = pd.DataFrame(data, index=index)
    for name, dtype in RESULT_COLUMNS.items():
        if name not in frame:
            frame[name] = pd.Series(dtype=dtype, index=frame.index)
        elif dtype.startswith("datetime64[ns, "):
            # numpy hands back naive UTC values: read them as UTC, never as local time
            frame[name] = pd.to_datetime(frame[name], utc=True).astype(dtype)
        elif dtype.startswith("datetime64"):  # a calendar date: naive on purpose
            frame[name] = pd.to_datetime(frame[name]).astype(dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame[list(RESULT_COLUMNS)].reset_index(drop=True)


Check = Callable[["Frames", Any, RuleContext], "pd.DataFrame"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    clause: str
    title: str  # Russian
    explanation: str  # Russian: the policy in plain words
    severity: Severity
    params_type: type
    check: Check
    example: str  # Russian: an example finding, for `auditor rules explain`

    def default_params(self) -> Any:
        return self.params_type()
