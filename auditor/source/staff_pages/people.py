"""The staff list (``/staff/``) and the pupil list (``/students/?page=N``, 100 a page).

The markup read here (``table#staff``, ``table#students``, ``div#pagination``,
``p#students-total``, their row and cell classes, ``span.role``, ``a.group-link``,
``li.parent`` and their ``data-*`` attributes) is ASSUMED: the staff side of ЭШ 2.0 is not
publicly documented; it is the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.source.snapshot import StaffSeen, StudentSeen
from auditor.source.staff_pages.common import (
    Node,
    Row,
    element,
    find_all,
    ids,
    int_attr,
    missing,
    opt_int_attr,
    rows,
    table,
    tree_of,
)
from auditor.source.staff_pages.paths import STAFF_PATH, STUDENTS_PATH, shown, students_params


def _roles(tag: Node) -> tuple[str, ...]:
    return tuple(str(r.get("data-role")) for r in find_all(tag, "span.role") if r.get("data-role"))


def parse_staff(html: str) -> list[StaffSeen]:
    """Staff with roles, account and rights (``/staff/``)."""
    page = STAFF_PATH
    return [
        StaffSeen(
            id=row.int_attr("data-staff-id"),
            full_name=row.text("name"),
            position=row.text("position"),
            department_id=opt_int_attr(row.cell("department"), page, "data-department-id"),
            roles=_roles(row.cell("roles")),
            has_account=bool(row.text("login")),
            rights_roles=_roles(row.cell("rights-roles")),
            journal_group_ids=ids(
                row.cell("journal-groups"), page, "a.group-link", "data-group-id"
            ),
        )
        for row in rows(table(tree_of(html), page, "staff"), "staff-member", page)
    ]


@dataclass(frozen=True, slots=True)
class StudentsPage:
    """One page of the pupil list: presence flags only, never the contact values."""

    page: int
    total_pages: int
    total: int
    students: tuple[StudentSeen, ...]


def _student(row: Row) -> StudentSeen:
    parents = find_all(row.cell("parents"), "li.parent")
    return StudentSeen(
        id=row.int_attr("data-student-id"),
        full_name=row.text("name"),
        group_ids=ids(row.cell("groups"), row.page, "a.group-link", "data-group-id"),
        has_birth_date=bool(row.text("birth-date")),
        has_address=bool(row.text("address")),
        has_phone=bool(row.text("phone")),
        has_email=row.cell("email").get("data-present") == "1",
        parent_count=len(parents),
        parents_with_account=sum(p.get("data-has-account") == "1" for p in parents),
    )


def parse_students(html: str, page_number: int = 1) -> StudentsPage:
    """One page of the pupil list (``/students/?page=N``, 100 a page)."""
    page = shown(STUDENTS_PATH, students_params(page_number))
    tree = tree_of(html)
    students = table(tree, page, "students")
    pager = element(tree, page, "div", "pagination")
    number = int_attr(pager, page, "data-page")
    if number != page_number:
        raise missing(page, f"div#pagination[data-page={page_number}] (got {number})")
    return StudentsPage(
        page=number,
        total_pages=int_attr(pager, page, "data-total-pages"),
        total=int_attr(element(tree, page, "p", "students-total"), page, "data-total"),
        students=tuple(_student(row) for row in rows(students, "student", page)),
    )
