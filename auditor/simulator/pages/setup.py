"""The home page and the institution's setup pages (clause 2.2 of the regulation).

``/`` home, ``/structure/`` departments and associations, ``/schedule/`` the schedule
template, ``/year/`` the academic-year structure, ``/notifications/`` the parent
notification schedule. Each setup item shows only once it has been configured by the served
moment; before that the page says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from auditor.simulator.access import visible_groups
from auditor.simulator.index import DatasetIndex
from auditor.simulator.pages.base import (
    CHANNELS_RU,
    WEEKDAYS_RU,
    Page,
    RoleLabel,
    ViewContext,
    hhmm,
    role_labels,
    ru_date,
    staff_name,
)
from auditor.simulator.render import Rows


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    id: int
    name: str
    kind: str
    head_id: int | None
    head: str


@dataclass(frozen=True, slots=True)
class AssociationRow:
    id: int
    name: str
    department_id: int
    department: str


@dataclass(frozen=True, slots=True)
class SlotRow:
    group_id: int
    group: str
    weekday: int
    weekday_name: str
    start: str
    end: str
    room: str


@dataclass(frozen=True, slots=True)
class PeriodRow:
    name: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Weekday:
    number: int
    name: str


@dataclass(frozen=True, slots=True)
class Channel:
    code: str
    name: str


def home_page(ctx: ViewContext) -> Page:
    roles: tuple[RoleLabel, ...] = role_labels(tuple(sorted(ctx.viewer.roles)))
    return Page(
        "home.html",
        "Главная",
        "home",
        {
            "today": ru_date(ctx.now.date()),
            "today_iso": ctx.now.date().isoformat(),
            "weekday": WEEKDAYS_RU[ctx.now.weekday()],
            "roles": roles,
            "institution_name": ctx.index.dataset.institution.name,
        },
    )


def structure_page(ctx: ViewContext) -> Page:
    index = ctx.index
    departments = [
        DepartmentRow(d.id, d.name, d.kind, d.head_id, staff_name(index, d.head_id))
        for d in sorted(index.dataset.departments, key=lambda d: (d.name, d.id))
    ]
    associations = [
        AssociationRow(
            a.id,
            a.name,
            a.department_id,
            dep.name if (dep := index.departments.get(a.department_id)) else "",
        )
        for a in sorted(index.dataset.associations, key=lambda a: (a.name, a.id))
        if a.created_at <= ctx.now
    ]
    return Page(
        "structure.html",
        "Структура учреждения",
        "structure",
        {"departments": departments, "associations": associations},
    )


def _slot_row(index: DatasetIndex, number: int) -> SlotRow:
    s = index.schedule_by_group[number]
    return SlotRow(
        s.group_id,
        index.groups[s.group_id].name,
        s.weekday,
        WEEKDAYS_RU[s.weekday],
        hhmm(s.start),
        hhmm(s.end),
        s.room,
    )


def schedule_page(ctx: ViewContext) -> Page:
    groups = {g.id for g in visible_groups(ctx.index, ctx.viewer, ctx.now)}
    # A slot's row shows nothing that changes: its place in the sorted schedule is its key.
    numbers = [
        n
        for n, s in enumerate(ctx.index.schedule_by_group)  # already in page order
        if s.created_at <= ctx.now and s.group_id in groups
    ]
    rows = Rows("slot", numbers, partial(_slot_row, ctx.index))
    return Page("schedule.html", "Шаблон расписания", "schedule", {"slots": rows})


def year_page(ctx: ViewContext) -> Page:
    year = ctx.index.dataset.academic_year
    configured = year.configured_at is not None and year.configured_at <= ctx.now
    context: dict[str, object] = {"configured": configured}
    if configured:
        context |= {
            "start": ru_date(year.start),
            "end": ru_date(year.end),
            "periods": [PeriodRow(p.name, ru_date(p.start), ru_date(p.end)) for p in year.periods],
            "vacations": [
                PeriodRow(v.name, ru_date(v.start), ru_date(v.end)) for v in year.vacations
            ],
        }
    return Page("year.html", "Структура учебного года", "year", context)


def notifications_page(ctx: ViewContext) -> Page:
    schedule = ctx.index.dataset.notifications
    configured = schedule.configured_at is not None and schedule.configured_at <= ctx.now
    context: dict[str, object] = {"configured": configured}
    if configured:
        context |= {
            "weekdays": [Weekday(d, WEEKDAYS_RU[d]) for d in schedule.weekdays],
            "send_time": hhmm(schedule.send_time),
            "channels": [Channel(c, CHANNELS_RU.get(c, c)) for c in schedule.channels],
        }
    return Page("notifications.html", "Информирование родителей", "notifications", context)
