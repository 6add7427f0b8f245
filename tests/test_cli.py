"""The CLI's contract: help everywhere, documented commands and exit codes, one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(all_commands(command, path))
    return found


@pytest.mark.parametrize("path", all_commands(main), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in all_commands(main):
        if len(path) == 1 and isinstance(main.commands[path[0]], click.Group):
            continue  # a group is listed through its subcommands
        assert f"auditor {' '.join(path)}" in readme, path


def test_every_exit_code_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| (\d+) \|", readme, flags=re.MULTILINE))
    assert table == {str(int(code)) for code in ExitCode}


def test_bad_config_is_one_line_and_exit_3(tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text('[source]\nconcurrency = 0\npassword = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "config", "check"])
    assert result.exit_code == ExitCode.CONFIG
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "source.concurrency" in lines[0] and "source.password" in lines[0]
    assert "Traceback" not in result.output


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--debug", "--config", str(tmp_path / "missing.toml"), "config", "check"]
    )
    assert result.exit_code == ExitCode.CONFIG
    assert "Traceback" in result.output


def test_config_check_reports_secret_presence_without_value(tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text('[source]\npassword_env = "TEST_RUOBR_PW"\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["--config", str(config), "config", "check"], env={"TEST_RUOBR_PW": "hunter2"}
    )
    assert result.exit_code == 0, result.output
    assert "TEST_RUOBR_PW: set" in result.output
    assert "hunter2" not in result.output
    result = runner.invoke(main, ["--config", str(config), "config", "show"])
    assert "hunter2" not in result.output and "TEST_RUOBR_PW" in result.output


def test_quickstart_has_exactly_two_commands() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from quickstart_commands import quickstart_commands

    demo, tests = quickstart_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "auditor demo" in demo and "pytest" in tests
