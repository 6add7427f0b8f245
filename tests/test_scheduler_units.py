"""The scheduler's parts on their own: the operator's notice of failed mails (a real SMTP
server on 127.0.0.1, down then up), the late mark, and the catch-up policies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path

from auditor.config import Config, InstitutionConfig, MailConfig, Person, StoreConfig
from auditor.contract.deliveries import DeliveryState
from auditor.delivery.outbox import outgoing
from auditor.report.render import Renderer
from auditor.schedule.agenda import CatchUp, JobId, agenda
from auditor.schedule.duties import Duties
from auditor.schedule.runner import JobRunner
from auditor.store import SqlStore
from tests.report_samples import TZ, daily_report
from tests.smtp_server import free_port, smtp_server

DIRECTORY = (
    Person("Бурова Елена Максимовна", "operator@example.org", "operator"),
    Person("Солин Максим Романович", "head1@example.org", "head", department_id=1),
)


def config_for(port: int, tmp_path: Path) -> Config:
    from auditor.config import ScheduleConfig

    return Config(
        schedule=ScheduleConfig(reminder_enabled=True),
        institution=InstitutionConfig(name="ЦТ «Радуга»"),
        store=StoreConfig(data_dir=str(tmp_path)),
        mail=MailConfig(enabled=True, host="127.0.0.1", port=port, security="none",
                        sender="auditor@example.org", max_attempts=2, retry_base_s=0.0),
        directory=DIRECTORY,
    )  # fmt: skip


def subject_of(data: bytes) -> str:
    from email import message_from_bytes

    return str(make_header(decode_header(message_from_bytes(data)["Subject"])))


def test_the_operator_is_told_of_failed_mails_with_the_next_delivery(tmp_path: Path) -> None:
    port = free_port()  # nobody listens yet
    config = config_for(port, tmp_path)
    moment = datetime(2025, 10, 1, 7, 30, tzinfo=TZ)
    with SqlStore.open_path(tmp_path / "auditor.sqlite3") as store:
        sleeps: list[float] = []
        duties = Duties(config, store, lambda: moment, {}, sleep=sleeps.append)
        reports = [daily_report(), daily_report(day=date(2025, 10, 2))]
        line = duties.mail(reports, moment, late=False)
        # the server is down: one mail is tried (with its retries), the other is left for
        # the next run instead of being tried in vain too
        assert "0 sent, 1 failed, 1 left for the next run (the server is unreachable); " in line
        assert "the operator's notice is queued" in line
        assert len(sleeps) == config.mail.max_attempts - 1
        # a second failing run (the notice fails too): still one notice
        assert duties.deliver().startswith("0 sent, 1 failed, 2 left for the next run")
        queued = [d for d in store.deliveries() if d.kind == "notice"]
        assert [(d.recipient, d.state) for d in queued] == [
            ("operator@example.org", DeliveryState.PENDING)
        ]
        with smtp_server(port=port) as (handler, _):  # the server is back
            assert duties.deliver().startswith("3 sent, 0 failed")
    subjects = sorted(subject_of(r.data) for r in handler.received)
    assert (
        subjects[0]
        == "Ежедневная сводка по ведению электронного журнала: " + (subjects[0].split(": ", 1)[1])
    )
    notice = next(r for r in handler.received if r.recipients == ["operator@example.org"])
    assert subject_of(notice.data) == "Не отправлены письма с отчётами: 01.10.2025"
    text = notice.message.get_body(("plain",))
    assert text is not None
    body = str(text.get_content())
    assert "не удалось отправить 1 письмо; ещё 1 письмо ждёт отправки" in body
    assert "head1@example.org" in body
    assert "Connection" in body  # the reason, so that the operator can act on it


def test_a_late_mail_says_so_in_its_subject(tmp_path: Path) -> None:
    config = config_for(free_port(), tmp_path)
    now = datetime.now(UTC)
    late = outgoing([daily_report()], config, Renderer(), now, due_at=now, late=True)
    on_time = outgoing([daily_report()], config, Renderer(), now, due_at=now, late=False)
    assert subject_of(late[0].message).startswith("(с опозданием) Ежедневная сводка")
    assert late[0].subject.startswith("(с опозданием) ") and late[0].late is True
    assert not subject_of(on_time[0].message).startswith("(с опозданием)")


def test_catch_up_policies(tmp_path: Path) -> None:
    config = config_for(free_port(), tmp_path)
    moment = datetime(2025, 10, 7, 10, 0, tzinfo=TZ)
    jobs = {job.id: job for job in agenda(config)}
    with SqlStore.open_path(tmp_path / "auditor.sqlite3") as store:
        duties = Duties(config, store, lambda: moment, {})
        runner = JobRunner(list(jobs.values()), store, duties, lambda: moment)
        dues = [moment - timedelta(days=d, hours=2) for d in (3, 2, 1, 0)]
        latest = runner.catch_up(jobs[JobId.DIGESTS], dues, moment)
        assert latest[0] == dues[-1:] and latest[1] == dues[:-1]
        assert jobs[JobId.HEADS_MONTHLY].catch_up is CatchUp.EACH
        assert runner.catch_up(jobs[JobId.HEADS_MONTHLY], dues, moment)[0] == dues
        evening = [moment - timedelta(days=1, hours=-10)]  # yesterday 20:00
        assert runner.catch_up(jobs[JobId.REMINDER], evening, moment)[:2] == ([], evening)
