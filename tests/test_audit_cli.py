"""``auditor audit`` and ``auditor rules`` as an operator runs them, on a real synced store.

The tiny hand-written institution (tests/data/tiny_dataset.json) is served by the simulator
and synced at the poll times of 8-30 September 2025 into an SQLite store; the CLI then
audits September from that store.
"""

from __future__ import annotations

import json
import re
import sqlite3
import stat
from datetime import date
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.replay import poll_moments, replay, simulator_config
from auditor.errors import ExitCode
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import running_simulator
from auditor.store import SqlStore
from rules.registry import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def synced(tiny_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config file whose store holds September of the tiny institution."""
    folder = tmp_path_factory.mktemp("audit")
    tz = tiny_dataset.institution.tz
    moments = list(poll_moments(date(2025, 9, 8), date(2025, 9, 30), tz))
    with running_simulator(tiny_dataset, moments[0]) as (url, sim):
        config, environ = simulator_config(url, tiny_dataset)
        with SqlStore.open_path(folder / "data" / "auditor.sqlite3") as store:
            replay(sim.clock.set, config, environ, store, moments)
    config = folder / "auditor.toml"
    config.write_text(f'[store]\ndata_dir = "{folder / "data"}"\n', encoding="utf-8")
    return config


def audit(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["--config", str(config), "audit", "--period", "2025-09", "--at",
               "2025-10-01T08:00", *args],
    )  # fmt: skip
    return result.exit_code, result.output


def findings_of(config: Path) -> set[str]:
    """The rule ids with findings, from the JSON output."""
    out_file = config.parent / "all.json"
    assert audit(config, "--out", str(out_file))[0] == 0
    return {r["rule_id"] for r in json.loads(out_file.read_text(encoding="utf-8"))["findings"]}


def test_table_summarises_by_rule_and_status(synced: Path) -> None:
    code, out = audit(synced)
    assert code == 0, out
    assert out.startswith("Аудит 01.09.2025–30.09.2025 по состоянию на 01.10.2025 08:00\n")
    assert "Проверено: 92 проверки ЭШ (08.09.2025 07:00 – 30.09.2025 23:50)" in out
    assert "7 ночей без проверки перед полуночью" in out  # 1.–7.09: syncs began on 8.09
    assert "нет проверки между началом наблюдений и 07:00 08.09; " in out  # the poll gaps
    assert "Нарушения: " in out and "Не удалось подтвердить (пробелы в проверках" in out
    for rule in ALL_RULES:  # the rules by their Russian titles, not their ids
        assert (rule.title in out) == (rule.id in findings_of(synced)), rule.id
    assert "NaT" not in out and "NaN" not in out and "<NA>" not in out
    # setup items grouped with a count, not a line per pupil
    assert "Заполнение журнала к 8 сентября (п. 2.2):" in out
    assert re.search(r"\n  учётная запись родителя — [а-я ]+: \d+\n", out)


def test_json_findings_carry_clause_evidence_and_days(synced: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "f.json"
    code, out = audit(synced, "--format", "json", "--out", str(out_file))
    assert code == 0, out
    records = json.loads(out_file.read_text(encoding="utf-8"))["findings"]
    attendance = [r for r in records if r["rule_id"] == "lesson-attendance-same-day"]
    assert len(attendance) == 1
    (late,) = attendance
    # lesson 9001 of 15.09: attendance marked on 17.09 at 08:10, seen at 12:00
    assert (late["clause"], late["status"], late["days_late"]) == ("1.12", "late", 2)
    assert (late["status_label"], late["lesson_date"], late["lesson_time"]) == (
        "с опозданием", "2025-09-15", "15:00",
    )  # fmt: skip
    assert late["established_at"].endswith("+07:00")
    assert late["evidence"] == (
        "посещаемость не отмечена в 07:00 17.09.2025; посещаемость впервые видна в 12:00 "
        "17.09.2025 (на 2 дня позже дня занятия)"
    )
    assert late["group"] == "Палитра-1" and late["teacher"] == "Педагогов Пётр Вымышленович"
    substitution = next(r for r in records if r["rule_id"] == "substitution-marked")
    assert (substitution["kind"], substitution["days_late"]) == ("marked_late", 1)
    assert substitution["teacher"] == "Учителева Анна Примеровна"  # who taught, not the head


def test_xlsx_and_csv_open_with_russian_headers(synced: Path, tmp_path: Path) -> None:
    xlsx, csv = tmp_path / "f.xlsx", tmp_path / "f.csv"
    assert audit(synced, "--format", "xlsx", "--out", str(xlsx))[0] == 0
    assert audit(synced, "--format", "csv", "--out", str(csv))[0] == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:4] == ["Правило", "Пункт", "Важность", "Статус"]
    header = csv.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header[:4] == ["rule_id", "clause", "severity", "status"] and "status_label" in header


def test_filters_narrow_by_teacher_group_and_rule(synced: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "f.json"
    audit(synced, "--teacher", "Учителева", "--format", "json", "--out", str(out_file))
    teachers = {r["teacher"] for r in json.loads(out_file.read_text(encoding="utf-8"))["findings"]}
    assert teachers == {"Учителева Анна Примеровна"}
    audit(synced, "--rule", "setup-student-data", "--format", "json", "--out", str(out_file))
    rules = {r["rule_id"] for r in json.loads(out_file.read_text(encoding="utf-8"))["findings"]}
    assert rules == {"setup-student-data"}
    audit(synced, "--group", "101", "--format", "json", "--out", str(out_file))
    groups = {r["group"] for r in json.loads(out_file.read_text(encoding="utf-8"))["findings"]}
    assert groups == {"Палитра-2"}
    code, out = audit(synced, "--teacher", "Учителева")
    assert code == 0 and "Отбор: педагог Учителева Анна Примеровна (" in out


def test_filters_that_miss_or_match_several_are_errors(synced: Path) -> None:
    code, out = audit(synced, "--group", "Палитра")
    assert code == ExitCode.USAGE and "--group 'Палитра' matches 2: Палитра-1" in out
    code, out = audit(synced, "--teacher", "Учитилева")
    assert code == ExitCode.USAGE and "matches nothing (closest: Учителева Анна Примеровна" in out


def test_each_audit_is_recorded_in_the_store(synced: Path, tmp_path: Path) -> None:
    store = synced.parent / "data" / "auditor.sqlite3"
    connection = sqlite3.connect(store)
    try:
        before = connection.execute("SELECT count(*) FROM audit_runs").fetchone()[0]
        code, _out = audit(
            synced, "--record", "--format", "json", "--out", str(tmp_path / "f.json")
        )
        runs = connection.execute(
            "SELECT id, findings, rules FROM audit_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        kept = connection.execute(
            "SELECT count(*) FROM audit_findings WHERE audit_id = ?", (runs[0],)
        ).fetchone()[0]
    finally:
        connection.close()
    assert code == 0
    assert runs[0] == before + 1
    document = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert runs[1] == kept == len(document["findings"]) == document["counts"]["findings"]
    assert runs[2].split(",") == [r.id for r in ALL_RULES]


def test_rule_settings_from_the_config(synced: Path, tmp_path: Path) -> None:
    text = synced.read_text(encoding="utf-8")
    off = tmp_path / "off.toml"
    off.write_text(text + "[rules.setup-student-data]\nenabled = false\n", encoding="utf-8")
    code, out = audit(off)
    assert code == 0 and "setup-student-data" not in out
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text + "[rules.topic-quality]\nmin_copies = 'two'\nbogus = 1\n[rules.no-such-rule]\n",
        encoding="utf-8",
    )
    code, out = audit(bad)
    assert code == ExitCode.CONFIG
    assert "rules.topic-quality.bogus: unknown parameter" in out
    assert "rules.topic-quality.min_copies: expected" in out
    assert "rules.no-such-rule: unknown rule" in out


def test_bad_period_is_a_usage_error(synced: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(synced), "audit", "--period", "сентябрь"])
    assert result.exit_code == 2 and "use a month (2025-10)" in result.output


def test_rules_list_json_and_explain() -> None:
    result = CliRunner().invoke(main, ["rules", "list", "--format", "json"])
    items = json.loads(result.output)
    assert [i["id"] for i in items] == [r.id for r in ALL_RULES]
    assert {i["clause"] for i in items} == {"1.12", "2.2", "5.2", "5.3"}
    explained = CliRunner().invoke(main, ["rules", "explain", "lesson-topic-same-day"])
    assert explained.exit_code == 0
    assert "Пункт Положения: 1.12" in explained.output
    assert "report_cannot_prove = true" in explained.output  # TOML spelling
    unknown = CliRunner().invoke(main, ["rules", "explain", "nope"])
    assert unknown.exit_code == 2 and "known rules:" in unknown.output


def test_json_output_validates_against_the_schema_in_the_repository(
    synced: Path, tmp_path: Path
) -> None:
    schema = json.loads((ROOT / "docs" / "findings.schema.json").read_text(encoding="utf-8"))
    out_file = tmp_path / "f.json"
    assert audit(synced, "--out", str(out_file))[0] == 0
    document = json.loads(out_file.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["counts"]["breaches"] + document["counts"]["monitoring_gaps"] <= len(
        document["findings"]
    )
    assert document["rule_set"]["version"].startswith("0.1.0+")
    assert document["coverage"]["runs"] == 92


def test_the_format_comes_from_the_file_name(synced: Path, tmp_path: Path) -> None:
    assert audit(synced, "--out", str(tmp_path / "f.csv"))[0] == 0
    assert (tmp_path / "f.csv").read_text(encoding="utf-8-sig").startswith("rule_id;")
    code, out = audit(synced, "--format", "xlsx", "--out", str(tmp_path / "x.csv"))
    assert code == ExitCode.USAGE and "does not match the file name 'x.csv'" in out
    code, out = audit(synced, "--out", str(tmp_path / "x.txt"))
    assert code == ExitCode.USAGE and "cannot tell the format" in out


def test_exports_are_owner_only(synced: Path, tmp_path: Path) -> None:
    for name in ("f.json", "f.csv", "f.xlsx"):
        path = tmp_path / name
        path.write_text("an older file anyone could read", encoding="utf-8")
        path.chmod(0o644)
        assert audit(synced, "--out", str(path))[0] == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_user_mistakes_are_usage_errors_not_internal_ones(synced: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    code, out = audit(synced, "--out", str(blocked / "f.json"))  # a folder that is a file
    assert code == ExitCode.USAGE and f"cannot write {blocked / 'f.json'}" in out
    code, out = audit(synced, "--rule", "no-such-rule")
    assert code == ExitCode.USAGE and "--rule no-such-rule: no such rule" in out
    result = CliRunner().invoke(
        main, ["--config", str(synced), "audit", "--period", "2025-10-01..2025-09-01"]
    )
    assert result.exit_code == ExitCode.USAGE and "ends (2025-09-01) before" in result.output


def test_nothing_observed_is_an_error_not_a_clean_result(synced: Path, tmp_path: Path) -> None:
    code, out = audit(synced, "--period", "2024-11")  # before the first sync
    assert code == ExitCode.NO_DATA and "no completed sync observed 01.11.2024" in out
    assert "нарушений не найдено" not in out
    empty = tmp_path / "empty.toml"
    empty.write_text(f'[store]\ndata_dir = "{tmp_path / "nothing"}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(empty), "audit", "--period", "2025-09"])
    assert result.exit_code == ExitCode.STORE and "there is no store at" in result.output
    assert not (tmp_path / "nothing").exists(), "an audit never creates a store"


def test_ad_hoc_audits_are_not_kept_and_kept_ones_are_bounded(synced: Path, tmp_path: Path) -> None:
    store = synced.parent / "data" / "auditor.sqlite3"

    def kept() -> list[tuple[int, str]]:
        connection = sqlite3.connect(store)
        try:
            rows = connection.execute("SELECT id, params FROM audit_runs ORDER BY id").fetchall()
        finally:
            connection.close()
        return [(int(i), str(p)) for i, p in rows]

    before = kept()
    for _ in range(3):
        assert audit(synced)[0] == 0
    assert kept() == before, "an ad-hoc audit is not recorded"
    config = tmp_path / "keep.toml"
    config.write_text(
        synced.read_text(encoding="utf-8").replace("[store]", "[store]\nkeep_audits = 2"),
        encoding="utf-8",
    )
    for _ in range(4):
        assert audit(config, "--record", "--teacher", "Учителева")[0] == 0
    rows = kept()
    assert len(rows) == 2 and rows[-1][0] > rows[0][0]
    params = json.loads(rows[-1][1])
    assert params["as_of"] == "2025-10-01T08:00:00+07:00"
    assert set(params["scope"]) == {"teacher"} and params["rule_set"].startswith("0.1.0+")
    result = CliRunner().invoke(main, ["--config", str(config), "store", "info"])
    assert result.exit_code == 0, result.output
    assert "observation runs: 92 (first 08.09.2025 07:00" in result.output
    assert "recorded audits: 2 (" in result.output and "store.keep_audits = 2" in result.output
