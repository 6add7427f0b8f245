"""``config show`` prints TOML that loads back; ``config check`` checks what an audit
checks, and fails while a named secret is unset; ``rules explain`` speaks TOML."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main
from auditor.config import load_config
from auditor.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
FULL = """
[institution]
name = "ЦТ «Тест» \\"кавычки\\""
extra_holidays = ["2025-11-05"]
[source]
username = "operator"
password_env = "PW"
min_interval_s = 0.5
[[source.mobile_accounts]]
username = "parent01"
password_env = "PARENT_PW"
[[source.mobile_accounts]]
username = "pupil02"
password_env = "PUPIL_PW"
[rules.topic-quality]
min_copies = 3
[rules.setup-student-data]
enabled = false
"""


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env or {})
    return result.exit_code, result.output


def test_config_show_prints_toml_that_loads_back(tmp_path: Path) -> None:
    for text in (FULL, (ROOT / "config.example.toml").read_text(encoding="utf-8"), ""):
        source = tmp_path / "a.toml"
        source.write_text(text, encoding="utf-8")
        code, shown = run("--config", str(source), "config", "show")
        assert code == 0, shown
        again = tmp_path / "b.toml"
        again.write_text(shown, encoding="utf-8")
        assert load_config(again) == load_config(source)


def test_config_check_validates_rules_as_the_audit_does(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[rules.no-such-rule]\nenabled = false\n[rules.topic-quality]\nmin_copies = "3"\n'
        "bogus = 1\n",
        encoding="utf-8",
    )
    code, out = run("--config", str(path), "config", "check")
    assert code == ExitCode.CONFIG
    assert "rules.no-such-rule: unknown rule" in out
    assert "rules.topic-quality.min_copies: expected" in out
    assert "rules.topic-quality.bogus: unknown parameter" in out


def test_config_check_fails_while_a_named_secret_is_unset(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(FULL, encoding="utf-8")
    code, out = run("--config", str(path), "config", "check", env={"PW": "x", "PARENT_PW": "y"})
    assert code == ExitCode.CONFIG
    assert "source.mobile_accounts[1].password_env = PUPIL_PW: NOT SET" in out
    assert "the environment variable PUPIL_PW is not set" in out
    code, out = run(
        "--config", str(path), "config", "check", env={"PW": "x", "PARENT_PW": "y", "PUPIL_PW": "z"}
    )
    assert code == 0 and "config ok" in out and "x" not in out.split("config ok")[1]


def test_rules_explain_shows_parameters_in_toml_spelling() -> None:
    code, out = run("rules", "explain", "setup-student-data")
    assert code == 0
    assert "report_cannot_prove = true" in out and "True" not in out


def test_the_example_documents_rule_settings() -> None:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    assert "# [rules.topic-quality]" in text and "auditor rules explain" in text
