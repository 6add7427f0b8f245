"""Parsers of the ЭШ 2.0 staff web pages: pure functions from HTML text to values.

EVERY assumption about the staff pages' markup lives in this module. Nothing public shows
the real staff side of ЭШ 2.0 (``shared/ruobr/api-facts.md`` §7): the markup parsed here is
the markup of the bundled simulator, designed to be plausible. Adapting the auditor to the
real site means changing this module only (``auditor capture`` saves real pages for that).

Every parser raises :class:`SiteChangedError` naming the page and the missing element when
a page does not look as expected, and nothing else: a value that cannot be read (a date that
is not a date, an id that is not a number) is a missing element too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from bs4 import BeautifulSoup, Tag
from bs4.filter import SoupStrainer

from auditor.errors import SiteChangedError
from auditor.source.snapshot import (
    AssociationSeen,
    DepartmentSeen,
    ScheduleSlotSeen,
    StaffSeen,
    StudentSeen,
)

LOGIN_PATH = "/accounts/login/"
STRUCTURE_PATH = "/structure/"
GROUPS_PATH = "/groups/"
STAFF_PATH = "/staff/"
STUDENTS_PATH = "/students/"
SCHEDULE_PATH = "/schedule/"
YEAR_PATH = "/year/"
NOTIFICATIONS_PATH = "/notifications/"


def journal_path(group_id: int) -> str:
    return f"/groups/{group_id}/journal/"


def journal_params(month: str) -> dict[str, str]:
    return {"month": month}


def students_params(page: int) -> dict[str, str]:
    return {"page": str(page)}


def _soup(html: str, only: SoupStrainer | None = None) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml", parse_only=only)


# Journal pages are most of what a sync reads: building only the journal table's tree
# makes parsing them about 40 % faster (the rest of the page is not read anyway).
_JOURNAL_ONLY = SoupStrainer("table", attrs={"id": "journal"})


def _missing(page: str, element: str) -> SiteChangedError:
    return SiteChangedError(
        f"page {page}: element {element} not found",
        hint="the site's layout may have changed; run `auditor capture` and report it",
    )


def is_complete(html: str) -> bool:
    """Whether a page arrived whole: a cut-off answer still parses, but misses rows."""
    return html.rstrip().lower().endswith("</html>")


# ---------------------------------------------------------------------------
# Login


def parse_csrf_token(html: str) -> str:
    """The hidden ``csrfmiddlewaretoken`` of the Django login form."""
    field = _soup(html).find("input", attrs={"name": "csrfmiddlewaretoken"})
    if not isinstance(field, Tag) or not field.get("value"):
        raise _missing(LOGIN_PATH, "input[name=csrfmiddlewaretoken]")
    return str(field["value"])


_CSRF_FIELD = re.compile(r"""name=["']?csrfmiddlewaretoken["'\s>]""")
_PASSWORD_FIELD = re.compile(r"""name=["']?password["'\s>]""")


def is_login_page(html: str) -> bool:
    """Whether a page is the login form (what an expired session is redirected to).

    Asked of every page read, so it looks at the text instead of parsing it."""
    return bool(_CSRF_FIELD.search(html)) and bool(_PASSWORD_FIELD.search(html))


def login_error(html: str) -> str | None:
    """The error a re-shown login form carries (Django's ``errorlist``), if any."""
    soup = _soup(html)
    errors = soup.select(".errorlist li, .errornote, .alert-error, .error")
    text = " ".join(e.get_text(" ", strip=True) for e in errors).strip()
    return text or None


# ---------------------------------------------------------------------------
# Small readers shared by the page parsers


def _table(soup: BeautifulSoup, page: str, table_id: str) -> Tag:
    table = soup.find("table", id=table_id)
    if not isinstance(table, Tag):
        raise _missing(page, f"table#{table_id}")
    return table


def _one(soup: BeautifulSoup | Tag, page: str, selector: str) -> Tag:
    found = soup.select_one(selector)
    if not isinstance(found, Tag):
        raise _missing(page, selector)
    return found


def _rows(table: Tag, cls: str) -> list[Tag]:
    """The data rows (``tbody tr.<cls>``) of a table; plain finds, far cheaper than CSS."""
    body = table.find("tbody", recursive=False)
    return [tr for tr in (body or table).find_all("tr", class_=cls, recursive=False)]


def _cell(row: Tag, page: str, cls: str) -> Tag:
    cell = row.find("td", class_=cls, recursive=False)
    if not isinstance(cell, Tag):
        raise _missing(page, f"td.{cls}")
    return cell


def _to_int(text: str) -> int | None:
    try:
        return int(text.strip(), 10) if text.strip().lstrip("-").isascii() else None
    except ValueError:
        return None


def _int_attr(tag: Tag, page: str, attr: str) -> int:
    value = tag.get(attr)
    number = _to_int(value) if isinstance(value, str) else None
    if number is None:
        raise _missing(page, f"{tag.name}[{attr}] with a number")
    return number


def _opt_int_attr(tag: Tag, page: str, attr: str) -> int | None:
    return _int_attr(tag, page, attr) if tag.has_attr(attr) else None


def _all(tag: Tag, selector: str) -> list[Tag]:
    """Descendants matching ``name.class`` (a plain find: CSS selection is slow per row)."""
    name, _, cls = selector.partition(".")
    return [t for t in tag.find_all(name, class_=cls) if isinstance(t, Tag)]


def _ids(tag: Tag, page: str, selector: str, attr: str) -> tuple[int, ...]:
    return tuple(_int_attr(item, page, attr) for item in _all(tag, selector))


def _roles(cell: Tag) -> tuple[str, ...]:
    return tuple(str(r.get("data-role")) for r in _all(cell, "span.role") if r.get("data-role"))


def _text(tag: Tag) -> str:
    return tag.get_text(" ", strip=True)


def _parse_date(text: str, page: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise _missing(page, f"a date dd.mm.yyyy (got {text[:20]!r})") from None


def _parse_time(tag: Tag | None, page: str, what: str) -> time:
    text = _text(tag) if isinstance(tag, Tag) else ""
    if not re.fullmatch(r"\d{1,2}:\d{2}", text, flags=re.ASCII):
        raise _missing(page, f"span.{what} with HH:MM")
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise _missing(page, f"span.{what} with HH:MM") from None


# ---------------------------------------------------------------------------
# Structure, groups, staff, students


def parse_structure(html: str) -> tuple[list[DepartmentSeen], list[AssociationSeen]]:
    """Departments and associations (``/structure/``)."""
    page, soup = STRUCTURE_PATH, _soup(html)
    departments = [
        DepartmentSeen(
            id=_int_attr(tr, page, "data-department-id"),
            name=_text(_cell(tr, page, "name")),
            kind=_text(_cell(tr, page, "kind")),
            head_id=_opt_int_attr(_cell(tr, page, "head"), page, "data-staff-id"),
        )
        for tr in _rows(_table(soup, page, "departments"), "department")
    ]
    associations = [
        AssociationSeen(
            id=_int_attr(tr, page, "data-association-id"),
            name=_text(_cell(tr, page, "name")),
            department_id=_int_attr(_cell(tr, page, "department"), page, "data-department-id"),
        )
        for tr in _rows(_table(soup, page, "associations"), "association")
    ]
    return departments, associations


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: int
    name: str
    association_id: int
    association: str
    department_id: int | None
    teacher_id: int
    year_of_study: int


def parse_groups(html: str) -> list[GroupRow]:
    """The list of groups (``/groups/``)."""
    page = GROUPS_PATH
    table = _table(_soup(html), page, "groups")
    rows = []
    for tr in _rows(table, "group"):
        association = _cell(tr, page, "association")
        rows.append(
            GroupRow(
                id=_int_attr(tr, page, "data-group-id"),
                name=_text(_cell(tr, page, "name")),
                association_id=_int_attr(association, page, "data-association-id"),
                association=_text(association),
                department_id=_opt_int_attr(
                    _cell(tr, page, "department"), page, "data-department-id"
                ),
                teacher_id=_int_attr(_cell(tr, page, "teacher"), page, "data-staff-id"),
                year_of_study=_to_int(_text(_cell(tr, page, "year-of-study"))) or 0,
            )
        )
    return rows


def parse_staff(html: str) -> list[StaffSeen]:
    """Staff with roles, account and rights (``/staff/``)."""
    page = STAFF_PATH
    return [
        StaffSeen(
            id=_int_attr(tr, page, "data-staff-id"),
            full_name=_text(_cell(tr, page, "name")),
            position=_text(_cell(tr, page, "position")),
            department_id=_opt_int_attr(_cell(tr, page, "department"), page, "data-department-id"),
            roles=_roles(_cell(tr, page, "roles")),
            has_account=bool(_text(_cell(tr, page, "login"))),
            rights_roles=_roles(_cell(tr, page, "rights-roles")),
            journal_group_ids=_ids(
                _cell(tr, page, "journal-groups"), page, "a.group-link", "data-group-id"
            ),
        )
        for tr in _rows(_table(_soup(html), page, "staff"), "staff-member")
    ]


@dataclass(frozen=True, slots=True)
class StudentsPage:
    """One page of the pupil list: presence flags only, never the contact values."""

    page: int
    total_pages: int
    total: int
    students: tuple[StudentSeen, ...]


def _student(tr: Tag, page: str) -> StudentSeen:
    parents = _all(_cell(tr, page, "parents"), "li.parent")
    return StudentSeen(
        id=_int_attr(tr, page, "data-student-id"),
        full_name=_text(_cell(tr, page, "name")),
        group_ids=_ids(_cell(tr, page, "groups"), page, "a.group-link", "data-group-id"),
        has_birth_date=bool(_text(_cell(tr, page, "birth-date"))),
        has_address=bool(_text(_cell(tr, page, "address"))),
        has_phone=bool(_text(_cell(tr, page, "phone"))),
        has_email=_cell(tr, page, "email").get("data-present") == "1",
        parent_count=len(parents),
        parents_with_account=sum(p.get("data-has-account") == "1" for p in parents),
    )


def parse_students(html: str, page_number: int = 1) -> StudentsPage:
    """One page of the pupil list (``/students/?page=N``, 100 a page)."""
    page = f"{STUDENTS_PATH}?page={page_number}"
    soup = _soup(html)
    table = _table(soup, page, "students")
    pager = _one(soup, page, "div#pagination")
    shown = _int_attr(pager, page, "data-page")
    if shown != page_number:
        raise _missing(page, f"div#pagination[data-page={page_number}] (got {shown})")
    return StudentsPage(
        page=shown,
        total_pages=_int_attr(pager, page, "data-total-pages"),
        total=_int_attr(_one(soup, page, "p#students-total"), page, "data-total"),
        students=tuple(_student(tr, page) for tr in _rows(table, "student")),
    )


# ---------------------------------------------------------------------------
# Setup pages: schedule template, academic year, notifications


def parse_schedule(html: str) -> list[ScheduleSlotSeen]:
    """The schedule template (``/schedule/``): weekly slots, 0 = Monday."""
    page = SCHEDULE_PATH
    slots = []
    for tr in _rows(_table(_soup(html), page, "schedule"), "slot"):
        weekday = _int_attr(tr, page, "data-weekday")
        if not 0 <= weekday <= 6:
            raise _missing(page, f"tr.slot[data-weekday] 0..6 (got {weekday})")
        time_cell = _cell(tr, page, "time")
        slots.append(
            ScheduleSlotSeen(
                group_id=_int_attr(tr, page, "data-group-id"),
                weekday=weekday,
                start=_parse_time(time_cell.find(class_="time-start"), page, "time-start"),
                end=_parse_time(time_cell.find(class_="time-end"), page, "time-end"),
            )
        )
    return slots


@dataclass(frozen=True, slots=True)
class YearInfo:
    configured: bool
    start: date | None = None
    end: date | None = None
    periods: tuple[tuple[date, date], ...] = ()
    vacations: tuple[tuple[date, date], ...] = ()


def _spans(
    soup: BeautifulSoup, page: str, table_id: str, row: str
) -> tuple[tuple[date, date], ...]:
    return tuple(
        (
            _parse_date(_text(_cell(tr, page, "start")), page),
            _parse_date(_text(_cell(tr, page, "end")), page),
        )
        for tr in _rows(_table(soup, page, table_id), row)
    )


def parse_year(html: str) -> YearInfo:
    """The academic-year structure (``/year/``), or that it is not configured."""
    page, soup = YEAR_PATH, _soup(html)
    bounds = soup.select_one("p#year-bounds")
    if not isinstance(bounds, Tag):
        if soup.select_one("p#year-not-configured") is not None:
            return YearInfo(configured=False)
        raise _missing(page, "p#year-bounds or p#year-not-configured")
    return YearInfo(
        configured=True,
        start=_parse_date(_text(_one(bounds, page, "span.year-start")), page),
        end=_parse_date(_text(_one(bounds, page, "span.year-end")), page),
        periods=_spans(soup, page, "periods", "period"),
        vacations=_spans(soup, page, "vacations", "vacation"),
    )


@dataclass(frozen=True, slots=True)
class NotificationInfo:
    configured: bool
    weekdays: tuple[int, ...] = ()
    send_time: time | None = None
    channels: tuple[str, ...] = ()


def parse_notifications(html: str) -> NotificationInfo:
    """The parents' notification schedule (``/notifications/``), or that there is none."""
    page, soup = NOTIFICATIONS_PATH, _soup(html)
    schedule = soup.select_one("dl#notification-schedule")
    if not isinstance(schedule, Tag):
        if soup.select_one("p#notifications-not-configured") is not None:
            return NotificationInfo(configured=False)
        raise _missing(page, "dl#notification-schedule or p#notifications-not-configured")
    return NotificationInfo(
        configured=True,
        weekdays=_ids(_one(schedule, page, "dd.weekdays"), page, "span.weekday", "data-weekday"),
        send_time=_parse_time(schedule.select_one("dd.send-time"), page, "send-time"),
        channels=tuple(
            str(c.get("data-channel"))
            for c in _one(schedule, page, "dd.channels").select("span.channel")
        ),
    )


# ---------------------------------------------------------------------------
# A group's journal


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
    time_cell = _cell(tr, page, "time")
    attendance = _cell(tr, page, "attendance")
    return JournalRow(
        lesson_id=_int_attr(tr, page, "data-lesson-id"),
        date=_parse_date(_text(_cell(tr, page, "date")), page),
        start=_parse_time(time_cell.find(class_="time-start"), page, "time-start"),
        end=_parse_time(time_cell.find(class_="time-end"), page, "time-end"),
        teacher_id=_int_attr(_cell(tr, page, "teacher"), page, "data-staff-id"),
        topic=_text(_cell(tr, page, "topic")),
        homework=_text(_cell(tr, page, "homework")),
        completed=bool(_text(_cell(tr, page, "completion"))),
        substitution=_cell(tr, page, "substitution").find(class_="substitution-mark") is not None,
        attendance_marked=attendance.get("data-marked") == "1",
        absent_student_ids=_ids(attendance, page, "li.absent", "data-student-id"),
        cancelled="cancelled" in (tr.get("class") or []),
    )


def parse_journal(html: str, page: str = "journal") -> list[JournalRow]:
    """The lessons of a group's journal for one month, in page order."""
    table = _table(_soup(html, _JOURNAL_ONLY), page, "journal")
    return [_journal_row(tr, page) for tr in _rows(table, "lesson")]


def parse_journal_page(html: str, group_id: int, month: str) -> JournalPage:
    """A group's journal for one month, checked to be the group and month asked for.

    A site that ignored ``?month=`` and served the current month instead would otherwise be
    recorded as that month's observation.
    """
    page = f"{journal_path(group_id)}?month={month}"
    table = _table(_soup(html, _JOURNAL_ONLY), page, "journal")
    shown = (_int_attr(table, page, "data-group-id"), table.get("data-month"))
    if shown != (group_id, month):
        raise _missing(page, f"table#journal[data-group-id={group_id}][data-month={month}]")
    rows = tuple(_journal_row(tr, page) for tr in _rows(table, "lesson"))
    wrong = [r.lesson_id for r in rows if r.date.strftime("%Y-%m") != month]
    if wrong:
        raise _missing(page, f"lessons of {month} only (lesson {wrong[0]} is not)")
    return JournalPage(group_id=group_id, month=month, rows=rows)


# ---------------------------------------------------------------------------
# For `auditor capture`: finding pages and personal data even on a changed layout

_JOURNAL_HREF = re.compile(r'href="/groups/(\d+)/journal/')
_PAGE_HREF = re.compile(r"[?&]page=(\d+)")


def linked_group_ids(html: str) -> list[int]:
    """The groups of the group list: by its rows, or (layout changed) by journal links."""
    try:
        return [g.id for g in parse_groups(html)]
    except SiteChangedError:
        return sorted({int(n) for n in _JOURNAL_HREF.findall(html)})


def students_page_count(html: str) -> int:
    """Pages of the pupil list: by its pager, or (layout changed) by its page links."""
    try:
        return parse_students(html, 1).total_pages
    except SiteChangedError:
        return max((int(n) for n in _PAGE_HREF.findall(html)), default=1)


# Where names and contacts stand: (id of the enclosing element or "", tag, class or "").
# Text there is a person's name or contact wherever it appears on a page.
_PERSONAL_TEXT = (
    ("current-user", "", ""),
    ("", "span", "user-name"),
    ("staff", "td", "name"),
    ("students", "td", "name"),
    ("students", "td", "birth-date"),
    ("students", "td", "address"),
    ("students", "td", "phone"),
    ("", "span", "parent-name"),
    ("", "td", "head"),
    ("", "td", "teacher"),
    ("", "dd", "teacher"),
    ("", "li", "absent"),
)
# Logins: short words ("operator") that must only be replaced where they stand alone.
_PERSONAL_NODES = (("staff", "td", "login"), ("students", "td", "account"))


@dataclass(frozen=True, slots=True)
class PersonalValues:
    texts: frozenset[str]  # replace wherever they occur
    whole_nodes: frozenset[str]  # replace only as a whole text node


def personal_values(html: str) -> PersonalValues:
    """Names, contacts and logins at the places this module knows. Never raises: a page
    of a changed layout yields less, and capture's pattern pass still applies."""
    soup = _soup(html)

    def collect(hooks: tuple[tuple[str, str, str], ...]) -> frozenset[str]:
        found: set[str] = set()
        for scope_id, name, cls in hooks:
            scope = soup.find(id=scope_id) if scope_id else soup
            if not isinstance(scope, Tag):
                continue
            if not name:
                found.add(_text(scope))
                continue
            found |= {
                _text(tag) for tag in scope.find_all(name, class_=cls) if isinstance(tag, Tag)
            }
        return frozenset(text for text in found if text)

    return PersonalValues(collect(_PERSONAL_TEXT), collect(_PERSONAL_NODES))
