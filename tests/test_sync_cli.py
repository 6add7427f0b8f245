"""``auditor sync`` end to end: config, password from the environment, summary, exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.errors import ExitCode
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, running_simulator

TZ = ZoneInfo("Asia/Novokuznetsk")
PASSWORDS = {"TINY_PW": "tiny-operator-pass", "PARENT_PW": "tiny-parent-pass"}


@pytest.fixture
def served(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(tiny_dataset, datetime(2025, 9, 15, 22, 0, tzinfo=TZ)) as pair:
        yield pair


def write_config(folder: Path, base_url: str, *, mobile: bool = False) -> Path:
    config = folder / "auditor.toml"
    text = f"""
[source]
base_url = "{base_url}"
mobile_base_url = "{base_url}/api3d"
username = "operator"
password_env = "TINY_PW"
min_interval_s = 0.0
[store]
data_dir = "{folder / "data"}"
"""
    if mobile:
        text += '[[source.mobile_accounts]]\nusername = "parent500"\npassword_env = "PARENT_PW"\n'
    config.write_text(text, encoding="utf-8")
    return config


def sync(config: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["--config", str(config), "sync", *args], env=env or PASSWORDS
    )
    return result.exit_code, result.output


def test_first_sync_is_full_then_daily(served: tuple[str, Simulator], tmp_path: Path) -> None:
    config = write_config(tmp_path, served[0])
    code, out = sync(config, "--at", "2025-09-15T22:00")
    assert code == 0, out
    assert out.startswith("Full sync of http://127.0.0.1:") and "9 pages in 11 requests" in out
    assert "2 new lessons" in out and "first-seen entries, e.g. topic of lesson 9000" in out
    served[1].clock.set(datetime(2025, 9, 15, 22, 30, tzinfo=TZ))  # the site's time moves on
    code, out = sync(config, "--at", "2025-09-15T22:30")
    assert (
        code == 0 and out.startswith("Daily sync") and "groups with lessons on 14.09–15.09" in out
    )
    served[1].clock.set(datetime(2025, 9, 15, 22, 40, tzinfo=TZ))
    code, out = sync(config, "--at", "2025-09-15T22:40", "--full")
    assert code == 0 and out.startswith("Full sync")
    assert "tiny-operator-pass" not in out
    assert (tmp_path / "data" / "auditor.sqlite3").exists()


def test_mobile_accounts_are_synced_too(served: tuple[str, Simulator], tmp_path: Path) -> None:
    config = write_config(tmp_path, served[0], mobile=True)
    code, out = sync(config, "--at", "2025-09-15T22:00")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[0].startswith("Full sync") and lines[1].startswith("Mobile sync of")
    assert "api3d" in lines[1] and "tiny-parent-pass" not in out
    served[1].clock.set(datetime(2025, 9, 15, 22, 10, tzinfo=TZ))
    code, out = sync(config, "--at", "2025-09-15T22:10", "--source", "mobile")
    assert code == 0 and out.startswith("Mobile sync")


def test_wrong_password_is_exit_5_one_line_naming_the_keys(
    served: tuple[str, Simulator], tmp_path: Path
) -> None:
    config = write_config(tmp_path, served[0])
    code, out = sync(config, "--at", "2025-09-15T22:00", env={"TINY_PW": "not-the-password"})
    assert code == ExitCode.AUTH
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ЭШ 2.0 refused the login 'operator'")
    assert "source.username" in lines[0] and "source.password_env" in lines[0]
    assert "not-the-password" not in out


def test_missing_password_variable_is_a_config_error(
    served: tuple[str, Simulator], tmp_path: Path
) -> None:
    config = write_config(tmp_path, served[0])
    code, out = sync(config, env={"UNRELATED": "1"})
    assert code == ExitCode.CONFIG and "TINY_PW" in out


def test_no_account_configured(tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text(f'[store]\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    code, out = sync(config)
    assert code == ExitCode.CONFIG and "source.username" in out


def test_changed_layout_is_exit_6(served: tuple[str, Simulator], tmp_path: Path) -> None:
    base_url, sim = served
    config = write_config(tmp_path, base_url)
    from auditor.simulator.faults import FaultConfig

    sim.injector.configure(FaultConfig.parse("layout=changed"))
    code, out = sync(config, "--at", "2025-09-15T22:00")
    assert code == ExitCode.SITE_CHANGED
    assert "element table#" in out and "auditor capture" in out


def test_progress_line_only_on_a_terminal() -> None:
    import io

    from auditor.sync.progress import TerminalProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        progress = TerminalProgress(stream, every_s=0)
        for done in range(4):
            progress.update(done, 3)
        progress.close()
    assert shown.getvalue().endswith("\rsync: 3/3 pages\n") and piped.getvalue() == ""
    quiet = Terminal()
    TerminalProgress(quiet, quiet=True).update(1, 2)
    assert quiet.getvalue() == ""


def test_a_clock_that_disagrees_with_the_site_stops_the_sync_before_recording(
    served: tuple[str, Simulator], tmp_path: Path
) -> None:
    config = write_config(tmp_path, served[0])
    assert sync(config, "--at", "2025-09-15T22:00")[0] == 0
    store = tmp_path / "data" / "auditor.sqlite3"
    before = store.read_bytes()
    code, out = sync(config, "--at", "2025-09-15T22:05")  # 5 minutes ahead of the site
    assert code == ExitCode.SOURCE
    assert "the site's clock (15.09.2025 22:00:00) differs from the auditor's" in out
    assert "by 300 s (limit 120 s); nothing was recorded" in out
    assert store.read_bytes() == before
    code, out = sync(config, "--at", "2025-09-15T22:01")  # a minute off is tolerated
    assert code == 0, out


def audit_json(config: Path, at: str, out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        main,
        ["--config", str(config), "audit", "--period", "2025-09", "--at", at, "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def test_one_as_of_for_every_rule(served: tuple[str, Simulator], tmp_path: Path) -> None:
    # a run is stamped with its start: `sync --at T` then `audit --at T` sees that sync,
    # with everything it observed (its pages arrived a little after T)
    config = write_config(tmp_path, served[0])
    for moment in ("2025-09-15T07:30", "2025-09-22T07:30"):
        served[1].clock.set(datetime.fromisoformat(moment).replace(tzinfo=TZ))
        assert sync(config, "--at", moment)[0] == 0
    early = audit_json(config, "2025-09-15T07:30", tmp_path / "early.json")
    assert early["coverage"]["runs"] == 1
    setup = [f for f in early["findings"] if f["clause"] == "2.2"]
    assert setup, "the setup items the 07:30 sync saw are judged as of 07:30"
    # nothing an audit as of 15.09 says comes from the sync of 22.09
    assert all("22.09.2025" not in f["evidence"] for f in early["findings"])
    late = audit_json(config, "2025-09-22T07:30", tmp_path / "late.json")
    assert late["coverage"]["runs"] == 2
