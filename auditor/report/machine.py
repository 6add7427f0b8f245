"""Findings for machines: the JSON document and the CSV table, a contract with their users.

Both carry the stable English codes of the findings contract (rule id, status, severity,
kind) with the Russian labels in separate fields; moments are ISO 8601 with the
institution's offset, dates ``YYYY-MM-DD``, times ``HH:MM``. The JSON document is one object:
metadata (institution, period, as-of, generated at, rule set, coverage, counts) and the
findings. Its JSON Schema is generated from the contract (:func:`findings_schema`) and kept
in ``docs/findings.schema.json``; docs/findings.md describes it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from auditor.audit.engine import AuditResult
from auditor.contract.findings import (
    BREACHES,
    FINDING_FIELDS,
    GAPS,
    SEVERITY_RU,
    STATUS_RU,
    FindingField,
    Severity,
    Status,
)
from auditor.lazy import pandas as pd

FORMAT = "ruobr-auditor-findings"
VERSION = 1
LABEL_FIELDS = ("status_label", "severity_label", "rule_title")
DOCUMENT_KEYS = (
    "format", "version", "institution", "timezone", "period", "as_of", "generated_at",
    "rule_set", "coverage", "counts", "findings",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Meta:
    """What a findings file says about itself beyond the audit result."""

    institution: str
    tz: ZoneInfo
    generated_at: datetime


def _value(spec: FindingField, value: Any, tz: ZoneInfo) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "" if spec.kind in ("code", "text") else None
    if spec.kind in ("id", "count"):
        return int(value)
    if spec.kind == "date":
        return pd.Timestamp(value).date().isoformat()
    if spec.kind == "time":
        return (pd.Timestamp(0) + pd.Timedelta(value)).strftime("%H:%M")
    if spec.kind == "moment":
        return pd.Timestamp(value).tz_convert(tz).isoformat(timespec="seconds")
    return str(value)


def records(findings: pd.DataFrame, tz: ZoneInfo, titles: dict[str, str]) -> list[dict[str, Any]]:
    """One plain dict per finding: the contract's fields, then the Russian labels."""
    rows = []
    for row in findings.itertuples(index=False):
        record = {f.name: _value(f, getattr(row, f.name), tz) for f in FINDING_FIELDS}
        record["status_label"] = STATUS_RU[Status(record["status"])]
        record["severity_label"] = SEVERITY_RU[Severity(record["severity"])]
        record["rule_title"] = titles.get(record["rule_id"], "")
        rows.append(record)
    return rows


def counts(findings: pd.DataFrame) -> dict[str, Any]:
    """Breaches (late, missing, violation) apart from monitoring gaps (cannot prove)."""
    by_status = {str(k): int(v) for k, v in findings["status"].value_counts().items()}
    return {
        "findings": len(findings),
        "breaches": sum(by_status.get(s.value, 0) for s in BREACHES),
        "monitoring_gaps": sum(by_status.get(s.value, 0) for s in GAPS),
        "by_status": dict(sorted(by_status.items())),
    }


def _moment(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def _day(day: date) -> str:
    return day.isoformat()


def document(result: AuditResult, findings: pd.DataFrame, meta: Meta) -> dict[str, Any]:
    """The JSON findings document of an audit (``findings``: the result's, maybe filtered)."""
    tz = meta.tz
    titles = {str(rule["id"]): str(rule["title"]) for rule in result.rules_run}
    seen = result.coverage
    coverage = None
    if seen is not None:
        coverage = {
            "runs": seen.runs,
            "first_observation": _moment(seen.first_observation, tz),
            "last_observation": _moment(seen.last_observation, tz),
            "lessons_judged": seen.lessons_judged,
            "unwatched_midnights": [
                {
                    "night_of": _day(gap.day),
                    "last_poll_before": _moment(gap.last_before, tz),
                    "first_poll_after": _moment(gap.first_after, tz),
                }
                for gap in seen.unwatched_midnights
            ],
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "institution": meta.institution,
        "timezone": tz.key,
        "period": {"start": _day(result.start), "end": _day(result.end)},
        "as_of": _moment(result.now, tz),
        "generated_at": _moment(meta.generated_at, tz),
        "rule_set": {"version": result.rule_set_version, "rules": list(result.rules_run)},
        "coverage": coverage,
        "counts": counts(findings),
        "findings": records(findings, tz, titles),
    }


def csv_text(findings: pd.DataFrame, tz: ZoneInfo, titles: dict[str, str]) -> str:
    """Semicolon-separated (what a Russian-locale spreadsheet expects), codes and labels."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=[*(f.name for f in FINDING_FIELDS), *LABEL_FIELDS],
        delimiter=";",
        lineterminator="\r\n",
    )
    writer.writeheader()
    for record in records(findings, tz, titles):
        writer.writerow({k: safe_cell(v) for k, v in record.items()})
    return out.getvalue()


def safe_cell(value: Any) -> Any:
    """A text cell beginning with = + - @ would run as a formula in a spreadsheet: a teacher
    typed it, so it is neutralised with a leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


_JSON_TYPES: dict[str, dict[str, Any]] = {
    "code": {"type": "string"},
    "text": {"type": "string"},
    "id": {"type": ["integer", "null"]},
    "count": {"type": ["integer", "null"]},
    "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "time": {"type": ["string", "null"], "pattern": r"^\d{2}:\d{2}$"},
    "moment": {"type": ["string", "null"], "format": "date-time"},
}
_MOMENT = {"type": ["string", "null"], "format": "date-time"}
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def findings_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`document`, derived from the findings contract."""
    finding: dict[str, Any] = {
        f.name: {**_JSON_TYPES[f.kind], "description": f.description} for f in FINDING_FIELDS
    }
    finding["status"]["enum"] = [s.value for s in Status]
    finding["severity"]["enum"] = [s.value for s in Severity]
    for name in LABEL_FIELDS:
        finding[name] = {"type": "string"}
    gap = {
        "type": "object",
        "required": ["night_of", "last_poll_before", "first_poll_after"],
        "properties": {"night_of": _DAY, "last_poll_before": _MOMENT, "first_poll_after": _MOMENT},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ruobr-auditor findings",
        "type": "object",
        "required": list(DOCUMENT_KEYS),
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "institution": {"type": "string"},
            "timezone": {"type": "string"},
            "period": {
                "type": "object",
                "required": ["start", "end"],
                "properties": {"start": _DAY, "end": _DAY},
            },
            "as_of": {"type": "string", "format": "date-time"},
            "generated_at": {"type": "string", "format": "date-time"},
            "rule_set": {
                "type": "object",
                "required": ["version", "rules"],
                "properties": {"version": {"type": "string"}, "rules": {"type": "array"}},
            },
            "coverage": {
                "type": ["object", "null"],
                "properties": {
                    "runs": {"type": "integer"},
                    "first_observation": _MOMENT,
                    "last_observation": _MOMENT,
                    "lessons_judged": {"type": "integer"},
                    "unwatched_midnights": {"type": "array", "items": gap},
                },
            },
            "counts": {
                "type": "object",
                "required": ["findings", "breaches", "monitoring_gaps", "by_status"],
            },
            "findings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [*(f.name for f in FINDING_FIELDS), *LABEL_FIELDS],
                    "additionalProperties": False,
                    "properties": finding,
                },
            },
        },
    }
