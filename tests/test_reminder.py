"""The teacher's reminder before midnight, on a real synced store.

The tiny hand-written institution (tests/data/tiny_dataset.json) with three more lessons on
Monday 15 September 2025, so that two teachers teach that day:

- 15:00 Палитра-1, Педагогов (the template's slot): entered only at 21:40, its attendance
  only on the 17th;
- 17:00 Палитра-2, Учителева: all filled in at 18:05;
- 18:00 Палитра-1, Педагогов: cancelled;
- 19:00 Палитра-2, Педагогов (a substitution): entered at 19:30 with the placeholder topic
  «тема» and no attendance.

The simulator serves it and the store syncs it at chosen moments, evening polls included.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from auditor.config import Config
from auditor.demo.replay import replay, simulator_config
from auditor.errors import NoObservationsError, UsageError
from auditor.report.common import Audience, Kind, Report
from auditor.report.mail import mail_html
from auditor.report.outputs import mail_body
from auditor.report.reminder import ReminderLine, reminders
from auditor.report.render import Renderer
from auditor.simulator.dataset import Dataset, dataset_from_json, dataset_to_json
from auditor.simulator.server import running_simulator
from auditor.store import SqlStore

DAY = date(2025, 9, 15)
TEACHER, OTHER = 3, 4  # Педагогов (group Палитра-1's teacher), Учителева (Палитра-2's)


def _lesson(number: int, group: int, start: str, end: str, teacher: int, **fields: Any) -> Any:
    lesson = {
        "id": number, "group_id": group, "date": DAY.isoformat(), "start": start, "end": end,
        "teacher_id": teacher, "cancelled": False, "topic": [], "completion": [],
        "absent_student_ids": [], "substitution": [], "homework": [],
    }  # fmt: skip
    return lesson | fields


def _at(hour: int, minute: int) -> str:
    return f"{DAY.isoformat()}T{hour:02d}:{minute:02d}:00+07:00"


@pytest.fixture(scope="module")
def dataset(tiny_dataset: Dataset) -> Dataset:
    raw = dataset_to_json(tiny_dataset)
    raw["lessons"] += [
        _lesson(9004, 101, "17:00", "18:00", OTHER, entered_at=_at(18, 5),
                topic=[{"at": _at(18, 5), "value": "Акварель: растяжка цвета"}],
                completion=[{"at": _at(18, 5), "value": True}],
                absent_student_ids=[{"at": _at(18, 5), "value": [1001]}]),
        _lesson(9005, 100, "18:00", "19:00", TEACHER, cancelled=True, entered_at=_at(17, 0)),
        _lesson(9006, 101, "19:00", "20:00", TEACHER, entered_at=_at(19, 30),
                topic=[{"at": _at(19, 30), "value": "тема"}]),
    ]  # fmt: skip
    return dataset_from_json(raw, source="tiny + 15.09")


@pytest.fixture(scope="module")
def synced(
    dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SqlStore, Config]]:
    folder = tmp_path_factory.mktemp("reminder")
    tz = dataset.institution.tz

    def at(day: int, hour: int, minute: int) -> datetime:
        return datetime(2025, 9, day, hour, minute, tzinfo=tz)

    polls = [at(14, 7, 0), at(15, 12, 0), at(15, 19, 50), at(15, 21, 50), at(16, 7, 0),
             at(22, 19, 50), at(29, 19, 50)]  # fmt: skip
    with running_simulator(dataset, polls[0]) as (url, sim):
        config, environ = simulator_config(url, dataset)
        with SqlStore.open_path(folder / "auditor.sqlite3") as store:
            replay(sim.clock.set, config, environ, store, polls)
            yield store, config


def _remind(synced: tuple[SqlStore, Config], day: date, hour: int, minute: int) -> list[Report]:
    store, config = synced
    now = datetime(day.year, day.month, day.day, hour, minute, tzinfo=config.institution.tz)
    return reminders(store, config, day, now)


def _only(reports: list[Report]) -> Report:
    assert [r.body.staff_id for r in reports] == [TEACHER]
    return reports[0]


def test_evening_reminder_lists_the_teachers_own_open_lessons(
    synced: tuple[SqlStore, Config],
) -> None:
    report = _only(_remind(synced, DAY, 20, 0))  # Учителева filled hers in: no reminder
    assert report.body.lessons == (
        ReminderLine("15:00", "Палитра-1", "занятие не внесено в журнал"),
        ReminderLine("19:00", "Палитра-2", "тема и посещаемость"),  # «тема» is a placeholder
    )  # the cancelled 18:00 lesson is not listed
    assert (report.kind, report.audience) == (Kind.REMINDER, Audience.TEACHER)
    assert report.stem == "reminder-2025-09-15-staff-3"
    assert report.department_id is None and report.findings.empty
    assert report.body.teacher == report.heading.subtitle == "Педагогов Пётр Вымышленович"
    assert report.heading.period == report.body.day == "15 сентября 2025\u00a0г."
    assert report.heading.as_of == "15.09.2025 20:00"
    assert report.workbook.counts.rows == (
        ("15:00", "Палитра-1", "занятие не внесено в журнал"),
        ("19:00", "Палитра-2", "тема и посещаемость"),
    )


def test_the_reminder_is_the_latest_state_as_of_its_moment(
    synced: tuple[SqlStore, Config],
) -> None:
    # Before any lesson of the day, nothing; the 12:00 read precedes the 15:00 slot, so
    # its absence then proves nothing.
    assert _remind(synced, DAY, 12, 30) == []
    # After the 21:50 poll the 15:00 lesson is in the journal with its topic.
    report = _only(_remind(synced, DAY, 22, 0))
    assert report.body.lessons == (
        ReminderLine("15:00", "Палитра-1", "посещаемость"),
        ReminderLine("19:00", "Палитра-2", "тема и посещаемость"),
    )
    # 22.09: the substitute (Учителева) filled everything in; 29.09: the lesson is cancelled.
    assert _remind(synced, date(2025, 9, 22), 20, 0) == []
    assert _remind(synced, date(2025, 9, 29), 20, 0) == []


def test_only_what_the_enabled_rules_judge_is_asked_for(
    synced: tuple[SqlStore, Config],
) -> None:
    store, config = synced
    off = {"lesson-attendance-same-day": {"enabled": False}}
    quieter = dataclasses.replace(config, rules=off)
    now = datetime(2025, 9, 15, 22, 0, tzinfo=config.institution.tz)
    report = _only(reminders(store, quieter, DAY, now))
    assert report.body.lessons == (ReminderLine("19:00", "Палитра-2", "тема"),)
    words = " ".join(mail_body(report, Renderer()).text.split())
    assert "в журнале ещё не заполнено ваше занятие: • 19:00, Палитра-2: тема" in words
    assert "Внесите его до полуночи" in words


def test_a_reminder_is_for_a_moment_of_its_own_day(synced: tuple[SqlStore, Config]) -> None:
    store, config = synced
    tz = config.institution.tz
    with pytest.raises(UsageError):
        reminders(store, config, DAY, datetime(2025, 9, 16, 0, 30, tzinfo=tz))
    with pytest.raises(NoObservationsError):  # no sync on the 17th: nothing to remind of
        reminders(store, config, date(2025, 9, 17), datetime(2025, 9, 17, 20, 0, tzinfo=tz))


def test_the_mail_names_nobody_else_and_stays_phone_short(
    synced: tuple[SqlStore, Config], dataset: Dataset
) -> None:
    report = _only(_remind(synced, DAY, 20, 0))
    body = mail_body(report, Renderer())
    html, text = body.html, body.text
    words = " ".join(text.split())
    assert "Сегодня, 15 сентября, в журнале ещё не заполнены ваши занятия:" in words
    assert "15:00, Палитра-1: занятие не внесено в журнал" in words
    assert "19:00, Палитра-2: тема и посещаемость" in words
    assert "Внесите их до полуночи: по п. 1.12 Положения записи вносятся в день занятия." in words
    assert "во вложении" not in words  # a reminder has no attachment
    for part in (html, text):
        assert "Учителева" not in part and "17:00" not in part and "18:00" not in part
        for person in (*dataset.students, *dataset.parents):
            assert person.full_name not in part and person.full_name.split()[0] not in part
    assert len(text.splitlines()) < 15


def test_the_mail_body_is_inlined_on_one_line_and_prints(
    synced: tuple[SqlStore, Config],
) -> None:
    report = _only(_remind(synced, DAY, 20, 0))
    renderer = Renderer()
    body = mail_html(renderer.html(report, "mail"))
    assert "\n" not in body and "<style" not in body and "<img" not in body
    assert re.search(r'<li style="[^"]+">', body)
    assert "Напоминание: заполните журнал сегодня" in renderer.html(report, "print")


def test_the_reminder_reaches_its_teacher_only_and_once(
    synced: tuple[SqlStore, Config], tmp_path: Any
) -> None:
    """Mailed through the ledger to a real SMTP server: the teacher whose lessons they are,
    not the other teacher (who is in the directory too), and once for the day."""
    from datetime import UTC

    from auditor.config import MailConfig, Person
    from auditor.delivery.mailer import SmtpMailer
    from auditor.delivery.outbox import deliver, outgoing
    from tests.smtp_server import smtp_server

    store, config = synced
    reports = _remind(synced, DAY, 20, 0)
    with smtp_server() as (handler, port):
        mailing = dataclasses.replace(
            config,
            mail=MailConfig(enabled=True, host="127.0.0.1", port=port, security="none",
                            sender="auditor@example.org", retry_base_s=0.0),
            directory=(Person("Педагогов П. В.", "teacher3@example.org", "teacher", staff_id=3),
                       Person("Учителева У. У.", "teacher4@example.org", "teacher", staff_id=4)),
        )  # fmt: skip

        def clock() -> datetime:
            return datetime.now(UTC)

        for _ in range(2):  # the scheduler's job runs again (a restart): no second copy
            store.enqueue_mail(outgoing(reports, mailing, Renderer(), clock()), clock())
            deliver(store, SmtpMailer(mailing.mail), mailing, clock, sleep=lambda _s: None)
    [got] = handler.received
    assert got.recipients == ["teacher3@example.org"]
    assert got.message["Subject"].startswith("Напоминание: заполните журнал сегодня")
    assert list(got.message.iter_attachments()) == []
    text = got.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Палитра-2" in text and "Учителева" not in text
