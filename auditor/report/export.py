"""Findings as a table on a terminal, or as JSON, CSV or XLSX files.

Moments are shown in the institution's local time (Excel refuses timezone-aware values, and
a head of department reads local time anyway). The formats are an explicit registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

import pandas as pd

from auditor.audit.coverage import NightGap
from auditor.audit.engine import AuditResult
from auditor.contract.findings import BREACHES, GAPS, LABELS_RU, STATUS_RU, Status
from auditor.report import machine
from auditor.report.files import private_file
from auditor.report.machine import Meta
from auditor.russian import BREACHES as BREACH_FORMS
from auditor.russian import LESSONS, MIDNIGHTS, RUNS, Forms, count, short_moment

# How statuses are ordered in every summary: breaches first, then gaps, then the rest.
ORDER = (
    Status.VIOLATION, Status.MISSING, Status.LATE, Status.CANNOT_PROVE, Status.PENDING,
    Status.NOT_DUE,
)  # fmt: skip
LESSON_FIELDS = Forms("запись о занятии", "записи о занятиях", "записей о занятиях")

# The columns people read in the XLSX and on the terminal, with the contract's Russian labels.
PEOPLE_COLUMNS = (
    "rule_id", "clause", "severity", "status", "kind", "department", "association", "group",
    "teacher", "lesson_date", "lesson_time", "item", "evidence", "days_late", "established_at",
    "closed_at",
)  # fmt: skip
COLUMNS_RU = {name: LABELS_RU[name] for name in PEOPLE_COLUMNS}


def localised(findings: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """Plain values for export: local naive moments, dates and HH:MM strings, Russian status."""
    out = findings.copy()
    for name in ("established_at", "closed_at"):
        out[name] = out[name].dt.tz_convert(tz).dt.tz_localize(None)
    out["lesson_date"] = pd.to_datetime(out["lesson_date"]).dt.date
    out["lesson_time"] = (pd.Timestamp(0) + out["lesson_time"]).dt.strftime("%H:%M")
    out["status"] = out["status"].map(lambda s: STATUS_RU[Status(s)])
    return out


def _json(result: AuditResult, findings: pd.DataFrame, meta: Meta, out: IO[bytes]) -> None:
    doc = machine.document(result, findings, meta)
    out.write(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))


def _csv(result: AuditResult, findings: pd.DataFrame, meta: Meta, out: IO[bytes]) -> None:
    titles = {str(rule["id"]): str(rule["title"]) for rule in result.rules_run}
    # BOM: a spreadsheet then reads the file as UTF-8, not the locale's code page
    out.write(machine.csv_text(findings, meta.tz, titles).encode("utf-8-sig"))


def _xlsx(result: AuditResult, findings: pd.DataFrame, meta: Meta, out: IO[bytes]) -> None:
    frame = localised(findings, meta.tz)[list(COLUMNS_RU)].rename(columns=COLUMNS_RU)
    # openpyxl stores a string beginning with "=" as a formula: a topic is untrusted text
    frame = frame.map(machine.safe_cell)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Нарушения", index=False)


Writer = Callable[[AuditResult, pd.DataFrame, Meta, IO[bytes]], None]
FILE_FORMATS: dict[str, Writer] = {"json": _json, "csv": _csv, "xlsx": _xlsx}


def write_file(
    result: AuditResult, findings: pd.DataFrame, fmt: str, path: Path, meta: Meta
) -> None:
    """Write ``findings`` (the result's, maybe filtered) as ``fmt`` to ``path``.

    The file is created owner-only (0600): it names staff and pupils' ids (clause 1.7).
    """
    with private_file(path) as out:
        FILE_FORMATS[fmt](result, findings, meta, out)


def summary_text(result: AuditResult, findings: pd.DataFrame, tz: ZoneInfo) -> str:
    """The operator's first screen, in Russian: what was checked, breaches apart from
    monitoring gaps, and the counts by rule and status."""
    lines = [
        f"Аудит {result.start:%d.%m.%Y}–{result.end:%d.%m.%Y} по состоянию на "
        f"{short_moment(result.now.astimezone(tz))}"
    ]
    chosen = {"--department": "отдел", "--group": "группа", "--teacher": "педагог"}
    if result.scope:
        lines.append(
            "Отбор: " + "; ".join(f"{chosen[m.option]} {m.name} ({m.id})" for m in result.scope)
        )
    seen = result.coverage
    if seen is not None:
        first, last = seen.first_observation, seen.last_observation
        span = f" ({short_moment(first)} – {short_moment(last)})" if first and last else ""
        lines.append(
            f"Проверено: {count(seen.runs, RUNS)} ЭШ{span}; "
            f"{count(seen.lessons_judged, LESSONS)} в периоде; "
            f"{count(len(seen.unwatched_midnights), MIDNIGHTS)} без проверки перед полуночью"
        )
    totals = machine.counts(findings)
    by_status = totals["by_status"]
    breach_parts = [
        f"{STATUS_RU[s]} {by_status[s.value]}"
        for s in ORDER
        if s in BREACHES and s.value in by_status
    ]
    lines.append(
        f"Нарушения: {count(totals['breaches'], BREACH_FORMS)}"
        + (f" ({', '.join(breach_parts)})" if breach_parts else "")
    )
    lines.append(
        "Не удалось подтвердить (пробелы в проверках, не нарушения): "
        f"{count(totals['monitoring_gaps'], LESSON_FIELDS)}"
    )
    if seen is not None and seen.unwatched_midnights:
        lines.append("  " + night_gaps(seen.unwatched_midnights))
    others = [s for s in ORDER if s not in BREACHES and s not in GAPS and s.value in by_status]
    if others:
        lines.append("Прочее: " + ", ".join(f"{STATUS_RU[s]} {by_status[s.value]}" for s in others))
    if findings.empty:
        return "\n".join(lines)
    lines += setup_lines(findings)
    titles = {str(rule["id"]): str(rule["title"]) for rule in result.rules_run}
    table = findings.assign(
        rule=findings["rule_id"].map(lambda r: titles.get(r, r)),
        status=findings["status"].map(lambda s: STATUS_RU[Status(s)]),
    ).pivot_table(
        index=["clause", "rule"], columns="status", values="kind", aggfunc="count", fill_value=0
    )
    shown = [STATUS_RU[s] for s in ORDER if STATUS_RU[s] in table.columns]
    table = table[shown]
    table.index.names = ["Пункт", "Правило"]
    table.columns.name = None
    return "\n".join(lines) + "\n\n" + str(table.to_string())


def night_gaps(gaps: Sequence[NightGap], shown: int = 5) -> str:
    """«нет проверки между 18:00 01.09 и 07:00 02.09; …»: the polls to add to the schedule."""

    def one(gap: NightGap) -> str:
        before = f"{gap.last_before:%H:%M %d.%m}" if gap.last_before else "началом наблюдений"
        after = f"{gap.first_after:%H:%M %d.%m}" if gap.first_after else "сих пор"
        return f"нет проверки между {before} и {after}"

    more = len(gaps) - shown
    text = "; ".join(one(gap) for gap in gaps[:shown])
    return text + (f"; и ещё {count(more, MIDNIGHTS)}" if more > 0 else "")


SETUP_CLAUSE = "2.2"


def setup_lines(findings: pd.DataFrame) -> list[str]:
    """Clause 2.2's items grouped with a count, not one line per pupil: the setup of the
    academic year is one set of items (the detail files list every pupil)."""
    setup = findings[findings["clause"] == SETUP_CLAUSE]
    if setup.empty:
        return []
    grouped = setup.groupby(["item", "status"], sort=True).size()
    lines = [f"Заполнение журнала к 8 сентября (п. {SETUP_CLAUSE}):"]
    for (item, status), number in grouped.items():
        lines.append(f"  {item} — {STATUS_RU[Status(status)]}: {number}")
    return lines


def rows_table(findings: pd.DataFrame, tz: ZoneInfo, limit: int) -> str:
    """The first ``limit`` findings as text: dates dd.mm.yyyy, blanks where there is none."""
    if findings.empty:
        return ""
    head = findings.head(limit)
    dates = pd.to_datetime(head["lesson_date"]).dt.strftime("%d.%m.%Y")
    shown = pd.DataFrame(
        {
            LABELS_RU["rule_id"]: head["rule_id"],
            LABELS_RU["status"]: head["status"].map(lambda s: STATUS_RU[Status(s)]),
            LABELS_RU["group"]: head["group"],
            LABELS_RU["teacher"]: head["teacher"],
            LABELS_RU["lesson_date"]: dates,
            LABELS_RU["item"]: head["item"],
            LABELS_RU["evidence"]: head["evidence"],
        }
    )
    text: str = shown.astype(object).fillna("").to_string(index=False, max_colwidth=60)
    more = len(findings) - limit
    return text + (f"\n… и ещё {more}" if more > 0 else "")
