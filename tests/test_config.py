from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import Config, Secret, config_from_mapping, load_config
from auditor.errors import ConfigError, ExitCode

ROOT = Path(__file__).resolve().parent.parent


def test_example_config_loads_and_has_defaults() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config.institution.timezone == "Asia/Novokuznetsk"
    assert config.source.concurrency == 2
    assert config.source.password == Secret("RUOBR_PASSWORD")
    assert "Chrome" in config.source.user_agent


def test_empty_config_is_all_defaults() -> None:
    assert config_from_mapping({}) == Config()


def test_every_problem_is_reported_at_once_with_key_paths() -> None:
    raw = {
        "bogus": {},
        "institution": {"timezone": "Mars/Base", "extra_holidays": ["2025-02-30"]},
        "source": {"concurrency": 0, "timeout_s": "soon", "base_url": "ftp://x"},
        "store": {"data_dir": 5},
    }
    with pytest.raises(ConfigError) as info:
        config_from_mapping(raw)
    problems = "\n".join(info.value.problems)
    for expected in (
        "bogus: unknown key",
        "institution.timezone: unknown time zone",
        "institution.extra_holidays[0]",
        "source.concurrency: expected an integer ≥ 1, got 0",
        "source.timeout_s: expected a number",
        "source.base_url: expected an http(s) URL",
        "store.data_dir: expected a string",
    ):
        assert expected in problems
    assert info.value.exit_code == ExitCode.CONFIG


def test_a_password_in_the_file_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"source\.password: secrets must not be written"):
        config_from_mapping({"source": {"password": "hunter2"}})


def test_mobile_accounts_table_array() -> None:
    config = config_from_mapping(
        {"source": {"mobile_accounts": [{"username": "p1", "password_env": "P1_PASS"}]}}
    )
    (account,) = config.source.mobile_accounts
    assert account.password.reveal({"P1_PASS": "s3cret"}) == "s3cret"
    with pytest.raises(ConfigError, match=r"mobile_accounts\[0\]\.password_env: required"):
        config_from_mapping({"source": {"mobile_accounts": [{"username": "p1"}]}})


def test_secret_is_never_shown_and_missing_env_is_actionable() -> None:
    secret = Secret("SOME_PASS")
    assert "s3cret" not in repr(secret)
    with pytest.raises(ConfigError, match="SOME_PASS is not set"):
        secret.reveal({})


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[source\nbase_url = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
