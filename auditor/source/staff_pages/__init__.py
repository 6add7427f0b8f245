"""Parsers of the ЭШ 2.0 staff web pages: pure functions from HTML text to values.

EVERY assumption about the staff pages' URLs and markup lives in this package. Nothing public
shows the real staff side of ЭШ 2.0 (``shared/ruobr/api-facts.md`` §7): the markup parsed here
is the markup of the bundled simulator, designed to be plausible (docs/simulator.md). Adapting
the auditor to the real site means changing this package only (``auditor capture`` saves real
pages for that). One module per kind of page, behind one module of URLs:

* :mod:`.paths` — every URL path and query parameter of the staff side;
* :mod:`.common` — building the tree (lxml), rows and cells, numbers, dates, times, the error;
* :mod:`.soup` — Beautiful Soup, for the login form and capture's search for personal data;
* :mod:`.login` — the login form; :mod:`.structure` — structure and groups;
  :mod:`.people` — staff and pupils; :mod:`.setup` — schedule, year, notifications;
  :mod:`.journal` — a group's journal; :mod:`.capture` — page discovery and personal data.

Every parser raises :class:`~auditor.errors.SiteChangedError` naming the page and the missing
element when a page does not look as expected, and nothing else: a value that cannot be read
(a date that is not a date, an id that is not a number) is a missing element too.
"""

from __future__ import annotations

from auditor.source.staff_pages.capture import (
    PersonalValues,
    linked_group_ids,
    personal_values,
    students_page_count,
)
from auditor.source.staff_pages.common import is_complete
from auditor.source.staff_pages.journal import (
    JournalPage,
    JournalRow,
    parse_journal,
    parse_journal_page,
)
from auditor.source.staff_pages.login import is_login_page, login_error, parse_csrf_token
from auditor.source.staff_pages.paths import (
    GROUPS_PATH,
    HOME_PATH,
    LOGIN_PATH,
    NOTIFICATIONS_PATH,
    SCHEDULE_PATH,
    STAFF_PATH,
    STRUCTURE_PATH,
    STUDENTS_PATH,
    YEAR_PATH,
    journal_params,
    journal_path,
    students_params,
)
from auditor.source.staff_pages.people import StudentsPage, parse_staff, parse_students
from auditor.source.staff_pages.setup import (
    NotificationInfo,
    YearInfo,
    parse_notifications,
    parse_schedule,
    parse_year,
)
from auditor.source.staff_pages.structure import GroupRow, parse_groups, parse_structure

__all__ = [
    "GROUPS_PATH",
    "HOME_PATH",
    "LOGIN_PATH",
    "NOTIFICATIONS_PATH",
    "SCHEDULE_PATH",
    "STAFF_PATH",
    "STRUCTURE_PATH",
    "STUDENTS_PATH",
    "YEAR_PATH",
    "GroupRow",
    "JournalPage",
    "JournalRow",
    "NotificationInfo",
    "PersonalValues",
    "StudentsPage",
    "YearInfo",
    "is_complete",
    "is_login_page",
    "journal_params",
    "journal_path",
    "linked_group_ids",
    "login_error",
    "parse_csrf_token",
    "parse_groups",
    "parse_journal",
    "parse_journal_page",
    "parse_notifications",
    "parse_schedule",
    "parse_staff",
    "parse_structure",
    "parse_students",
    "parse_year",
    "personal_values",
    "students_page_count",
    "students_params",
]
