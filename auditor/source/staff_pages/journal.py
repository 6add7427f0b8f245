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

from bs4 import Tag
from bs4.filter import SoupStrainer

from auditor.source.staff_pages.common import (
    cell,
    ids,
    int_attr,
    missing,
    parse_date,
    parse_time,
    rows,
    soup,
    table,
    text,
)
from auditor.source.staff_pages.paths import journal_params, journal_path, shown

# Journal pages are most of what a sync reads: building only the journal table's tree
# makes parsing them about 40 % faster (the rest of the page is not read anyway).
_JOURNAL_ONLY = SoupStrainer("table", attrs={"id": "journal"})


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


def _journal_row(tr: Tag, page: str) -> JournalRow:
    time_cell = cell(tr, page, "time")
    attendance = cell(tr, page, "attendance")
    return JournalRow(
        lesson_id=int_attr(tr, page, "data-lesson-id"),
        date=parse_date(text(cell(tr, page, "date")), page),
        start=parse_time(time_cell.find(class_="time-start"), page, "time-start"),
        end=parse_time(time_cell.find(class_="time-end"), page, "time-end"),
        teacher_id=int_attr(cell(tr, page, "teacher"), page, "data-staff-id"),
        topic=text(cell(tr, page, "topic")),
        homework=text(cell(tr, page, "homework")),
        completed=bool(text(cell(tr, page, "completion"))),
        substitution=cell(tr, page, "substitution").find(class_="substitution-mark") is not None,
        attendance_marked=attendance.get("data-marked") == "1",
        absent_student_ids=ids(attendance, page, "li.absent", "data-student-id"),
        cancelled="cancelled" in (tr.get("class") or []),
    )


def parse_journal(html: str, page: str = "journal") -> list[JournalRow]:
    """The lessons of a group's journal for one month, in page order."""
    found = table(soup(html, _JOURNAL_ONLY), page, "journal")
    return [_journal_row(tr, page) for tr in rows(found, "lesson")]


def parse_journal_page(html: str, group_id: int, month: str) -> JournalPage:
    """A group's journal for one month, checked to be the group and month asked for.

    A site that ignored ``?month=`` and served the current month instead would otherwise be
    recorded as that month's observation.
    """
    page = shown(journal_path(group_id), journal_params(month))
    found = table(soup(html, _JOURNAL_ONLY), page, "journal")
    seen = (int_attr(found, page, "data-group-id"), found.get("data-month"))
    if seen != (group_id, month):
        raise missing(page, f"table#journal[data-group-id={group_id}][data-month={month}]")
    lessons = tuple(_journal_row(tr, page) for tr in rows(found, "lesson"))
    wrong = [r.lesson_id for r in lessons if r.date.strftime("%Y-%m") != month]
    if wrong:
        raise missing(page, f"lessons of {month} only (lesson {wrong[0]} is not)")
    return JournalPage(group_id=group_id, month=month, rows=lessons)
