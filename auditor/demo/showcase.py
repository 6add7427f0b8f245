"""The end-to-end demo on the embedded demo institution: no network, no accounts needed.

It generates the demo institution, serves it with the ЭШ 2.0 simulator on 127.0.0.1, and
reads it as the auditor does (staff login with CSRF token and session cookie; the mobile API
with header authentication) at two simulated times of one day, showing that what the
journal shows depends on when one looks: the reason the auditor keeps its own observations.
Then it simulates a month as the scheduler will run it (:mod:`auditor.demo.month`): syncs at
the poll times of every day of September into a store in the output directory, an audit of
the month, the findings as XLSX and JSON, and their score against the answer key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import requests

from auditor.demo.mailbox import mailbox_server
from auditor.demo.month import (
    DEMO_POLLS,
    MAIL_DAYS,
    MonthResult,
    report_month,
    run_month,
    scheduler_lines,
)
from auditor.demo.reports import report_workers, write_demo_reports
from auditor.domain import Role
from auditor.simulator.dataset import CredentialKind, Dataset, save_dataset, staff_credential
from auditor.simulator.generator import generate_demo
from auditor.simulator.server import running_simulator
from auditor.simulator.world import Lesson
from auditor.source import staff_pages
from auditor.source.http import HttpClient
from auditor.source.mobile_api import MobileApiClient
from auditor.source.staff_web import StaffWebSession

Echo = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DayView:
    """What the staff journals showed for one lesson day at one moment."""

    moment: datetime
    groups: int
    lessons: int
    with_topic: int
    with_attendance: int


def _fmt(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M")


def operator_session(base_url: str, dataset: Dataset) -> StaffWebSession:
    credential = staff_credential(dataset, Role.OPERATOR)
    http = HttpClient(requests.Session(), base_url, timeout_s=30)
    return StaffWebSession(http, credential.login, credential.password, config_key="source")


def pick_demo_lesson(dataset: Dataset) -> Lesson:
    """An October lesson whose topic the teacher entered in the evening of its day."""
    tz = dataset.institution.tz
    for lesson in dataset.lessons:
        first = lesson.topic.first_set_at()
        if lesson.date.month != 10 or lesson.cancelled or first is None:
            continue
        local = first.astimezone(tz)
        if local.date() == lesson.date and local.time() >= time(19, 0):
            return lesson
    raise LookupError("the demo dataset has no October lesson entered in the evening")


def read_day(session: StaffWebSession, day: date, moment: datetime) -> DayView:
    """Read every group's journal for the month of ``day`` and count that day's entries."""
    groups = staff_pages.parse_groups(session.page(staff_pages.GROUPS_PATH))
    lessons = topics = attendance = 0
    for group in groups:
        path = staff_pages.journal_path(group.id)
        html = session.page(path, staff_pages.journal_params(day.strftime("%Y-%m")))
        for row in staff_pages.parse_journal(html, path):
            if row.date != day or row.cancelled:
                continue
            lessons += 1
            topics += bool(row.topic)
            attendance += row.attendance_marked
    return DayView(moment, len(groups), lessons, topics, attendance)


def run_demo(out_dir: Path, echo: Echo, *, seed: int = 2025, year: int = 2025) -> MonthResult:
    echo("ruobr-auditor demo: the embedded demo institution, no network, no accounts")
    dataset, key = generate_demo(seed=seed, year=year)
    save_dataset(dataset, out_dir / "dataset.json")
    key.save(out_dir / "answer-key.json")
    echo(
        f"[1/6] generated «{dataset.institution.name}» (seed {seed}, "
        f"{year}/{year + 1}): {len(dataset.departments)} departments, "
        f"{len(dataset.associations)} associations, {len(dataset.groups)} groups, "
        f"{len(dataset.staff)} staff, {len(dataset.students)} students, "
        f"{len(dataset.parents)} parents, {len(dataset.lessons)} lessons; "
        f"{len(key.violations)} planted violations in the answer key"
    )

    tz = dataset.institution.tz
    lesson = pick_demo_lesson(dataset)
    entered = lesson.topic.first_set_at()
    assert entered is not None
    evening = datetime.combine(lesson.date, time(18, 0), tzinfo=tz)
    night = datetime.combine(lesson.date, time(23, 50), tzinfo=tz)
    group = next(g for g in dataset.groups if g.id == lesson.group_id)

    with running_simulator(dataset, evening) as (base_url, sim):
        echo(f"[2/6] ЭШ 2.0 simulator on {base_url} (staff web app and mobile API /api3d/)")
        session = operator_session(base_url, dataset)
        echo("      staff web app: logging in as the operator (CSRF token + session cookie)")
        views = []
        for moment in (evening, night):
            sim.clock.set(moment)
            views.append(read_day(session, lesson.date, moment))
        for view in views:
            echo(
                f"      {_fmt(view.moment)}  {view.groups} groups; lessons of "
                f"{lesson.date:%d.%m.%Y} in the journals: {view.lessons}, with topic "
                f"{view.with_topic}, with attendance {view.with_attendance}"
            )
        rows = {}
        for moment in (evening, night):
            sim.clock.set(moment)
            query = staff_pages.journal_params(f"{lesson.date:%Y-%m}")
            html = session.page(staff_pages.journal_path(group.id), query)
            rows[moment] = {r.lesson_id: r for r in staff_pages.parse_journal(html)}
        before, after = rows[evening].get(lesson.id), rows[night].get(lesson.id)
        echo(
            f"      group «{group.name}», lesson {lesson.date:%d.%m} {lesson.start:%H:%M}: "
            f"at 18:00 topic {_topic(before)}; at 23:50 topic {_topic(after)} "
            f"(the teacher entered it at {entered.astimezone(tz):%H:%M})"
        )
        _mobile_demo(base_url, dataset, lesson, (evening, night), sim.clock.set, echo)

    first, last = date(year, 9, 1), date(year, 9, 30)
    echo(
        f"[3/6] a simulated month, {first:%d.%m}–{last:%d.%m.%Y}, as `auditor serve` runs it "
        "on a simulated clock: the simulator in its own process, a sync at "
        f"{' and '.join(f'{m:%H:%M}' for m in DEMO_POLLS)} every day into the store (the "
        f"polls that prove same-day entry); from {last - timedelta(days=MAIL_DAYS - 2):%d.%m} "
        "also the teachers' 20:00 reminders and the heads' 07:30 digests, mailed to a local "
        "SMTP server"
    )
    # The report workers fork first (no thread running yet), then get ready on the other
    # core while the month runs.
    with report_workers() as workers, mailbox_server(out_dir / "mail") as (mailbox, port):
        month = run_month(
            dataset, key, out_dir / "store" / "auditor.sqlite3",
            first=first, last=last, seed=seed, year=year, mail_port=port, echo=echo,
        )  # fmt: skip
        echo(f"      {month.syncs} syncs, {month.requests} requests")
        for line in scheduler_lines(month, dataset.institution.tz):
            echo("      " + line)
        report_month(month, out_dir, dataset.institution.timezone, echo)
        echo("[5/6] the reports for each reader (Russian; HTML mail with its text and charts, "
             "PDF, XLSX), written and mailed")  # fmt: skip
        archived = write_demo_reports(
            out_dir, month.store_path, dataset.institution.name, dataset.institution.timezone,
            first, last, month.audit, echo, mail=month.config, workers=workers,
        )  # fmt: skip
    echo(f"      mail: {len(mailbox.files)} messages received by the demo's SMTP server, each "
         f"as it arrived: {out_dir / 'mail'}")  # fmt: skip
    for line in archived:
        echo(line)
    echo(
        f"      try: auditor --config {out_dir / 'demo.toml'} archive verify; "
        f"auditor --config {out_dir / 'demo.toml'} replay 1"
    )
    echo(f"dataset: {out_dir / 'dataset.json'}; answer key: {out_dir / 'answer-key.json'}")
    return month


def _topic(row: staff_pages.JournalRow | None) -> str:
    if row is None:
        return "— (no journal entry yet)"
    return f"«{row.topic}»" if row.topic else "— (empty)"


def _mobile_demo(
    base_url: str,
    dataset: Dataset,
    lesson: Lesson,
    moments: tuple[datetime, ...],
    set_clock: Callable[[datetime], None],
    echo: Echo,
) -> None:
    students = {s.id for s in dataset.students if lesson.group_id in s.group_ids}
    parents = {p.id: p for p in dataset.parents if students & set(p.student_ids)}
    credential = next(
        (
            c
            for c in dataset.credentials
            if c.kind is CredentialKind.PARENT
            and c.person_id in parents
            and (account := parents[c.person_id].account) is not None
            and account.created_at <= moments[0]
        ),
        None,
    )
    if credential is None:
        echo("      mobile API: no parent of that group has an account yet")
        return
    http = HttpClient(requests.Session(), f"{base_url}/api3d", timeout_s=10)
    client = MobileApiClient(
        http, credential.login, credential.password, config_key="source.mobile_accounts"
    )
    set_clock(moments[0])
    children = client.user()
    child = next(c for c in children if c.id in students)
    echo(
        f"      mobile API: parent «{credential.login}» logged in (header auth), sees "
        f"{len(children)} child(ren) only: {', '.join(c.full_name for c in children)}"
    )
    week_start = lesson.date - timedelta(days=lesson.date.weekday())
    for moment in moments:
        set_clock(moment)
        lessons = client.timetable(child.id, week_start, week_start + timedelta(days=6))
        same = next((m for m in lessons if m.id == lesson.id), None)
        shown = f"«{same.topic}»" if same and same.topic else "—"
        echo(
            f"      {_fmt(moment)}  timetable2 {week_start:%d.%m}–"
            f"{week_start + timedelta(days=6):%d.%m}: {len(lessons)} lessons; "
            f"topic of {lesson.date:%d.%m}: {shown}"
        )
