"""Setup items judged as of a moment, from observations of the institution (clauses 2.2, 5.2).

ЭШ 2.0 shows the institution's state, never when it changed. The store keeps every fact of
every entity (``frames.facts``) as intervals of equal observed values; the value of a fact
*at a moment* is the value of its interval that began last at or before that moment. An item
(a student's parent account, the year structure, …) is judged on its state at its due
moment; for clause 2.2 that is 00:00 local of the day after ``ctx.setup_deadline``:

* **pending**: the due moment has not passed and the latest observation shows the item unmet;
* **met on time**: the last observation before the due moment shows it met (nothing reported);
* **violation**: that observation shows it unmet and no later one shows it met;
* **late**: unmet then, met at a later observation; ``closed_at`` = the first such observation,
  ``days_late`` = its local date minus the due day;
* **cannot prove**: nothing was observed before the due moment and the first observation after
  it already shows the item met (unmet there is a violation, or late once met).

An institution read (a staff-web sync) reads every part at one moment, so the ends of all the
fact intervals together are known read moments (``Window.reads``); this is also how a read
of empty lists is known. A read that changed nothing lies inside intervals, but its run
shows it (a staff-web run; a mobile run reads no institution pages). Between two consecutive
ends of an entity's intervals its state is constant, so the latest such check before the
due moment saw the judged state: the evidence names it ("последняя проверка").
Who is judged is decided at the *reference read*: the last read before the deadline or, when
the auditor first read the institution after it, the first read (whose entities were all
there "at the deadline" as far as anyone can tell).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.audit.calendar import deadline_of
from auditor.contract.findings import Status
from auditor.contract.values import PRESENT, TRUE
from auditor.lazy import numpy as np
from auditor.lazy import pandas as pd
from rules.base import RuleContext, as_known

if TYPE_CHECKING:
    from auditor.contract.frames import Frames

UTC = "UTC"
INSTITUTION = "institution"  # the entity of the institution-wide setup facts


@dataclass(frozen=True, slots=True)
class Window:
    """The setup deadline and the institution reads known at ``now``."""

    deadline: pd.Timestamp  # UTC: 00:00 local of the day after ctx.setup_deadline
    now: pd.Timestamp
    reads: pd.DatetimeIndex  # sorted UTC moments of recorded institution facts
    checks: pd.DatetimeIndex  # the reads and the ends of staff-web runs: for the evidence
    reference: pd.Timestamp | None  # the read that decides who is judged; None: never read

    @property
    def read_before(self) -> bool:
        return len(self.reads) > 0 and self.reads[0] < self.deadline


def setup_facts(frames: Frames, ctx: RuleContext) -> tuple[pd.DataFrame, Window]:
    """The fact intervals as known at ``ctx.now`` (later ones dropped), and the window."""
    if "setup" not in ctx.cache:
        now = pd.Timestamp(ctx.now).tz_convert(UTC)
        known = as_known(frames, ctx)  # runs started by now, with all they observed
        facts = known.facts.copy()
        reads = _moments(facts["first_seen_at"], facts["last_seen_at"])
        # A staff-web run reads the institution (a mobile one does not): a read that changed
        # nothing shows in no interval, but its run does (ended a little after the read).
        runs = known.runs[known.runs["kind"] != "mobile"]
        checks = _moments(facts["first_seen_at"], facts["last_seen_at"], runs["finished_at"])
        deadline = pd.Timestamp(deadline_of(ctx.setup_deadline, ctx.tz)).tz_convert(UTC)
        before = reads[reads < deadline]
        reference = before[-1] if len(before) else (reads[0] if len(reads) else None)
        ctx.cache["setup"] = (facts, Window(deadline, now, reads, checks, reference))
    cached: tuple[pd.DataFrame, Window] = ctx.cache["setup"]
    return cached


def _moments(*columns: pd.Series) -> pd.DatetimeIndex:
    moments = pd.concat([c.astype("datetime64[ns, UTC]") for c in columns], ignore_index=True)
    return pd.DatetimeIndex(moments.drop_duplicates().sort_values())


def state_at(facts: pd.DataFrame, kind: str, moment: pd.Timestamp | None) -> pd.DataFrame:
    """Each entity of ``kind`` present at ``moment``: index entity, one column per fact."""
    rows = facts[(facts["kind"] == kind)]
    rows = rows.iloc[:0] if moment is None else rows[rows["first_seen_at"] <= moment]
    last = rows.sort_values("first_seen_at", kind="stable").groupby(["entity", "fact"]).tail(1)
    wide = last.pivot(index="entity", columns="fact", values="value")
    wide.columns.name = None
    if PRESENT not in wide:
        wide[PRESENT] = pd.Series(dtype="str")
    return wide[wide[PRESENT] == TRUE]


def asof(points: pd.DataFrame, intervals: pd.DataFrame) -> pd.Series:
    """For each (entity, moment) point, the value of the entity's interval that began last
    at or before the moment (NaN: none yet)."""
    left = points[["entity", "moment"]].reset_index(names="row").sort_values("moment")
    right = intervals[["entity", "first_seen_at", "value"]].sort_values("first_seen_at")
    left["entity"], right["entity"] = left["entity"].astype("str"), right["entity"].astype("str")
    merged = pd.merge_asof(
        left, right, left_on="moment", right_on="first_seen_at", by="entity", direction="backward"
    )
    return merged.set_index("row")["value"].reindex(points.index)


def interval_ends(intervals: pd.DataFrame, entity: pd.Series | None = None) -> pd.DataFrame:
    """(entity, moment) of every first and last observation of the intervals, once each."""
    key = intervals["entity"] if entity is None else entity
    starts = pd.DataFrame({"entity": key, "moment": intervals["first_seen_at"]})
    ends = pd.DataFrame({"entity": key, "moment": intervals["last_seen_at"]})
    return pd.concat([starts, ends], ignore_index=True).drop_duplicates(ignore_index=True)


def timeline(
    facts: pd.DataFrame,
    kind: str,
    names: Iterable[str],
    entities: Iterable[str],
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each entity at every known end of its intervals (and the ``extra`` points), with the
    values of ``names`` as of then and ``until``, its next point; absent moments dropped."""
    names = list(names)
    wanted = facts[
        (facts["kind"] == kind)
        & facts["fact"].isin([PRESENT, *names])
        & facts["entity"].isin(list(entities))
    ]
    points = interval_ends(wanted)
    if extra is not None:
        extra = extra[extra["entity"].isin(points["entity"])]
        points = pd.concat([points, extra], ignore_index=True).drop_duplicates(ignore_index=True)
    points = points.sort_values(["entity", "moment"], ignore_index=True)
    points["until"] = points.groupby("entity")["moment"].shift(-1)
    for name in [PRESENT, *names]:
        points[name] = asof(points, wanted[wanted["fact"] == name])
    if kind != "setup":  # the institution-wide setup has no presence
        points = points[points[PRESENT] == TRUE]
    return points.reset_index(drop=True)


def judge(
    tl: pd.DataFrame, window: Window, *, pending: bool = True, cannot_prove: bool = True
) -> pd.DataFrame:
    """Judge items from their timeline (entity, moment, until, met, due, details…).

    One row per reported item: status, before (the state was seen before the due moment),
    checked_at (the observation judged), done_at, latest_at, and the judged row's details.
    """
    tl = tl.sort_values(["entity", "moment"], kind="stable", ignore_index=True)
    latest = tl.groupby("entity").tail(1)
    open_rows = tl[tl["due"] <= window.now]
    early = open_rows["moment"] < open_rows["due"]
    before = open_rows[early].groupby("entity").tail(1).assign(before=True)
    after = open_rows[~early]
    first = after.groupby("entity").head(1)
    first = first[~first["entity"].isin(before["entity"])].assign(before=False)
    ref = pd.concat([before, first], ignore_index=True)
    done = after[after["met"]].groupby("entity")["moment"].min()
    ref["done_at"] = _lookup(done, ref["entity"])
    unmet = ref[~ref["met"]]
    unmet = unmet.assign(
        status=np.where(unmet["done_at"].notna(), Status.LATE.value, Status.VIOLATION.value)
    )
    parts = [unmet]
    if cannot_prove:
        unproven = ref[ref["met"] & ~ref["before"]]
        parts.append(unproven.assign(status=Status.CANNOT_PROVE.value, done_at=unproven["moment"]))
    if pending:
        waiting = latest[(latest["due"] > window.now) & ~latest["met"]]
        never = pd.Series(pd.NaT, index=waiting.index, dtype="datetime64[ns, UTC]")
        parts.append(waiting.assign(status=Status.PENDING.value, before=True, done_at=never))
    judged = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
    last = latest.set_index("entity")
    latest_at = _last_read(window, _lookup(last["until"], judged["entity"]), None)
    judged["latest_at"] = latest_at.fillna(_lookup(last["moment"], judged["entity"]))
    limit = judged["due"].where(judged["status"] != Status.PENDING.value)
    checked = _last_read(window, judged["until"], limit).where(judged["before"])
    judged["checked_at"] = checked.fillna(judged["moment"]).astype("datetime64[ns, UTC]")
    return judged


def _lookup(by_entity: pd.Series, entities: pd.Series) -> pd.Series:
    """``by_entity``'s value for each entity (NaT/NaN where none), indexed like ``entities``."""
    return by_entity.reindex(entities.to_numpy()).set_axis(entities.index)


def _last_read(window: Window, until: pd.Series, limit: pd.Series | None) -> pd.Series:
    """The last known check before min(until, limit); NaT bounds nothing."""
    bound = until.astype("datetime64[ns, UTC]")
    if limit is not None:
        bound = pd.concat([bound, limit.astype("datetime64[ns, UTC]")], axis=1).min(axis=1)
    if len(window.checks) == 0:
        return pd.Series(pd.NaT, index=until.index, dtype="datetime64[ns, UTC]")
    reads = window.checks.tz_convert(UTC).tz_localize(None).to_numpy(dtype="datetime64[ns]")
    edge = bound.dt.tz_convert(UTC).dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    pos = np.where(np.isnat(edge), len(reads), np.searchsorted(reads, edge, side="left")) - 1
    found = pd.Series(reads[np.clip(pos, 0, None)], index=until.index).dt.tz_localize(UTC)
    return found.where(pos >= 0)


def institution_flag(facts: pd.DataFrame, window: Window, fact: str, **how: bool) -> pd.DataFrame:
    """Judge an institution-wide setup flag (``"true"`` when met), e.g. ``year_configured``."""
    tl = timeline(facts, "setup", [fact], [INSTITUTION])
    return judge(tl.assign(met=tl[fact] == TRUE, due=window.deadline), window, **how)


def first_group(group_ids: pd.Series) -> pd.Series:
    """The first (lowest) id of comma-separated group id lists, as nullable ints."""
    first = group_ids.fillna("").astype("str").str.split(",").str[0]
    return pd.to_numeric(first, errors="coerce").astype("Int64")
