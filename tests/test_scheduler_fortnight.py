"""A simulated fortnight of ``auditor serve``'s jobs, on a controllable clock, over the
simulator and a real SMTP server: exactly the expected mails (who, what, when), a downtime
and its catch-up, and teachers' reminders naming only their own lessons.

The institution is the tiny hand-written one (tests/data/tiny_dataset.json) with a second
department and lessons from Monday 29 September to Friday 10 October 2025:

- Художественный отдел (head 2): Педагогов (3) teaches Палитра-1 on Mondays at 15:00,
  Учителева (4) Палитра-2 on Wednesdays at 17:00;
- Технический отдел (head 5): Механиков (6) teaches Робот-1 on Tuesdays and Thursdays at
  16:00.

The scheduler runs from Monday 29.09 06:00, is down from Friday 03.10 12:00 to Tuesday
07.10 10:00 (so it misses Friday's evening sync and reminder, the weekend, Monday's digests,
monthly reports and reminder, and Tuesday's digests), and runs on to Sunday 12.10. The
monthly reports fall on the 6th in this configuration, inside the downtime.
"""

from __future__ import annotations

import copy
import email.utils
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest

from auditor.config import Config, MailConfig, Person, ScheduleConfig, StoreConfig
from auditor.contract.deliveries import DeliveryState
from auditor.contract.schedule import RunState
from auditor.demo.replay import simulator_config
from auditor.demo.scheduled import SimulatedClock
from auditor.schedule.agenda import JobId, agenda
from auditor.schedule.duties import Duties
from auditor.schedule.runner import JobRunner, timeline
from auditor.simulator.dataset import Dataset, dataset_from_json, dataset_to_json
from auditor.simulator.server import running_simulator
from auditor.store import SqlStore
from tests.smtp_server import Handler, Received, smtp_server

TZ_NAME = "Asia/Novokuznetsk"
START = datetime.fromisoformat("2025-09-28T06:00:00+07:00")  # a Sunday
DOWN = datetime.fromisoformat("2025-10-03T12:00:00+07:00")
UP = datetime.fromisoformat("2025-10-07T10:00:00+07:00")
END = datetime.fromisoformat("2025-10-12T23:59:00+07:00")

DIRECTORY = (
    Person("Тестова Оператора Демовна", "operator@example.org", "operator"),
    Person("Заведова Отдела Примерновна", "head1@example.org", "head", department_id=1),
    Person("Техникова Инна Сергеевна", "head2@example.org", "head", department_id=2),
    Person("Замова Татьяна Степановна", "zam@example.org", "deputy_director"),
    Person("Педагогов Пётр Вымышленович", "t3@example.org", "teacher", staff_id=3),
    Person("Учителева Анна Примеровна", "t4@example.org", "teacher", staff_id=4),
    Person("Механиков Олег Петрович", "t6@example.org", "teacher", staff_id=6),
)


def _at(day: str, clock: str) -> str:
    return f"2025-{day}T{clock}:00+07:00"


def _lesson(number: int, group: int, day: str, start: str, teacher: int, *,
            entered: str | None = None, topic: str | None = None,
            attendance: str | None = None, **fields: Any) -> dict[str, Any]:  # fmt: skip
    """A lesson of 2025-``day`` (MM-DD); ``entered``, ``topic``, ``attendance``: HH:MM or
    «MM-DD HH:MM» of when each was first filled in (None: never)."""

    def moment(text: str) -> str:
        return _at(*text.split()) if " " in text else _at(day, text)

    hour = int(start[:2])
    lesson: dict[str, Any] = {
        "id": number, "group_id": group, "date": f"2025-{day}", "start": start,
        "end": f"{hour + 1:02d}:{start[3:]}", "teacher_id": teacher, "cancelled": False,
        "entered_at": moment(entered) if entered else None, "topic": [], "completion": [],
        "absent_student_ids": [], "substitution": [], "homework": [],
    }  # fmt: skip
    if topic:
        lesson["topic"] = [{"at": moment(topic), "value": f"Тема занятия {number}"}]
        lesson["completion"] = [{"at": moment(topic), "value": True}]
    if attendance:
        lesson["absent_student_ids"] = [{"at": moment(attendance), "value": []}]
    return lesson | fields


def fortnight_dataset(tiny: Dataset) -> Dataset:
    raw = copy.deepcopy(dataset_to_json(tiny))
    raw["departments"].append({"id": 2, "name": "Технический отдел", "kind": "отдел", "head_id": 5})
    raw["associations"].append(
        {"id": 11, "name": "Робототехника", "department_id": 2,
         "created_at": "2025-08-25T09:00:00+07:00"}
    )  # fmt: skip
    raw["groups"].append(
        {"id": 102, "name": "Робот-1", "association_id": 11, "teacher_id": 6,
         "year_of_study": 1, "created_at": "2025-08-25T09:00:00+07:00"}
    )  # fmt: skip
    head, teacher = (copy.deepcopy(s) for s in raw["staff"][1:3])
    head.update(id=5, full_name="Техникова Инна Сергеевна", department_id=2,
                email="head5@example.invalid", account={"login": "head2",
                "created_at": "2025-08-20T09:00:00+07:00"})  # fmt: skip
    teacher.update(id=6, full_name="Механиков Олег Петрович", department_id=2,
                   email="teacher6@example.invalid", account={"login": "teacher6",
                   "created_at": "2025-08-21T09:00:00+07:00"})  # fmt: skip
    teacher["rights"][0]["value"]["journal_group_ids"] = [102]
    raw["staff"] += [head, teacher]
    raw["students"][0]["group_ids"].append(102)
    slot = {"room": "каб. 5", "created_at": "2025-08-30T12:00:00+07:00"}
    raw["schedule"] += [
        {"group_id": 101, "weekday": 2, "start": "17:00", "end": "18:00", **slot},
        {"group_id": 102, "weekday": 1, "start": "16:00", "end": "17:00", **slot},
        {"group_id": 102, "weekday": 3, "start": "16:00", "end": "17:00", **slot},
    ]
    raw["schedule"][0]["end"] = "16:00"
    raw["lessons"] = [lesson for lesson in raw["lessons"] if lesson["date"] < "2025-09-29"]
    raw["lessons"] += [
        _lesson(9100, 100, "09-29", "15:00", 3, entered="10:00", cancelled=True),
        # Tuesday: entered the next morning (late): a reminder on the evening
        _lesson(9101, 102, "09-30", "16:00", 6, entered="10-01 10:00", topic="10-01 10:00",
                attendance="10-01 10:00"),
        # Wednesday: topic after the reminder, at 21:30 (on time); attendance never
        _lesson(9102, 101, "10-01", "17:00", 4, entered="21:30", topic="21:30"),
        _lesson(9103, 102, "10-02", "16:00", 6, entered="17:05", topic="17:05",
                attendance="17:05"),
        _lesson(9104, 100, "10-06", "15:00", 3, entered="16:10", topic="16:10",
                attendance="16:10"),
        # Tuesday after the downtime: entered empty, nothing more (missing)
        _lesson(9105, 102, "10-07", "16:00", 6, entered="16:05"),
        _lesson(9106, 101, "10-08", "17:00", 4, entered="18:05", topic="18:05",
                attendance="18:05"),
        _lesson(9107, 102, "10-09", "16:00", 6, entered="16:50", topic="16:50",
                attendance="16:50"),
    ]  # fmt: skip
    return dataset_from_json(raw, source="tiny + fortnight")


@dataclass
class Fortnight:
    store: SqlStore
    config: Config
    received: list[Received]


@pytest.fixture(scope="module")
def fortnight(
    tiny_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fortnight]:
    dataset = fortnight_dataset(tiny_dataset)
    folder = tmp_path_factory.mktemp("fortnight")
    handler = Handler()
    with smtp_server(handler) as (_, port), running_simulator(dataset, START) as (url, sim):
        base = Config(
            store=StoreConfig(data_dir=str(folder)),
            mail=MailConfig(enabled=True, host="127.0.0.1", port=port, security="none",
                            sender="auditor@example.org", max_attempts=2, retry_base_s=0.0),
            schedule=ScheduleConfig(sync_times=("07:00", "23:50"), reminder_enabled=True,
                                    monthly_day=6),
            directory=DIRECTORY,
        )  # fmt: skip
        config, environ = simulator_config(url, dataset, base)
        config = replace(config, institution=replace(config.institution, name="ЦТ Тестовый"))
        clock = SimulatedClock(START, sim.clock.set)
        with SqlStore.open_path(folder / "auditor.sqlite3") as store:

            def start_scheduler() -> JobRunner:  # as `auditor serve` does on start
                duties = Duties(config, store, clock, environ, sleep=lambda _s: None)
                runner = JobRunner(agenda(config), store, duties, clock)
                runner.run_all_due()
                return runner

            runner = start_scheduler()
            restarted = False
            for moment, job in timeline(list(runner.jobs.values()), START, END):
                if DOWN <= moment < UP:
                    continue  # the scheduler is down: nothing fires
                if moment >= UP and not restarted:
                    clock.set(UP)
                    runner, restarted = start_scheduler(), True
                clock.set(moment)
                runner.run_due(job.id)  # what APScheduler's fire() does
            yield Fortnight(store, config, list(handler.received))


def _subject(received: Received) -> str:
    return str(make_header(decode_header(received.message["Subject"])))


def _sent_at(received: Received) -> datetime:
    moment = email.utils.parsedate_to_datetime(received.message["Date"])
    return moment.astimezone(START.tzinfo)


def _text(received: Received) -> str:
    part = received.message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _mails(f: Fortnight) -> list[tuple[str, str, str]]:
    """(recipient, what, when) of every mail that arrived, in order; «what» is the ledger's
    kind and period, «when» the local moment it was written (its Date header)."""
    rows = {d.message_id: d for d in f.store.deliveries()}
    out = []
    for mail in f.received:
        row = rows[mail.message["Message-ID"]]
        out.append((mail.recipients[0], f"{row.kind} {row.period}",
                    f"{_sent_at(mail):%d.%m %H:%M}"))  # fmt: skip
    return out


def _by_stem(f: Fortnight) -> dict[str, Received]:
    """The mails that arrived, by their report's stem (the ledger key's first part)."""
    keys = {d.message_id: d.key.split("|")[0] for d in f.store.deliveries()}
    return {keys[m.message["Message-ID"]]: m for m in f.received}


def _working_days() -> list[str]:
    return ["29.09", "30.09", "01.10", "02.10", "03.10", "07.10", "08.10", "09.10", "10.10"]


def test_exactly_the_expected_mails_arrive(fortnight: Fortnight) -> None:
    expected = []
    for day in _working_days():
        when = "07.10 10:00" if day == "07.10" else f"{day} 07:30"  # the catch-up
        iso = f"2025-{day[3:]}-{day[:2]}"
        expected += [
            ("head1@example.org", f"daily {iso}-dept-1", when),
            ("head2@example.org", f"daily {iso}-dept-2", when),
        ]
        if day == "07.10":  # the monthly reports due on Monday 6th, sent once, late
            expected += [
                ("head1@example.org", "head-monthly 2025-09-dept-1", "07.10 10:00"),
                ("head2@example.org", "head-monthly 2025-09-dept-2", "07.10 10:00"),
                ("zam@example.org", "monthly 2025-09", "07.10 10:00"),
            ]
    expected += [  # the evenings with something open at 20:00 (none on the missed ones)
        ("t6@example.org", "reminder 2025-09-30-staff-6", "30.09 20:00"),
        ("t4@example.org", "reminder 2025-10-01-staff-4", "01.10 20:00"),
        ("t6@example.org", "reminder 2025-10-07-staff-6", "07.10 20:00"),
    ]
    runs = [
        (r.job_id, f"{r.due_at:%d.%m %H:%M}", r.state.value, r.detail)
        for r in fortnight.store.job_runs(limit=500)
        if r.job_id != "sync"
    ]
    assert sorted(_mails(fortnight)) == sorted(expected), runs
    # each arrived once (the ledger's key), and the server got nothing the ledger lacks
    ids = [m.message["Message-ID"] for m in fortnight.received]
    assert len(ids) == len(set(ids)) == len(expected)
    assert all(d.state is DeliveryState.SENT for d in fortnight.store.deliveries())


def test_the_catch_up_is_one_late_mail_per_report_and_says_since_when(
    fortnight: Fortnight,
) -> None:
    late = {d.key.split("|")[0] for d in fortnight.store.deliveries() if d.late}
    assert late == {
        "daily-2025-10-07-dept-1", "daily-2025-10-07-dept-2",
        "head-monthly-2025-09-dept-1", "head-monthly-2025-09-dept-2", "monthly-2025-09",
    }  # fmt: skip
    # The first digest after the downtime covers everything since the last one sent
    # (Friday's), not Monday only.
    digest = _by_stem(fortnight)["daily-2025-10-07-dept-2"]
    assert "03.10.2025 07:30" in _text(digest), _text(digest)
    assert "с опозданием" in _subject(digest)


def test_missed_runs_are_recorded_not_lost(fortnight: Fortnight) -> None:
    runs = fortnight.store.job_runs(limit=500)
    skipped = {(r.job_id, f"{r.due_at.astimezone(START.tzinfo):%d.%m %H:%M}")
               for r in runs if r.state is RunState.SKIPPED}  # fmt: skip
    syncs = {(JobId.SYNC.value, m) for m in
             ("03.10 23:50", "04.10 07:00", "04.10 23:50", "05.10 07:00", "05.10 23:50",
              "06.10 07:00", "06.10 23:50")}  # fmt: skip
    assert skipped == syncs | {
        (JobId.DIGESTS.value, "06.10 07:30"),
        (JobId.REMINDER.value, "03.10 20:00"),
        (JobId.REMINDER.value, "06.10 20:00"),
    }
    assert not [r for r in runs if r.state is RunState.FAILED]
    # The sync due at 07:00 on Tuesday ran at 10:00, late, once.
    tuesday = [r for r in runs if r.job_id == JobId.SYNC.value
               and r.due_at == datetime.fromisoformat("2025-10-07T07:00:00+07:00")]  # fmt: skip
    assert [(r.state, r.late) for r in tuesday] == [(RunState.DONE, True)]


def test_reminders_name_only_the_teachers_own_lessons(fortnight: Fortnight) -> None:
    reminders = {
        stem: _text(m) for stem, m in _by_stem(fortnight).items() if stem.startswith("reminder")
    }
    assert len(reminders) == 3
    for key, text in reminders.items():
        if key.endswith("staff-6"):
            assert "Робот-1" in text and "Палитра" not in text
        else:
            assert "Палитра-2" in text and "Робот" not in text and "Палитра-1" not in text
    wednesday = reminders["reminder-2025-10-01-staff-4"]
    # at 20:00 the lesson was not in the journal yet (entered at 21:30)
    assert "17:00, Палитра-2: занятие не внесено в журнал" in wednesday


def test_each_head_reads_only_their_department(fortnight: Fortnight) -> None:
    for mail in fortnight.received:
        text = _text(mail)
        if mail.recipients == ["head1@example.org"]:
            assert "Робот" not in text and "Механиков" not in text
        if mail.recipients == ["head2@example.org"]:
            assert "Палитра" not in text and "Учителева" not in text


def test_a_second_run_of_the_same_moment_sends_nothing(
    fortnight: Fortnight, tiny_dataset: Dataset
) -> None:
    """Another process (or a restart) at a moment already handled finds the run rows."""
    before = len(fortnight.store.deliveries())
    clock = SimulatedClock(END, lambda _m: None)
    duties = Duties(fortnight.config, fortnight.store, clock, {}, sleep=lambda _s: None)
    runner = JobRunner(agenda(fortnight.config), fortnight.store, duties, clock)
    assert [r for r in runner.run_all_due() if r.job_id != JobId.SYNC.value] == []
    assert len(fortnight.store.deliveries()) == before


def test_working_days_skip_holidays_and_the_monthly_day_moves_back() -> None:
    config = Config(schedule=ScheduleConfig(monthly_day=10))
    jobs = {job.id: job for job in agenda(replace(config, mail=MailConfig(
        enabled=True, sender="a@example.org")))}  # fmt: skip
    tz = START.tzinfo
    assert tz is not None
    digests = [m.date() for m, j in timeline(list(jobs.values()),
               datetime(2025, 10, 31, tzinfo=tz), datetime(2025, 11, 10, tzinfo=tz))
               if j.id is JobId.DIGESTS]  # fmt: skip
    # 1 November 2025 is a working Saturday; 3 and 4 November are days off
    assert digests == [date(2025, 10, 31), date(2025, 11, 1), date(2025, 11, 5),
                       date(2025, 11, 6), date(2025, 11, 7)]  # fmt: skip
    monthly = jobs[JobId.HEADS_MONTHLY].trigger
    fires = [monthly.get_next_fire_time(None, datetime(2025, m, 1, tzinfo=tz))
             for m in (5, 8, 10)]  # fmt: skip
    assert [f.date() if f else None for f in fires] == [
        date(2025, 5, 7),
        date(2025, 8, 8),
        date(2025, 10, 10),
    ]  # 10 May 2025 is a Saturday after two days off; 10 August a Sunday
    assert fires[2] is not None and fires[2].utcoffset() == timedelta(hours=7)


def test_a_missed_evening_sync_makes_lessons_unprovable_not_late(fortnight: Fortnight) -> None:
    """Monday 6 October's lesson was entered on time (16:10), but the scheduler was down
    from Friday to Tuesday 10:00: the first sync that saw it came after its deadline."""
    from auditor.audit import runner

    result = runner.run(fortnight.store, fortnight.config, END, date(2025, 9, 29),
                        date(2025, 10, 10))  # fmt: skip
    findings = result.findings
    monday = findings[(findings["lesson_date"].astype(str) == "2025-10-06")
                      & (findings["rule_id"] == "lesson-topic-same-day")]  # fmt: skip
    assert list(monday["status"]) == ["cannot_prove"]
    thursday = findings[(findings["lesson_date"].astype(str) == "2025-10-02")
                        & (findings["rule_id"] == "lesson-topic-same-day")]  # fmt: skip
    assert "cannot_prove" not in set(thursday["status"])  # synced that night: provable


def test_a_digest_runs_the_lesson_rules_only_and_keeps_switched_off_ones_off(
    fortnight: Fortnight,
) -> None:
    from auditor.report.daily import daily_reports

    config = replace(fortnight.config, rules={"lesson-topic-same-day": {"enabled": False}})
    digest = daily_reports(fortnight.store, config, date(2025, 10, 8), [2])[0]
    ran = {str(rule["id"]) for rule in digest.audit.rules_run}
    assert "lesson-topic-same-day" not in ran and "lesson-attendance-same-day" in ran
    assert not [r for r in ran if r.startswith("setup-")]
    assert set(digest.findings["rule_id"]) <= ran
