"""The staff list (``/staff/``) and the pupil list (``/students/?page=N``, 100 a page).

The markup read here (``table#staff``, ``table#students``, ``div#pagination``,
``p#students-total``, their row and cell classes, ``span.role``, ``a.group-link``,
``li.parent`` and their ``data-*`` attributes) is ASSUMED: the staff side of ЭШ 2.0 is not
publicly documented; it is the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import Tag

from auditor.source.snapshot import StaffSeen, StudentSeen
from auditor.source.staff_pages.common import (
    cell,
    find_all,
    ids,
    int_attr,
    missing,
    one,
    opt_int_attr,
    rows,
    soup,
    table,
    text,
)
from auditor.source.staff_pages.paths import STAFF_PATH, STUDENTS_PATH, shown, students_params


def _roles(tag: Tag) -> tuple[str, ...]:
    return tuple(str(r.get("data-role")) for r in find_all(tag, "span.role") if r.get("data-role"))


def parse_staff(html: str) -> list[StaffSeen]:
    """Staff with roles, account and rights (``/staff/``)."""
    page = STAFF_PATH
    return [
        StaffSeen(
            id=int_attr(tr, page, "data-staff-id"),
            full_name=text(cell(tr, page, "name")),
            position=text(cell(tr, page, "position")),
            department_id=opt_int_attr(cell(tr, page, "department"), page, "data-department-id"),
            roles=_roles(cell(tr, page, "roles")),
            has_account=bool(text(cell(tr, page, "login"))),
            rights_roles=_roles(cell(tr, page, "rights-roles")),
            journal_group_ids=ids(
                cell(tr, page, "journal-groups"), page, "a.group-link", "data-group-id"
            ),
        )
        for tr in rows(table(soup(html), page, "staff"), "staff-member")
    ]


@dataclass(frozen=True, slots=True)
class StudentsPage:
    """One page of the pupil list: presence flags only, never the contact values."""

    page: int
    total_pages: int
    total: int
    students: tuple[StudentSeen, ...]


def _student(tr: Tag, page: str) -> StudentSeen:
    parents = find_all(cell(tr, page, "parents"), "li.parent")
    return StudentSeen(
        id=int_attr(tr, page, "data-student-id"),
        full_name=text(cell(tr, page, "name")),
        group_ids=ids(cell(tr, page, "groups"), page, "a.group-link", "data-group-id"),
        has_birth_date=bool(text(cell(tr, page, "birth-date"))),
        has_address=bool(text(cell(tr, page, "address"))),
        has_phone=bool(text(cell(tr, page, "phone"))),
        has_email=cell(tr, page, "email").get("data-present") == "1",
        parent_count=len(parents),
        parents_with_account=sum(p.get("data-has-account") == "1" for p in parents),
    )


def parse_students(html: str, page_number: int = 1) -> StudentsPage:
    """One page of the pupil list (``/students/?page=N``, 100 a page)."""
    page = shown(STUDENTS_PATH, students_params(page_number))
    tree = soup(html)
    students = table(tree, page, "students")
    pager = one(tree, page, "div#pagination")
    number = int_attr(pager, page, "data-page")
    if number != page_number:
        raise missing(page, f"div#pagination[data-page={page_number}] (got {number})")
    return StudentsPage(
        page=number,
        total_pages=int_attr(pager, page, "data-total-pages"),
        total=int_attr(one(tree, page, "p#students-total"), page, "data-total"),
        students=tuple(_student(tr, page) for tr in rows(students, "student")),
    )
