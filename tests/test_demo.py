"""``auditor demo`` end to end: a simulated month, audited, equals the answer key.

The demo institution is synced from the simulator (in its own process, over HTTP) at the
poll times of every day of September 2025, audited as of 1 October 07:30, and its findings
compared with the generator's answer key: precision and recall must both be 1.0. This is the
slowest test of the suite (about two minutes): it is the whole product on realistic data.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from auditor.demo.month import MonthResult
from auditor.demo.showcase import run_demo

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MonthResult, list[str]]:
    out = tmp_path_factory.mktemp("demo")
    stale = out / "store" / "auditor.sqlite3"
    stale.parent.mkdir()
    stale.write_bytes(b"an earlier demo's store")  # a rerun starts afresh, not on top of it
    lines: list[str] = []
    result = run_demo(out, lines.append)
    return out, result, lines


def test_findings_equal_the_answer_key(demo: tuple[Path, MonthResult, list[str]]) -> None:
    _, result, _ = demo
    score = result.score
    assert not result.audit.errors
    assert score.expected > 300, "the month should hold hundreds of planted violations"
    assert score.missed == () and score.extra == ()
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.days_late_differ == ()
    rules_found = set(result.audit.findings["rule_id"])
    for rule in (
        "lesson-topic-same-day", "lesson-attendance-same-day", "substitution-marked",
        "scheduled-lesson-entered", "topic-quality", "setup-parent-accounts",
        "setup-user-accounts", "setup-access-rights", "setup-schedule-template",
        "setup-student-data", "setup-notification-schedule",
    ):  # fmt: skip
        assert rule in rules_found, rule


def test_the_demo_prints_each_step_and_writes_its_files(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    out, result, lines = demo
    text = "\n".join(lines)
    for step in ("[1/4] generated", "[2/4] ЭШ 2.0 simulator", "[3/4] a simulated month",
                 "[4/4] audit of September"):  # fmt: skip
        assert step in text
    assert "precision 1.000, recall 1.000" in text
    assert sum(1 for line in lines if line.strip().startswith("30.09:")) == 1  # a line a day
    # at 18:00 the evening topic is absent from the journal, at 23:50 present
    assert "at 18:00 topic — (no journal entry yet)" in text or "at 18:00 topic — (empty)" in text
    connection = sqlite3.connect(result.store_path)
    try:
        runs = connection.execute("SELECT count(*), min(kind) FROM runs").fetchone()
    finally:
        connection.close()
    assert runs[0] == result.syncs == 61  # 30 days × 2 polls (07:00, 23:50) + 07:00 on 1.10
    sheet = openpyxl.load_workbook(out / "findings.xlsx").active
    assert sheet is not None and sheet.cell(1, 1).value == "Правило"
    assert sheet.max_row == len(result.audit.findings) + 1
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(document["findings"]) == len(result.audit.findings)
    schema = json.loads((ROOT / "docs" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    # the summary separates breaches from monitoring gaps
    counts = document["counts"]
    assert f"Нарушения: {counts['breaches']} " in text
    assert f"(пробелы в проверках, не нарушения): {counts['monitoring_gaps']} " in text
    assert (out / "dataset.json").exists() and (out / "answer-key.json").exists()
