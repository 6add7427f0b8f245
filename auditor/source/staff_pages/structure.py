"""The institution's structure (``/structure/``) and its list of groups (``/groups/``).

The markup read here (``table#departments``, ``table#associations``, ``table#groups``, their
row and cell classes and ``data-*-id`` attributes) is ASSUMED: the staff side of ЭШ 2.0 is not
publicly documented; it is the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.source.snapshot import AssociationSeen, DepartmentSeen
from auditor.source.staff_pages.common import (
    int_attr,
    opt_int_attr,
    rows,
    table,
    text,
    to_int,
    tree_of,
)
from auditor.source.staff_pages.paths import GROUPS_PATH, STRUCTURE_PATH


def parse_structure(html: str) -> tuple[list[DepartmentSeen], list[AssociationSeen]]:
    """Departments and associations (``/structure/``)."""
    page, tree = STRUCTURE_PATH, tree_of(html)
    departments = [
        DepartmentSeen(
            id=row.int_attr("data-department-id"),
            name=row.text("name"),
            kind=row.text("kind"),
            head_id=opt_int_attr(row.cell("head"), page, "data-staff-id"),
        )
        for row in rows(table(tree, page, "departments"), "department", page)
    ]
    associations = [
        AssociationSeen(
            id=row.int_attr("data-association-id"),
            name=row.text("name"),
            department_id=int_attr(row.cell("department"), page, "data-department-id"),
        )
        for row in rows(table(tree, page, "associations"), "association", page)
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
    found = []
    for row in rows(table(tree_of(html), page, "groups"), "group", page):
        association = row.cell("association")
        found.append(
            GroupRow(
                id=row.int_attr("data-group-id"),
                name=row.text("name"),
                association_id=int_attr(association, page, "data-association-id"),
                association=text(association),
                department_id=opt_int_attr(row.cell("department"), page, "data-department-id"),
                teacher_id=int_attr(row.cell("teacher"), page, "data-staff-id"),
                year_of_study=to_int(row.text("year-of-study")) or 0,
            )
        )
    return found
