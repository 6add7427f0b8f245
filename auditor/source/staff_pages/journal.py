"""A group's journal for one month (``/groups/<id>/journal/?month=YYYY-MM``).

The markup read here (``table#journal`` with ``data-group-id`` and ``data-month``, rows
``tr.lesson`` (``.cancelled``) with ``data-lesson-id``, the cells' classes, ``span.time-start``
and ``span.time-end``, ``span.substitution-mark``, ``li.absent``, the completion cell's text)
is ASSUMED: the staff side of ЭШ 2.0 is not publicly documented; it is the bundled simulator's
design (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from auditor.source.staff_pages.common import (
    Row,
    classes,
    first,
    ids,
    int_attr,
    missing,
    parse_date,
    parse_time,
    rows,
    table,
    tree_of,
)
from auditor.source.staff_pages.paths import journal_params, journal_path, shown


@dataclass(frozen=True, slots=True)
class JournalRow:
    """One lesson as the group's journal page shows it at the moment it was read."""

    lesson_id: int
    date: date
    start: time
    end: time
    teacher_id: int
    topic: str
    homework: str
    completed: bool  # the completion (прохождение) cell is filled («пройдено» or «не пройдено»)
    substitution: bool
    attendance_marked: bool
    absent_student_ids: tuple[int, ...]
    cancelled: bool


@dataclass(frozen=True, slots=True)
class JournalPage:
    group_id: int
    month: str  # YYYY-MM
    rows: tuple[JournalRow, ...]


def _journal_row(row: Row) -> JournalRow:
    page, time_cell, attendance = row.page, row.cell("time"), row.cell("attendance")
    return JournalRow(
        lesson_id=row.int_attr("data-lesson-id"),
        date=parse_date(row.text("date"), page),
        start=parse_time(first(time_cell, ".time-start"), page, "time-start"),
        end=parse_time(first(time_cell, ".time-end"), page, "time-end"),
        teacher_id=int_attr(row.cell("teacher"), page, "data-staff-id"),
        topic=row.text("topic"),
        homework=row.text("homework"),
        completed=bool(row.text("completion")),
        substitution=first(row.cell("substitution"), ".substitution-mark") is not None,
        attendance_marked=attendance.get("data-marked") == "1",
        absent_student_ids=ids(attendance, page, "li.absent", "data-student-id"),
        cancelled="cancelled" in classes(row.tag),
    )


def parse_journal(html: str, page: str = "journal") -> list[JournalRow]:
    """The lessons of a group's journal for one month, in page order."""
    found = table(tree_of(html), page, "journal")
    return [_journal_row(row) for row in rows(found, "lesson", page)]


def parse_journal_page(html: str, group_id: int, month: str) -> JournalPage:
    """A group's journal for one month, checked to be the group and month asked for.

    A site that ignored ``?month=`` and served the current month instead would otherwise be
    recorded as that month's observation.
    """
    page = shown(journal_path(group_id), journal_params(month))
    found = table(tree_of(html), page, "journal")
    seen = (int_attr(found, page, "data-group-id"), found.get("data-month"))
    if seen != (group_id, month):
        raise missing(page, f"table#journal[data-group-id={group_id}][data-month={month}]")
    lessons = tuple(_journal_row(row) for row in rows(found, "lesson", page))
    wrong = [r.lesson_id for r in lessons if r.date.strftime("%Y-%m") != month]
    if wrong:
        raise missing(page, f"lessons of {month} only (lesson {wrong[0]} is not)")
    return JournalPage(group_id=group_id, month=month, rows=lessons)
