"""Delivery: reports mailed to a real SMTP server on 127.0.0.1, exactly once, through the
ledger in a real store; refusals, retries, recovery, and a sender killed mid-send."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.config import Config, InstitutionConfig, MailConfig, Person, StoreConfig
from auditor.contract.deliveries import DeliveryState
from auditor.delivery.mailer import SmtpMailer
from auditor.delivery.outbox import deliver, outgoing
from auditor.report.outputs import mail_body, xlsx_bytes
from auditor.report.render import Renderer
from auditor.store import SqlStore
from tests.report_samples import EVIL, NOW, audit_report, daily_report
from tests.smtp_server import Handler, free_port, smtp_server

DIRECTORY = (
    Person("Бурова Елена Максимовна", "operator@example.org", "operator"),
    Person("Солин Максим Романович", "head1@example.org", "head", department_id=1),
    Person("Ледин Никита Сергеевич", "head2@example.org", "head", department_id=2),
    Person("Бугова Татьяна Степановна", "zam@example.org", "deputy_director"),
)


def config_for(port: int, tmp_path: Path, **mail: object) -> Config:
    settings = {"enabled": True, "host": "127.0.0.1", "port": port, "security": "none",
                "sender": "auditor@example.org", "max_attempts": 2, "retry_base_s": 0.0,
                **mail}  # fmt: skip
    return Config(
        institution=InstitutionConfig(name="ЦТ «Радуга»"),
        store=StoreConfig(data_dir=str(tmp_path / "data")),
        mail=MailConfig(**settings),  # type: ignore[arg-type]
        directory=DIRECTORY,
    )


def clock() -> datetime:
    return datetime.now(UTC)


def send_all(config: Config, store: SqlStore, reports: list) -> object:  # type: ignore[type-arg]
    store.enqueue_mail(outgoing(reports, config, Renderer(), clock()), clock())
    return deliver(store, SmtpMailer(config.mail), config, clock, sleep=lambda _s: None)


def test_a_report_arrives_intact(tmp_path: Path) -> None:
    with smtp_server() as (handler, port):
        config = config_for(port, tmp_path)
        report = audit_report()
        with SqlStore.open_path(tmp_path / "data" / "auditor.sqlite3") as store:
            run = send_all(config, store, [report])
        assert len(run.sent) == 1 and not run.failed  # type: ignore[attr-defined]
    [got] = handler.received
    assert got.recipients == ["operator@example.org"]  # the operator, nobody else
    message = got.message
    assert message["Subject"] == (
        "Аудит ведения электронного журнала: всё учреждение, сентябрь 2025 г."
    )
    # RFC 2047 decoding of the raw header (Python's address parser puts a space between two
    # adjacent encoded words of a display name, which mail clients do not)
    raw_from = message.get_all("From", failobj=[""])[0]
    raw = next(line for line in got.data.decode("ascii").split("\r\n\r\n")[0].split("\r\nF")
               if line.startswith("rom:"))  # fmt: skip
    assert (
        str(make_header(decode_header(raw[4:])))
        .strip()
        .startswith("Контроль электронного журнала <auditor@example.org>")
    ), raw_from
    html_part = message.get_body(("html",))
    text_part = message.get_body(("plain",))
    assert html_part is not None and text_part is not None
    html, text = html_part.get_content(), text_part.get_content()
    expected = mail_body(report, Renderer())
    expected_html, expected_text = expected.html, expected.text
    assert html.strip() == expected_html.strip()  # no <br> inserted, tables intact
    # the text alternative, not the HTML source (lines end in CRLF on the wire)
    assert text.replace("\r\n", "\n").strip() == expected_text.strip()
    assert "<table" in html and "<br>" not in html and "&lt;script&gt;" in html
    assert "<" not in text.replace(EVIL, "") and "Радуга-1А" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename().startswith("Аудит ведения электронного журнала")
    assert attachment.get_filename().endswith(".xlsx")
    assert attachment.get_content() == xlsx_bytes(report)  # byte-equal


def test_each_report_goes_to_its_readers_once(tmp_path: Path) -> None:
    with smtp_server() as (handler, port):
        config = config_for(port, tmp_path)
        reports = [daily_report(1), daily_report(2), daily_report(3)]  # dept 3: nobody
        with SqlStore.open_path(tmp_path / "data" / "auditor.sqlite3") as store:
            send_all(config, store, reports)
            send_all(config, store, reports)  # a second run (a restart): nothing new
            rows = store.deliveries()
    assert sorted(r.recipients[0] for r in handler.received) == [
        "head1@example.org", "head2@example.org",
    ]  # fmt: skip
    assert [r.state for r in rows] == [DeliveryState.SENT] * 2
    assert len({r.message["Message-ID"] for r in handler.received}) == 2


def test_a_refusing_server_then_recovering(tmp_path: Path) -> None:
    handler = Handler(refuse_data=["451 4.3.0 Try again later"] * 2)
    sleeps: list[float] = []
    with smtp_server(handler) as (_, port):
        config = config_for(port, tmp_path, retry_base_s=1.5)
        with SqlStore.open_path(tmp_path / "data" / "auditor.sqlite3") as store:
            store.enqueue_mail(outgoing([audit_report()], config, Renderer(), clock()), clock())
            run = deliver(store, SmtpMailer(config.mail), config, clock, sleep=sleeps.append)
            assert run.sent == () and len(run.failed) == 1
            assert "451" in run.failed[0][1]
            assert sleeps == [1.5]  # two tries, one backoff between them
            [row] = store.deliveries()
            assert row.state is DeliveryState.FAILED and row.attempts == 1
            # the server recovers: the next run sends it, once
            run = deliver(store, SmtpMailer(config.mail), config, clock, sleep=sleeps.append)
            assert len(run.sent) == 1
            [row] = store.deliveries()
            assert row.state is DeliveryState.SENT and row.attempts == 2
    assert len(handler.received) == 1


def test_a_permanent_refusal_is_not_retried(tmp_path: Path) -> None:
    handler = Handler(refuse_data=["550 5.7.1 Rejected"])
    sleeps: list[float] = []
    with smtp_server(handler) as (_, port):
        config = config_for(port, tmp_path, max_attempts=4)
        with SqlStore.open_path(tmp_path / "data" / "auditor.sqlite3") as store:
            store.enqueue_mail(outgoing([audit_report()], config, Renderer(), clock()), clock())
            run = deliver(store, SmtpMailer(config.mail), config, clock, sleep=sleeps.append)
    assert len(run.failed) == 1 and "550" in run.failed[0][1] and sleeps == []


def test_a_server_that_is_down_fails_clearly_and_nothing_is_lost(tmp_path: Path) -> None:
    port = free_port()  # nobody listens
    config = config_for(port, tmp_path)
    data = tmp_path / "data"
    (data).mkdir()
    config_file = tmp_path / "auditor.toml"
    config_file.write_text(
        f'[store]\ndata_dir = "{data}"\n[mail]\nenabled = true\nhost = "127.0.0.1"\n'
        f'port = {port}\nsecurity = "none"\nsender = "auditor@example.org"\n'
        "max_attempts = 1\n"
        '[[directory]]\nname = "Оператор"\nemail = "operator@example.org"\nrole = "operator"\n',
        encoding="utf-8",
    )
    with SqlStore.open_path(data / "auditor.sqlite3") as store:
        store.enqueue_mail(outgoing([audit_report()], config, Renderer(), clock()), clock())
    result = CliRunner().invoke(main, ["--config", str(config_file), "send"])
    assert result.exit_code == 9, result.output
    assert f"127.0.0.1:{port}" in result.output and "ConnectionRefused" in result.output
    listing = CliRunner().invoke(main, ["--config", str(config_file), "outbox"])
    assert "failed" in listing.output and "operator@example.org" in listing.output
    dry = CliRunner().invoke(main, ["--config", str(config_file), "send", "--dry-run"])
    assert dry.exit_code == 0 and "would send: operator@example.org" in dry.output
    with smtp_server(port=port) as (handler, _):  # the server is back
        again = CliRunner().invoke(main, ["--config", str(config_file), "send"])
        assert again.exit_code == 0, again.output
    assert len(handler.received) == 1


def test_login_with_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cr3t-pass")
    with smtp_server(login=("auditor", "s3cr3t-pass")) as (handler, port):
        config = config_for(port, tmp_path, username="auditor", password_env="TEST_SMTP_PASSWORD")
        with SqlStore.open_path(tmp_path / "data" / "auditor.sqlite3") as store:
            caplog.set_level("DEBUG")
            run = send_all(config, store, [audit_report()])
    assert len(run.sent) == 1 and handler.logins == [("auditor", "s3cr3t-pass")]  # type: ignore[attr-defined]
    assert "s3cr3t" not in caplog.text


def test_a_sender_killed_mid_send_leaves_exactly_one_copy(tmp_path: Path) -> None:
    """`auditor send` is killed while the server holds it at RCPT (the mail is claimed,
    "sending"); a restarted `auditor send` sees the owner is gone and sends it: one copy."""
    handler = Handler(hold_rcpt=threading.Event())
    with smtp_server(handler) as (_, port):
        config = config_for(port, tmp_path)
        data = tmp_path / "data"
        config_file = tmp_path / "auditor.toml"
        config_file.write_text(
            f'[store]\ndata_dir = "{data}"\n[mail]\nenabled = true\nhost = "127.0.0.1"\n'
            f'port = {port}\nsecurity = "none"\nsender = "auditor@example.org"\n'
            '[[directory]]\nname = "Заведующий"\nemail = "head1@example.org"\nrole = "head"\n'
            "department_id = 1\n",
            encoding="utf-8",
        )
        with SqlStore.open_path(data / "auditor.sqlite3") as store:
            store.enqueue_mail(outgoing([daily_report(1)], config, Renderer(), clock()), clock())
        auditor = Path(sys.executable).with_name("auditor")
        sender = subprocess.Popen([str(auditor), "--config", str(config_file), "send"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        assert handler.at_rcpt.wait(60), "the sender never reached RCPT"
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(10)
        with SqlStore.open_path(data / "auditor.sqlite3") as store:
            [row] = store.deliveries()
        assert row.state is DeliveryState.SENDING and row.owner.endswith(f":{sender.pid}")
        handler.hold_rcpt = None  # the server answers normally again
        handler.at_rcpt.clear()
        again = CliRunner().invoke(main, ["--config", str(config_file), "send"])
        assert again.exit_code == 0, again.output
        assert "1 sent" in again.output
        third = CliRunner().invoke(main, ["--config", str(config_file), "send"])
        assert "0 sent" in third.output
    assert len(handler.received) == 1
    with SqlStore.open_path(data / "auditor.sqlite3") as store:
        [row] = store.deliveries()
    assert row.state is DeliveryState.SENT and row.attempts == 2


def test_a_live_owner_keeps_its_mail_until_it_is_stale(tmp_path: Path) -> None:
    with SqlStore.open_path(tmp_path / "s.sqlite3") as store:
        config = config_for(free_port(), tmp_path)
        store.enqueue_mail(outgoing([audit_report()], config, Renderer(), NOW), NOW)
        [key] = store.claimable_mail(NOW, timedelta(minutes=10))
        assert store.claim_mail(key, NOW, timedelta(minutes=10)) is not None  # this process
        assert store.claim_mail(key, NOW, timedelta(minutes=10)) is None  # held (alive)
        assert store.claimable_mail(NOW + timedelta(minutes=5), timedelta(minutes=10)) == []
        later = NOW + timedelta(minutes=11)
        assert store.claim_mail(key, later, timedelta(minutes=10)) is not None  # stale


def test_mail_settings_are_checked(tmp_path: Path) -> None:
    from auditor.config import config_from_mapping
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        config_from_mapping({
            "mail": {"enabled": True, "security": "tls", "port": 0},
            "directory": [{"name": "X", "email": "not-an-address", "role": "head"}],
        })  # fmt: skip
    text = str(err.value) + "\n".join(err.value.problems)
    for needle in ("mail.security", "mail.port", "mail.sender", "directory[0].email",
                   "directory[0].department_id"):  # fmt: skip
        assert needle in text


def test_report_send_dry_run_writes_nothing(tmp_path: Path) -> None:
    config = replace(config_for(free_port(), tmp_path), mail=MailConfig())
    mails = outgoing([daily_report(1)], config, Renderer(), NOW)
    assert [m.recipient for m in mails] == ["head1@example.org"]
    assert time.time() > 0 and not (tmp_path / "data").exists()
