"""Judge an archived entry's observations again and compare with its archived findings.

Everything a replay needs is in the entry: the frames (``data/*.csv``), the as-of moment,
the period, the rules that ran with their parameters and the institution's calendar
settings (``audit.json``). The findings are compared on the contract's stored fields,
whatever their order; a difference is named by rule, group and lesson date.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from auditor.archive.entry import AUDIT, DATA_DIR, FINDINGS, findings_dtypes, frame_dtypes
from auditor.archive.tables import from_csv
from auditor.audit.runner import Filters, judge
from auditor.config import Config, InstitutionConfig
from auditor.contract.findings import STORED_FIELDS
from auditor.contract.frames import SPECS, Frames
from auditor.errors import ArchiveError

# What makes two findings the same finding; the other stored fields may change.
IDENTITY = ("rule_id", "kind", "group_id", "teacher_id", "lesson_id", "item", "subject_id")
STORED = tuple(f.name for f in STORED_FIELDS)
Row = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingDiff:
    change: Literal["added", "removed", "changed"]
    rule_id: str
    group: str  # the group's name, or its id
    lesson_date: str  # YYYY-MM-DD, or ""
    identity: dict[str, str]
    fields: tuple[str, ...] = ()  # for "changed": "name: archived → replayed"

    def __str__(self) -> str:
        where = f"group {self.group or '—'}, lesson {self.lesson_date or '—'}"
        ids = ", ".join(f"{k}={v}" for k, v in self.identity.items() if v and k != "rule_id")
        text = f"{self.change}: {self.rule_id} ({where}; {ids})"
        return text + ("; " + "; ".join(self.fields) if self.fields else "")


@dataclass(frozen=True, slots=True)
class ReplayResult:
    entry: str
    archived: int  # findings in the entry
    replayed: int  # findings of the replay
    differences: tuple[FindingDiff, ...]

    @property
    def identical(self) -> bool:
        return not self.differences


def load_entry(path: Path) -> tuple[dict[str, Any], Frames, pd.DataFrame]:
    """The entry's audit.json, frames and findings (exact dtypes)."""
    try:
        audit: dict[str, Any] = json.loads((path / AUDIT).read_text("utf-8"))
        frames = {
            name: from_csv((path / DATA_DIR / f"{name}.csv").read_bytes(), frame_dtypes(name))
            for name in SPECS
        }
        raw = (path / FINDINGS).read_bytes()
        header = raw.split(b"\n", 1)[0].decode("utf-8").split(",")
        findings = from_csv(raw, findings_dtypes(header))
    except (OSError, ValueError, KeyError) as exc:
        raise ArchiveError(f"cannot read the entry {path}: {exc}") from exc
    start, end = date.fromisoformat(audit["start"]), date.fromisoformat(audit["end"])
    return audit, Frames(start, end, **frames), findings


def replay_config(audit: dict[str, Any]) -> Config:
    """A config with the archived institution settings and rule parameters."""
    inst = dict(audit["institution"])
    inst["extra_holidays"] = tuple(inst.get("extra_holidays", ()))
    rules = {
        str(rule["id"]): {k: _tuples(v) for k, v in rule["params"].items()}
        for rule in audit["rules_run"]
    }
    return Config(institution=InstitutionConfig(**inst), rules=rules)


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def replay_entry(path: Path) -> ReplayResult:
    """Judge the entry at ``path`` again and compare with what it archived."""
    audit, frames, archived = load_entry(path)
    scope = {k: str(v) for k, v in audit.get("scope", {}).items()}
    result = judge(
        frames,
        replay_config(audit),
        datetime.fromisoformat(audit["as_of"]),
        frames.start,
        frames.end,
        only_rules=audit["rules"],
        filters=Filters(**scope),
    )
    differences = compare(archived, result.findings)
    return ReplayResult(path.name, len(archived), len(result.findings), tuple(differences))


def compare(archived: pd.DataFrame, replayed: pd.DataFrame) -> list[FindingDiff]:
    """The findings added, removed or changed from ``archived`` to ``replayed``."""
    before, after = _rows(archived), _rows(replayed)
    labels = {**_labels(archived), **_labels(replayed)}
    old_by: dict[Row, Counter[Row]] = {}
    new_by: dict[Row, Counter[Row]] = {}
    for rows, by in ((before, old_by), (after, new_by)):
        for row in rows:
            by.setdefault(_key(row), Counter())[row] += 1
    diffs: list[FindingDiff] = []
    for key in sorted(old_by.keys() | new_by.keys()):
        old, new = old_by.get(key, Counter()), new_by.get(key, Counter())
        if old == new:
            continue
        gone, came = list((old - new).elements()), list((new - old).elements())
        if len(gone) == 1 and len(came) == 1:
            changed = tuple(
                f"{name}: {a!r} → {b!r}"
                for name, a, b in zip(STORED, gone[0], came[0], strict=True)
                if a != b
            )
            diffs.append(_diff("changed", key, labels, changed))
            continue
        diffs += [_diff("removed", key, labels) for _ in gone]
        diffs += [_diff("added", key, labels) for _ in came]
    return diffs


def _key(row: Row) -> Row:
    return tuple(row[STORED.index(name)] for name in IDENTITY)


def _diff(
    change: Literal["added", "removed", "changed"],
    key: Row,
    labels: dict[Row, tuple[str, str]],
    fields: tuple[str, ...] = (),
) -> FindingDiff:
    identity = dict(zip(IDENTITY, key, strict=True))
    group, day = labels.get(key, (identity["group_id"], ""))
    return FindingDiff(change, identity["rule_id"], group, day, identity, fields)


def _rows(findings: pd.DataFrame) -> list[Row]:
    columns = [findings[name].map(_text) if name in findings else None for name in STORED]
    count = len(findings)
    return [tuple("" if col is None else str(col.iloc[i]) for col in columns) for i in range(count)]


def _labels(findings: pd.DataFrame) -> dict[Row, tuple[str, str]]:
    """Each finding's group name and lesson date, where the frame has them."""
    if "group" not in findings or "lesson_date" not in findings:
        return {}
    labels = {}
    for row, group, day in zip(
        _rows(findings), findings["group"], findings["lesson_date"], strict=True
    ):
        labels[_key(row)] = (_text(group), _text(day).removesuffix("T00:00:00"))
    return labels


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return str(value.isoformat())
    return str(value)
