"""Parsers of the ЭШ 2.0 staff web pages: pure functions from HTML text to values.

EVERY assumption about the staff pages' markup lives in this module. Nothing public shows
the real staff side of ЭШ 2.0 (``shared/ruobr/api-facts.md`` §7): the markup parsed here is
the markup of the bundled simulator, designed to be plausible. Adapting the auditor to the
real site means changing this module only (``auditor capture`` saves real pages for that).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bs4 import BeautifulSoup, Tag

from auditor.errors import SiteChangedError

LOGIN_PATH = "/accounts/login/"


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _missing(page: str, element: str) -> SiteChangedError:
    return SiteChangedError(
        f"page {page}: element {element} not found",
        hint="the site's layout may have changed; run `auditor capture` and report it",
    )


def parse_csrf_token(html: str) -> str:
    """The hidden ``csrfmiddlewaretoken`` of the Django login form."""
    field = _soup(html).find("input", attrs={"name": "csrfmiddlewaretoken"})
    if not isinstance(field, Tag) or not field.get("value"):
        raise _missing(LOGIN_PATH, "input[name=csrfmiddlewaretoken]")
    return str(field["value"])


def is_login_page(html: str) -> bool:
    """Whether a page is the login form (what an expired session is redirected to)."""
    soup = _soup(html)
    return soup.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None and (
        soup.find("input", attrs={"name": "password"}) is not None
    )


def login_error(html: str) -> str | None:
    """The error a re-shown login form carries (Django's ``errorlist``), if any."""
    soup = _soup(html)
    errors = soup.select(".errorlist li, .errornote, .alert-error, .error")
    text = " ".join(e.get_text(" ", strip=True) for e in errors).strip()
    return text or None


# ---------------------------------------------------------------------------
# Groups and journals


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: int
    name: str
    association_id: int
    association: str
    department_id: int | None
    teacher_id: int
    year_of_study: int


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
    completed: bool
    substitution: bool
    attendance_marked: bool
    absent_student_ids: tuple[int, ...]
    cancelled: bool


def _table(soup: BeautifulSoup, page: str, table_id: str) -> Tag:
    table = soup.find("table", id=table_id)
    if not isinstance(table, Tag):
        raise _missing(page, f"table#{table_id}")
    return table


def _cell(row: Tag, page: str, cls: str) -> Tag:
    cell = row.find("td", class_=cls)
    if not isinstance(cell, Tag):
        raise _missing(page, f"td.{cls}")
    return cell


def _int_attr(tag: Tag, page: str, attr: str) -> int:
    value = tag.get(attr)
    if not isinstance(value, str) or not value.lstrip("-").isdigit():
        raise _missing(page, f"{tag.name}[{attr}] with a number")
    return int(value)


def _text(tag: Tag) -> str:
    return tag.get_text(" ", strip=True)


def parse_groups(html: str) -> list[GroupRow]:
    """The list of groups (``/groups/``)."""
    page = "/groups/"
    table = _table(_soup(html), page, "groups")
    rows = []
    for tr in table.select("tbody tr.group"):
        association = _cell(tr, page, "association")
        department = _cell(tr, page, "department")
        year = _text(_cell(tr, page, "year-of-study"))
        rows.append(
            GroupRow(
                id=_int_attr(tr, page, "data-group-id"),
                name=_text(_cell(tr, page, "name")),
                association_id=_int_attr(association, page, "data-association-id"),
                association=_text(association),
                department_id=(
                    _int_attr(department, page, "data-department-id")
                    if department.has_attr("data-department-id")
                    else None
                ),
                teacher_id=_int_attr(_cell(tr, page, "teacher"), page, "data-staff-id"),
                year_of_study=int(year) if year.isdigit() else 0,
            )
        )
    return rows


def _parse_date(text: str, page: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise _missing(page, f"a date dd.mm.yyyy (got {text!r})") from None


def _parse_time(tag: Tag | None, page: str, what: str) -> time:
    try:
        return time.fromisoformat(_text(tag)) if isinstance(tag, Tag) else time.fromisoformat("")
    except ValueError:
        raise _missing(page, f"span.{what} with HH:MM") from None


def parse_journal(html: str, page: str = "journal") -> list[JournalRow]:
    """A group's journal for one month (``/groups/<id>/journal/?month=YYYY-MM``)."""
    table = _table(_soup(html), page, "journal")
    rows = []
    for tr in table.select("tbody tr.lesson"):
        time_cell = _cell(tr, page, "time")
        attendance = _cell(tr, page, "attendance")
        rows.append(
            JournalRow(
                lesson_id=_int_attr(tr, page, "data-lesson-id"),
                date=_parse_date(_text(_cell(tr, page, "date")), page),
                start=_parse_time(time_cell.find(class_="time-start"), page, "time-start"),
                end=_parse_time(time_cell.find(class_="time-end"), page, "time-end"),
                teacher_id=_int_attr(_cell(tr, page, "teacher"), page, "data-staff-id"),
                topic=_text(_cell(tr, page, "topic")),
                homework=_text(_cell(tr, page, "homework")),
                completed=bool(_text(_cell(tr, page, "completion"))),
                substitution=_cell(tr, page, "substitution").find(class_="substitution-mark")
                is not None,
                attendance_marked=attendance.get("data-marked") == "1",
                absent_student_ids=tuple(
                    _int_attr(li, page, "data-student-id") for li in attendance.select("li.absent")
                ),
                cancelled="cancelled" in (tr.get("class") or []),
            )
        )
    return rows
