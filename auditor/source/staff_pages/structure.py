"""The institution's structure (``/structure/``) and its list of groups (``/groups/``).

The markup read here (``table#departments``, ``table#associations``, ``table#groups``, their
row and cell classes and ``data-*-id`` attributes) is ASSUMED: the staff side of ЭШ 2.0 is not
publicly documented; it is the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.source.snapshot import AssociationSeen, DepartmentSeen
from auditor.source.staff_pages.common import (
    cell,
    int_attr,
    opt_int_attr,
    rows,
    soup,
    table,
    text,
    to_int,
)
from auditor.source.staff_pages.paths import GROUPS_PATH, STRUCTURE_PATH


def parse_structure(html: str) -> tuple[list[DepartmentSeen], list[AssociationSeen]]:
    """Departments and associations (``/structure/``)."""
    page, tree = STRUCTURE_PATH, soup(html)
    departments = [
        DepartmentSeen(
            id=int_attr(tr, page, "data-department-id"),
            name=text(cell(tr, page, "name")),
            kind=text(cell(tr, page, "kind")),
            head_id=opt_int_attr(cell(tr, page, "head"), page, "data-staff-id"),
        )
        for tr in rows(table(tree, page, "departments"), "department")
    ]
    associations = [
        AssociationSeen(
            id=int_attr(tr, page, "data-association-id"),
            name=text(cell(tr, page, "name")),
            department_id=int_attr(cell(tr, page, "department"), page, "data-department-id"),
        )
        for tr in rows(table(tree, page, "associations"), "association")
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
    for tr in rows(table(soup(html), page, "groups"), "group"):
        association = cell(tr, page, "association")
        found.append(
            GroupRow(
                id=int_attr(tr, page, "data-group-id"),
                name=text(cell(tr, page, "name")),
                association_id=int_attr(association, page, "data-association-id"),
                association=text(association),
                department_id=opt_int_attr(
                    cell(tr, page, "department"), page, "data-department-id"
                ),
                teacher_id=int_attr(cell(tr, page, "teacher"), page, "data-staff-id"),
                year_of_study=to_int(text(cell(tr, page, "year-of-study"))) or 0,
            )
        )
    return found
