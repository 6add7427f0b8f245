"""``auditor capture``: the saved pages hold no personal data of the dataset."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from click.testing import CliRunner

from auditor.cli import main
from auditor.simulator.dataset import CredentialKind, Dataset
from auditor.simulator.faults import FaultConfig
from auditor.simulator.server import running_simulator
from auditor.source.capture import Capture
from auditor.source.http import HttpClient
from auditor.source.mobile_api import MobileApiClient
from auditor.source.redact import Redactor, any_of
from tests.source.simsync import demo_dataset, make_session

TZ = ZoneInfo("Asia/Novokuznetsk")


def personal_data(dataset: Dataset) -> set[str]:
    """Every name, phone, e-mail, date of birth and address in the dataset."""
    found: set[str] = set()
    for staff in dataset.staff:
        found |= {staff.full_name, staff.email}
    for parent in dataset.parents:
        found |= {parent.full_name, parent.phone, parent.email}
    for student in dataset.students:
        found.add(student.full_name)
        for history in (student.address, student.phone, student.email):
            found |= {c.value for c in history.changes if c.value}
        for change in student.birth_date.changes:
            if change.value is not None:
                found |= {change.value.isoformat(), f"{change.value:%d.%m.%Y}"}
    return {value for value in found if value}


def saved_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.*")))


def run_capture(
    dataset: Dataset, at: datetime, out: Path, *, fault: str = "", max_groups: int = 0
) -> Capture:
    faults = FaultConfig.parse(fault) if fault else None
    with running_simulator(dataset, at, faults=faults) as (base_url, _sim):
        job = Capture(capture_year=at.year)
        job.staff(make_session(base_url, dataset), [f"{at:%Y-%m}"], max_groups=max_groups)
        mobile = [c for c in dataset.credentials if c.kind is not CredentialKind.STAFF][:3]
        http = HttpClient(requests.Session(), f"{base_url}/api3d", sleep=lambda s: None)
        clients = [
            MobileApiClient(http, c.login, c.password, config_key="x", on_answer=job.answer_sink())
            for c in mobile
        ]
        job.mobile(clients, [f"{at:%Y-%m}"])
        job.write(out)
    return job


def assert_no_personal_data(dataset: Dataset, folder: Path) -> None:
    text = saved_text(folder)
    pattern = any_of(personal_data(dataset))
    assert pattern is not None
    leaks = sorted(set(pattern.findall(text)))
    assert leaks == [], f"personal data left in {folder}: {leaks[:5]}"


def test_tiny_capture_has_every_page_and_no_personal_data(
    tiny_dataset: Dataset, tmp_path: Path
) -> None:
    at = datetime(2025, 9, 30, 12, 0, tzinfo=TZ)
    job = run_capture(tiny_dataset, at, tmp_path)
    assert_no_personal_data(tiny_dataset, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")}
    assert {
        "staff/accounts_login.html",
        "staff/home.html",
        "staff/students__page-1.html",
        "staff/groups_100_journal__month-2025-09.html",
        "mobile/user.json",
        "manifest.json",
        "README.txt",
    } <= names
    assert job.failed == []
    journal = (tmp_path / "staff/groups_100_journal__month-2025-09.html").read_text()
    assert "Цветовой круг" in journal and 'data-lesson-id="9000"' in journal  # data stays
    assert 'data-student-id="1001">Персона' in journal  # the absent pupil's name does not
    assert "A" * 64 in (tmp_path / "staff/accounts_login.html").read_text()
    assert ">pupil1000<" not in saved_text(tmp_path)


def test_demo_capture_has_no_personal_data(tmp_path: Path) -> None:
    dataset = demo_dataset()
    run_capture(dataset, datetime(2025, 10, 14, 12, 0, tzinfo=TZ), tmp_path, max_groups=10)
    assert len(list((tmp_path / "staff").glob("students__page-*.html"))) == 15
    assert_no_personal_data(dataset, tmp_path)


def test_changed_layout_is_still_captured_without_personal_data(tmp_path: Path) -> None:
    """The case capture exists for: the parsers fail, the patterns still redact."""
    dataset = demo_dataset()
    at = datetime(2025, 10, 14, 12, 0, tzinfo=TZ)
    run_capture(dataset, at, tmp_path, fault="layout=changed", max_groups=5)
    journals = list((tmp_path / "staff").glob("groups_*_journal__*.html"))
    assert len(journals) == 5  # group ids found from the links despite the layout
    assert len(list((tmp_path / "staff").glob("students__page-*.html"))) == 15
    assert_no_personal_data(dataset, tmp_path)


def test_patterns_without_known_values() -> None:
    redactor = Redactor(capture_year=2025)
    text = (
        "<td>Белов Иван Сергеевич</td><td>Белова А. С.</td><td>+7 (900) 123-45-67</td>"
        "<td>8 900 123 45 67</td><td>ivan@mail.ru</td><td>г. Кемерово, ул. Новая, д. 5</td>"
        "<td>01.02.2014</td><td>2013-05-06</td><td>15.09.2025</td><td>Тема: Натюрморт</td>"
        '<a title="Сомова Ольга Петровна" href="mailto:olga@mail.ru" class="x">контакт</a>'
    )
    clean = redactor.page(text)
    secrets = ("Белов", "123-45", "123 45", "ivan@", "Новая", "2014", "2013", "Сомова", "olga@")
    for secret in secrets:
        assert secret not in clean, secret
    assert "15.09.2025" in clean and "Натюрморт" in clean and 'class="x"' in clean


def test_cli_capture(tiny_dataset: Dataset, tmp_path: Path) -> None:
    at = datetime(2025, 9, 30, 12, 0, tzinfo=TZ)
    with running_simulator(tiny_dataset, at) as (base_url, _sim):
        config = tmp_path / "auditor.toml"
        config.write_text(
            f'[source]\nbase_url = "{base_url}"\nusername = "operator"\n'
            'password_env = "TINY_PW"\nmin_interval_s = 0.0\n',
            encoding="utf-8",
        )
        args = ["--config", str(config), "capture", "--out", str(tmp_path / "out")]
        env = {"TINY_PW": "tiny-operator-pass"}
        result = CliRunner().invoke(main, [*args, "--at", "2025-09-30T12:00"], env=env)
        assert result.exit_code == 0, result.output
        assert "saved 11 pages" in result.output
        again = CliRunner().invoke(main, args, env=env)
        assert again.exit_code == 2 and "is not empty" in again.output
    assert_no_personal_data(tiny_dataset, tmp_path / "out")
