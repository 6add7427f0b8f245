"""The teacher's reminder before the deadline (clause 1.12): fill in today's lessons.

Prepared on a day at an evening moment (after an evening sync, before midnight): one short
mail per teacher whose lessons of that day still lack a topic or attendance, or who has a
lesson of the schedule template that is not in the journal at all
(:mod:`auditor.audit.today` says exactly what counts). It lists only that teacher's own
lessons of the day: no figures about anyone else, no pupil. A teacher with nothing missing
gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from auditor.audit import runner, today
from auditor.audit.engine import AuditResult
from auditor.config import Config
from auditor.errors import UsageError
from auditor.lazy import pandas as pd
from auditor.report.common import Audience, Heading, Kind, Report, as_of_text, time_of
from auditor.report.document import Column, Table, Workbook
from auditor.russian import RU, long_date
from auditor.store.interface import AuditStore

TITLE = "Напоминание: заполните журнал сегодня"
NOT_ENTERED = "занятие не внесено в журнал"


@dataclass(frozen=True, slots=True)
class ReminderLine:
    time: str  # «15:30»
    group: str  # «Радуга-1А»
    missing: str  # «тема», «посещаемость», «тема и посещаемость», «занятие не внесено в журнал»


@dataclass(frozen=True, slots=True)
class ReminderBody:
    staff_id: int  # the teacher's ЭШ 2.0 staff id: whom to send it to
    teacher: str  # the full name
    day: str  # «1 октября 2025 г.»
    day_month: str  # «1 октября»
    lessons: tuple[ReminderLine, ...]  # by start time


def reminders(store: AuditStore, config: Config, day: date, now: datetime) -> list[Report]:
    """One reminder per teacher with a lesson of ``day`` still lacking an entry as of
    ``now`` (a moment of ``day``, local time), ordered by staff id.

    None when every lesson is filled in, or when the topic, attendance and schedule rules
    are all switched off. Raises :class:`~auditor.errors.NoObservationsError` when no sync
    completed on ``day`` by ``now``: the journal of the day was never looked at.
    """
    tz = config.institution.tz
    if now.astimezone(tz).date() != day:
        raise UsageError(
            f"a reminder for {day:%d.%m.%Y} is prepared on that day, not as of "
            f"{now.astimezone(tz):%d.%m.%Y %H:%M}",
            hint="give a moment of the reminder's day (before midnight, local time)",
        )
    rules = today.reminded_rules(config)
    if not rules:
        return []
    result = runner.judge(store.load_frames(day, day), config, now, day, day, only_rules=rules)
    entries = today.open_entries(result, config)
    entries = entries[entries["teacher_id"].notna()]  # no teacher known: nobody to remind
    return [
        reminder(config, result, int(staff_id), part)
        for staff_id, part in entries.groupby("teacher_id", sort=True)
    ]


def reminder(config: Config, result: AuditResult, staff_id: int, rows: pd.DataFrame) -> Report:
    """The reminder of one teacher from their rows of :func:`auditor.audit.today.open_entries`."""
    assert result.frames is not None
    frames = result.frames
    tz = config.institution.tz
    day = result.start
    names = frames.staff.set_index("staff_id")["full_name"]
    teacher = str(names.get(staff_id, ""))
    groups = frames.groups.set_index("group_id")["name"]
    lines = tuple(
        ReminderLine(time_of(row.start_time), str(groups.get(row.group_id, "")), _missing(row))
        for row in rows.itertuples(index=False)
    )
    body = ReminderBody(
        staff_id=staff_id,
        teacher=teacher,
        day=long_date(day),
        day_month=str(format_date(day, "d MMMM", locale=RU)),
        lessons=lines,
    )
    table = Table(
        "Занятия",
        f"Не заполнено на {as_of_text(result.now, tz)}",
        (Column("time", "Начало"), Column("group", "Группа"), Column("missing", "Не заполнено")),
        tuple((line.time, line.group, line.missing) for line in lines),
    )
    workbook = Workbook(
        title=f"{TITLE}: {teacher}, {body.day}",
        summary=(
            ("Учреждение", config.institution.name),
            ("Педагог", teacher),
            ("День", day),
            ("По состоянию на", result.now.astimezone(tz)),
        ),
        counts=table,
        details=(),
    )
    return Report(
        kind=Kind.REMINDER,
        audience=Audience.TEACHER,
        stem=f"reminder-{day:%Y-%m-%d}-staff-{staff_id}",
        template="reminder.html",
        heading=Heading(
            institution=config.institution.name,
            title=TITLE,
            subtitle=teacher,
            period=body.day,
            as_of=as_of_text(result.now, tz),
        ),
        body=body,
        workbook=workbook,
        findings=result.findings.iloc[0:0],  # nothing is due yet: a reminder has no findings
        audit=result,
    )


def _missing(row: Any) -> str:
    if row.not_entered:
        return NOT_ENTERED
    return " и ".join(
        what for what, lacking in (("тема", row.no_topic), ("посещаемость", row.no_attendance))
        if lacking
    )  # fmt: skip
