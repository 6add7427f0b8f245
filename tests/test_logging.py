"""Logging: ``--log-level`` controls what the library logs, and no level ever logs a
password or a person's name, phone, e-mail or address (clause 1.7)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.domain import Role
from auditor.simulator.dataset import CredentialKind, Dataset, staff_credential
from auditor.simulator.server import running_simulator
from tests.source.simsync import demo_dataset

AT = "2025-09-12T23:50"


def personal_values(dataset: Dataset) -> set[str]:
    """Everything in the dataset that identifies a person or lets one log in."""
    values: set[str] = set()
    for person in (*dataset.staff, *dataset.students, *dataset.parents):
        values.add(person.full_name)
    for staff in dataset.staff:
        values.add(staff.email)
    for parent in dataset.parents:
        values |= {parent.phone, parent.email}
    for student in dataset.students:
        for history in (student.phone, student.email, student.address):
            values |= {str(change.value) for change in history.changes if change.value}
    for credential in dataset.credentials:
        values |= {credential.login, credential.password}
    return {value for value in values if len(value) >= 5}


@pytest.fixture(scope="module")
def debug_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Dataset]]:
    dataset = demo_dataset()
    folder = tmp_path_factory.mktemp("logging")
    staff = staff_credential(dataset, Role.OPERATOR)
    parent = next(c for c in dataset.credentials if c.kind is CredentialKind.PARENT)
    moment = datetime.fromisoformat(AT).replace(tzinfo=dataset.institution.tz)
    with running_simulator(dataset, moment) as (url, _sim):
        config = folder / "auditor.toml"
        config.write_text(
            f'[source]\nbase_url = "{url}"\nmobile_base_url = "{url}/api3d"\n'
            f'username = "{staff.login}"\npassword_env = "PW"\nmin_interval_s = 0.0\n'
            f'[[source.mobile_accounts]]\nusername = "{parent.login}"\npassword_env = "PARENT_PW"\n'
            f'[store]\ndata_dir = "{folder / "data"}"\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            main,
            ["--config", str(config), "--log-level", "debug", "sync", "--full", "--at", AT],
            env={"PW": staff.password, "PARENT_PW": parent.password},
        )
    assert result.exit_code == 0, result.output
    yield result.stderr, dataset


def test_debug_log_tells_what_happened(debug_log: tuple[str, Dataset]) -> None:
    log, _ = debug_log
    assert "DEBUG auditor.source.http: GET /groups/" in log
    assert "INFO auditor.source.staff_web: staff web app: logged in" in log
    assert "INFO auditor.sync.run: run 1 recorded:" in log and "run 2 recorded:" in log
    assert len(log.splitlines()) > 100


def test_debug_log_holds_no_personal_data_or_secret(debug_log: tuple[str, Dataset]) -> None:
    log, dataset = debug_log
    leaked = sorted(value for value in personal_values(dataset) if value in log)
    assert not leaked, f"{len(leaked)} personal values in the log, e.g. {leaked[:3]}"


def test_the_default_level_logs_nothing_on_success(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "none.toml"), "rules", "list"])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_log_file_is_reopened_after_logrotate_moves_it(tmp_path: Path) -> None:
    """`auditor serve --log-file`: logrotate renames the file; the next line goes to a new
    file of the same name (no copytruncate, no signal)."""
    import logging

    from auditor.commands.common import configure_logging

    log_file = tmp_path / "logs" / "serve.log"
    configure_logging("info", log_file)
    try:
        logging.getLogger("auditor.schedule").info("before the rotation")
        log_file.rename(tmp_path / "logs" / "serve.log.1")
        logging.getLogger("auditor.schedule").info("after the rotation")
    finally:
        configure_logging("warning")
    assert "before the rotation" in (tmp_path / "logs" / "serve.log.1").read_text("utf-8")
    assert "after the rotation" in log_file.read_text("utf-8")
    assert "before" not in log_file.read_text("utf-8")
