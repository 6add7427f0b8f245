"""The findings contract: one declaration, a schema file that cannot drift, and untrusted
text that stays text in every output."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import openpyxl
import pandas as pd

from auditor.audit.engine import AuditResult
from auditor.contract.findings import DTYPES, FINDING_FIELDS, RESULT_COLUMNS, STORED_FIELDS
from auditor.report import export, machine
from auditor.report.machine import Meta
from auditor.store import schema as store_schema
from scripts.findings_schema import PATH, schema_text

TZ = ZoneInfo("Asia/Novokuznetsk")
NOW = datetime(2025, 10, 1, 7, 30, tzinfo=TZ)
FORMULAS = ['=HYPERLINK("http://x")', "+7 999", "-1", "@SUM(A1)"]


def findings(**values: object) -> pd.DataFrame:
    """One finding with the contract's dtypes; ``values`` override the defaults."""
    row: dict[str, object] = {
        "rule_id": "topic-quality", "clause": "5.3", "severity": "minor",
        "status": "violation", "kind": "placeholder", "group": "Группа", "item": "",
        "evidence": "тема «-»", "lesson_date": pd.Timestamp("2025-09-15"),
        "lesson_time": pd.Timedelta(hours=15), "lesson_id": 9000, "group_id": 100,
        "established_at": pd.Timestamp("2025-09-16T00:00+07:00"),
    }  # fmt: skip
    row.update(values)
    data = {f.name: pd.Series([row.get(f.name)], dtype=DTYPES[f.kind]) for f in FINDING_FIELDS}
    return pd.DataFrame(data)


def result_of(frame: pd.DataFrame) -> AuditResult:
    return AuditResult(NOW, date(2025, 9, 1), date(2025, 9, 30), frame)


def test_every_shape_derives_from_the_one_declaration() -> None:
    names = [f.name for f in FINDING_FIELDS]
    assert list(RESULT_COLUMNS) == [f.name for f in FINDING_FIELDS if f.filled_by == "rule"]
    stored = [c.name for c in store_schema.audit_findings.columns][2:]  # after id, audit_id
    assert stored == [f.name for f in STORED_FIELDS]
    assert set(export.COLUMNS_RU) <= set(names)
    schema = machine.findings_schema()
    items = schema["properties"]["findings"]["items"]
    assert items["required"][: len(names)] == names


def test_the_schema_file_in_the_repository_is_the_generated_one() -> None:
    assert PATH.read_text(encoding="utf-8") == schema_text(), (
        "run `python scripts/findings_schema.py` after changing the findings contract"
    )


def test_a_document_validates_and_keeps_codes_apart_from_labels() -> None:
    doc = machine.document(result_of(findings()), findings(), Meta("ЦТ", TZ, NOW))
    jsonschema.validate(doc, machine.findings_schema(), format_checker=jsonschema.FormatChecker())
    (record,) = doc["findings"]
    assert (record["status"], record["status_label"]) == ("violation", "нарушение")
    assert (record["lesson_date"], record["lesson_time"]) == ("2025-09-15", "15:00")
    assert record["established_at"] == "2025-09-16T00:00:00+07:00"
    assert record["teacher_id"] is None and record["closed_at"] is None
    assert doc["counts"] == {
        "findings": 1, "breaches": 1, "monitoring_gaps": 0, "by_status": {"violation": 1}
    }  # fmt: skip


def test_cannot_prove_is_counted_as_a_gap_not_a_breach() -> None:
    frame = pd.concat([findings(status="cannot_prove"), findings(status="late")])
    counts = machine.counts(frame)
    assert (counts["breaches"], counts["monitoring_gaps"]) == (1, 1)


def test_formulas_typed_by_a_teacher_stay_text_in_csv(tmp_path: Path) -> None:
    frame = pd.concat([findings(evidence=text, item=text) for text in FORMULAS])
    rows = list(csv.DictReader(io.StringIO(machine.csv_text(frame, TZ, {})), delimiter=";"))
    assert [r["evidence"] for r in rows] == [f"'{f}" for f in FORMULAS]
    assert [r["item"] for r in rows] == [f"'{f}" for f in FORMULAS]


def test_formulas_typed_by_a_teacher_stay_text_in_xlsx(tmp_path: Path) -> None:
    frame = pd.concat([findings(evidence=text) for text in FORMULAS])
    path = tmp_path / "f.xlsx"
    export.write_file(result_of(frame), frame, "xlsx", path, Meta("ЦТ", TZ, NOW))
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    column = [c.value for c in sheet[1]].index("Доказательства") + 1
    cells = [sheet.cell(row, column) for row in range(2, 2 + len(FORMULAS))]
    assert [c.value for c in cells] == [f"'{f}" for f in FORMULAS]
    assert all(c.data_type == "s" for c in cells)


def test_json_in_the_repository_parses() -> None:
    assert json.loads(PATH.read_text(encoding="utf-8"))["title"] == "ruobr-auditor findings"
