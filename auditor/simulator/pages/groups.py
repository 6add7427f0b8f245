"""The group list (``/groups/``) and a group's journal for a month (``/groups/<id>/journal/``).

A lesson appears in the journal once its entry exists (``entered_at <= now``); each tracked
field shows its value at the served moment. The journal shows who actually taught each lesson;
the group's main teacher (teaching load) is on the group list and the journal's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from auditor.simulator.access import Forbidden, NotFound, may_see_group, visible_groups
from auditor.simulator.pages.base import MONTHS_RU, Page, ViewContext, hhmm, ru_date, staff_name
from auditor.simulator.world import Group, Lesson

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: int
    name: str
    association_id: int
    association: str
    department_id: int | None
    department: str
    teacher_id: int
    teacher: str
    year_of_study: int
    journal_url: str


@dataclass(frozen=True, slots=True)
class AbsentPupil:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class JournalRow:
    lesson_id: int
    date: str
    start: str
    end: str
    teacher_id: int
    teacher: str
    topic: str
    homework: str
    completion: str  # "пройдено", "не пройдено" or ""
    substitution: bool
    attendance_marked: bool
    absent: tuple[AbsentPupil, ...]
    cancelled: bool


def _group_row(ctx: ViewContext, group: Group) -> GroupRow:
    association = ctx.index.associations.get(group.association_id)
    department_id = ctx.index.group_department_id(group)
    department = ctx.index.departments.get(department_id) if department_id is not None else None
    return GroupRow(
        id=group.id,
        name=group.name,
        association_id=group.association_id,
        association=association.name if association else "",
        department_id=department_id,
        department=department.name if department else "",
        teacher_id=group.teacher_id,
        teacher=staff_name(ctx, group.teacher_id),
        year_of_study=group.year_of_study,
        journal_url=f"/groups/{group.id}/journal/",
    )


def groups_page(ctx: ViewContext) -> Page:
    rows = [_group_row(ctx, g) for g in visible_groups(ctx.index, ctx.viewer, ctx.now)]
    return Page("groups.html", "Группы", "groups", {"groups": rows})


def _journal_row(ctx: ViewContext, lesson: Lesson) -> JournalRow:
    absent_ids = lesson.absent_student_ids.value_at(ctx.now)
    completion = lesson.completion.value_at(ctx.now)
    absent = tuple(
        AbsentPupil(sid, s.full_name if (s := ctx.index.students.get(sid)) else "")
        for sid in absent_ids or ()
    )
    return JournalRow(
        lesson_id=lesson.id,
        date=ru_date(lesson.date),
        start=hhmm(lesson.start),
        end=hhmm(lesson.end),
        teacher_id=lesson.teacher_id,
        teacher=staff_name(ctx, lesson.teacher_id),
        topic=lesson.topic.value_at(ctx.now) or "",
        homework=lesson.homework.value_at(ctx.now) or "",
        completion="" if completion is None else ("пройдено" if completion else "не пройдено"),
        substitution=bool(lesson.substitution.value_at(ctx.now)),
        attendance_marked=absent_ids is not None,
        absent=absent,
        cancelled=lesson.cancelled,
    )


def _parse_month(raw: str | None, ctx: ViewContext) -> date:
    if not raw:
        return ctx.now.date().replace(day=1)
    match = _MONTH.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise NotFound
    return date(int(match.group(1)), int(match.group(2)), 1)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def journal_page(ctx: ViewContext, group_id: int, month_raw: str | None) -> Page:
    group = ctx.index.groups.get(group_id)
    if group is None or group.created_at > ctx.now:
        raise NotFound
    if not may_see_group(ctx.index, ctx.viewer, group):
        raise Forbidden
    month = _parse_month(month_raw, ctx)
    lessons = [
        lesson
        for lesson in ctx.index.lessons_by_group.get(group.id, [])
        if lesson.visible_at(ctx.now)
        and (lesson.date.year, lesson.date.month)
        == (
            month.year,
            month.month,
        )
    ]
    prev_month, next_month = _shift(month, -1), _shift(month, 1)
    return Page(
        "journal.html",
        f"Журнал группы {group.name}",
        "groups",
        {
            "group": _group_row(ctx, group),
            "month": month.strftime("%Y-%m"),
            "month_label": f"{MONTHS_RU[month.month - 1]} {month.year}",
            "prev_url": f"/groups/{group.id}/journal/?month={prev_month:%Y-%m}",
            "next_url": f"/groups/{group.id}/journal/?month={next_month:%Y-%m}",
            "rows": [_journal_row(ctx, lesson) for lesson in lessons],
        },
    )
