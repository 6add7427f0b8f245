"""The group list (``/groups/``) and a group's journal for a month (``/groups/<id>/journal/``).

A lesson appears in the journal once its entry exists (``entered_at <= now``); each tracked
field shows its value at the served moment. The journal shows who actually taught each lesson;
the group's main teacher (teaching load) is on the group list and the journal's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from auditor.simulator.access import Forbidden, NotFound, may_see_group, visible_groups
from auditor.simulator.index import DatasetIndex
from auditor.simulator.pages.base import MONTHS_RU, Page, ViewContext, hhmm, ru_date, staff_name
from auditor.simulator.render import Rows
from auditor.simulator.world import Lesson

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


def _group_row(index: DatasetIndex, group_id: int) -> GroupRow:
    group = index.groups[group_id]
    association = index.associations.get(group.association_id)
    department_id = index.group_department_id(group)
    department = index.departments.get(department_id) if department_id is not None else None
    return GroupRow(
        id=group.id,
        name=group.name,
        association_id=group.association_id,
        association=association.name if association else "",
        department_id=department_id,
        department=department.name if department else "",
        teacher_id=group.teacher_id,
        teacher=staff_name(index, group.teacher_id),
        year_of_study=group.year_of_study,
        journal_url=f"/groups/{group.id}/journal/",
    )


def groups_page(ctx: ViewContext) -> Page:
    # A group's row shows nothing that changes: its id is its key.
    ids = [g.id for g in visible_groups(ctx.index, ctx.viewer, ctx.now)]
    rows = Rows("group", ids, partial(_group_row, ctx.index))
    return Page("groups.html", "Группы", "groups", {"groups": rows})


# What a journal row shows as of the served moment: (lesson id, topic, homework, completion,
# substitution, absent pupil ids), the tracked fields' values at that moment. A plain tuple:
# it is built for every lesson of every journal page served.
LessonState = tuple[int, str | None, str | None, bool | None, bool | None, tuple[int, ...] | None]


def _lesson_state(lesson: Lesson, now: datetime) -> LessonState:
    return (
        lesson.id,
        lesson.topic.value_at(now),
        lesson.homework.value_at(now),
        lesson.completion.value_at(now),
        lesson.substitution.value_at(now),
        lesson.absent_student_ids.value_at(now),
    )


def _journal_row(index: DatasetIndex, state: LessonState) -> JournalRow:
    lesson_id, topic, homework, completion, substitution, absent_ids = state
    lesson = index.lessons[lesson_id]
    absent = tuple(
        AbsentPupil(sid, s.full_name if (s := index.students.get(sid)) else "")
        for sid in absent_ids or ()
    )
    return JournalRow(
        lesson_id=lesson.id,
        date=ru_date(lesson.date),
        start=hhmm(lesson.start),
        end=hhmm(lesson.end),
        teacher_id=lesson.teacher_id,
        teacher=staff_name(index, lesson.teacher_id),
        topic=topic or "",
        homework=homework or "",
        completion="" if completion is None else ("пройдено" if completion else "не пройдено"),
        substitution=bool(substitution),
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
    now = ctx.now
    in_month = ctx.index.lessons_by_month.get((group.id, month.year, month.month), ())
    states = [_lesson_state(lesson, now) for lesson in in_month if lesson.visible_at(now)]
    prev_month, next_month = _shift(month, -1), _shift(month, 1)
    return Page(
        "journal.html",
        f"Журнал группы {group.name}",
        "groups",
        {
            "group": _group_row(ctx.index, group.id),
            "month": month.strftime("%Y-%m"),
            "month_label": f"{MONTHS_RU[month.month - 1]} {month.year}",
            "prev_url": f"/groups/{group.id}/journal/?month={prev_month:%Y-%m}",
            "next_url": f"/groups/{group.id}/journal/?month={next_month:%Y-%m}",
            "rows": Rows("lesson", states, partial(_journal_row, ctx.index)),
        },
    )
