"""Findings as a table on a terminal, or as JSON, CSV or XLSX files.

Moments are shown in the institution's local time (Excel refuses timezone-aware values, and
a head of department reads local time anyway). The formats are an explicit registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

import pandas as pd

from auditor.contract.findings import STATUS_RU, Status

COLUMNS_RU = {
    "rule_id": "Правило",
    "clause": "Пункт",
    "severity": "Важность",
    "status": "Статус",
    "kind": "Вид",
    "department": "Отдел",
    "association": "Объединение",
    "group": "Группа",
    "teacher": "Педагог",
    "lesson_date": "Дата занятия",
    "lesson_time": "Время",
    "item": "Что не сделано",
    "evidence": "Доказательства",
    "days_late": "Опоздание, дн.",
    "established_at": "Установлено",
    "closed_at": "Закрыто",
}


def localised(findings: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """Plain values for export: local naive moments, dates and HH:MM strings, Russian status."""
    out = findings.copy()
    for name in ("established_at", "closed_at"):
        out[name] = out[name].dt.tz_convert(tz).dt.tz_localize(None)
    out["lesson_date"] = pd.to_datetime(out["lesson_date"]).dt.date
    out["lesson_time"] = (pd.Timestamp(0) + out["lesson_time"]).dt.strftime("%H:%M")
    out["status"] = out["status"].map(lambda s: STATUS_RU[Status(s)])
    return out


def _json(findings: pd.DataFrame, tz: ZoneInfo, out: IO[bytes]) -> None:
    frame = localised(findings, tz)
    records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    out.write(json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"))


def _csv(findings: pd.DataFrame, tz: ZoneInfo, out: IO[bytes]) -> None:
    frame = localised(findings, tz)[list(COLUMNS_RU)].rename(columns=COLUMNS_RU)
    out.write(frame.to_csv(index=False).encode("utf-8-sig"))  # BOM: Excel opens it as UTF-8


def _xlsx(findings: pd.DataFrame, tz: ZoneInfo, out: IO[bytes]) -> None:
    frame = localised(findings, tz)[list(COLUMNS_RU)].rename(columns=COLUMNS_RU)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Нарушения", index=False)


FILE_FORMATS: dict[str, Callable[[pd.DataFrame, ZoneInfo, IO[bytes]], None]] = {
    "json": _json,
    "csv": _csv,
    "xlsx": _xlsx,
}


def write_file(findings: pd.DataFrame, fmt: str, path: Path, tz: ZoneInfo) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        FILE_FORMATS[fmt](findings, tz, out)


def summary_table(findings: pd.DataFrame) -> str:
    """Counts by rule and status, the first thing an operator wants to see."""
    if findings.empty:
        return "нарушений не найдено"
    counts = findings.assign(
        status=findings["status"].map(lambda s: STATUS_RU[Status(s)])
    ).pivot_table(
        index=["rule_id", "clause"],
        columns="status",
        values="kind",
        aggfunc="count",
        fill_value=0,
    )
    return str(counts.to_string())


def rows_table(findings: pd.DataFrame, tz: ZoneInfo, limit: int) -> str:
    if findings.empty:
        return ""
    frame = localised(findings.head(limit), tz)
    shown = frame[["rule_id", "status", "group", "teacher", "lesson_date", "item", "evidence"]]
    text: str = shown.rename(columns=COLUMNS_RU).to_string(index=False, max_colwidth=60)
    more = len(findings) - limit
    return text + (f"\n… и ещё {more}" if more > 0 else "")
