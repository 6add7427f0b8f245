"""The pupil list (``/students/?page=N``) and the staff list (``/staff/``).

Contact fields show their value at the served moment; an account shows once it has been
created. The pupil list is paginated (:data:`STUDENTS_PER_PAGE` a page) as large Django lists
are; a page number out of range is a 404, as Django's paginator answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.simulator.access import NotFound, visible_groups, visible_staff, visible_students
from auditor.simulator.pages.base import (
    Page,
    RoleLabel,
    ViewContext,
    role_labels,
    ru_date,
    ru_datetime,
)
from auditor.simulator.world import StaffMember, Student

STUDENTS_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class Ref:
    """Something shown by name with its id in a data-* attribute."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ParentRow:
    id: int
    name: str
    has_account: bool


@dataclass(frozen=True, slots=True)
class StudentRow:
    id: int
    name: str
    groups: tuple[Ref, ...]
    birth_date: str
    address: str
    phone: str
    has_email: bool
    parents: tuple[ParentRow, ...]
    login: str  # the pupil's own account, "" if none yet


@dataclass(frozen=True, slots=True)
class StaffRow:
    id: int
    name: str
    position: str
    department_id: int | None
    department: str
    roles: tuple[RoleLabel, ...]
    login: str
    account_created: str
    rights_roles: tuple[RoleLabel, ...]
    journal_groups: tuple[Ref, ...]


def _student_row(ctx: ViewContext, student: Student, shown_groups: dict[int, str]) -> StudentRow:
    parents = []
    for parent_id in student.parent_ids:
        parent = ctx.index.parents.get(parent_id)
        if parent is not None:
            account = parent.account
            has_account = account is not None and account.created_at <= ctx.now
            parents.append(ParentRow(parent.id, parent.full_name, has_account))
    account = student.account
    return StudentRow(
        id=student.id,
        name=student.full_name,
        groups=tuple(Ref(g, shown_groups[g]) for g in student.group_ids if g in shown_groups),
        birth_date=ru_date(student.birth_date.value_at(ctx.now)),
        address=student.address.value_at(ctx.now) or "",
        phone=student.phone.value_at(ctx.now) or "",
        has_email=bool(student.email.value_at(ctx.now)),
        parents=tuple(parents),
        login=account.login if account and account.created_at <= ctx.now else "",
    )


def students_page(ctx: ViewContext, page_raw: str | None) -> Page:
    students = visible_students(ctx.index, ctx.viewer, ctx.now)
    total_pages = max(1, -(-len(students) // STUDENTS_PER_PAGE))
    if page_raw in (None, ""):
        page = 1
    elif page_raw.isdigit() and 1 <= int(page_raw) <= total_pages:
        page = int(page_raw)
    else:
        raise NotFound
    # A pupil's groups are shown only where the viewer may see them (clause 1.7).
    shown_groups = {g.id: g.name for g in visible_groups(ctx.index, ctx.viewer, ctx.now)}
    chunk = students[(page - 1) * STUDENTS_PER_PAGE : page * STUDENTS_PER_PAGE]
    return Page(
        "students.html",
        "Учащиеся",
        "students",
        {
            "students": [_student_row(ctx, s, shown_groups) for s in chunk],
            "page": page,
            "total_pages": total_pages,
            "total": len(students),
            "pages": list(range(1, total_pages + 1)),
        },
    )


def _staff_row(ctx: ViewContext, staff: StaffMember) -> StaffRow:
    department = (
        ctx.index.departments.get(staff.department_id) if staff.department_id is not None else None
    )
    account = staff.account if staff.account and staff.account.created_at <= ctx.now else None
    rights = staff.rights.value_at(ctx.now)
    groups = tuple(
        Ref(g.id, g.name)
        for gid in (rights.journal_group_ids if rights else ())
        if (g := ctx.index.groups.get(gid)) is not None and g.created_at <= ctx.now
    )
    return StaffRow(
        id=staff.id,
        name=staff.full_name,
        position=staff.position,
        department_id=staff.department_id,
        department=department.name if department else "",
        roles=role_labels(staff.roles),
        login=account.login if account else "",
        account_created=ru_datetime(account.created_at, ctx) if account else "",
        rights_roles=role_labels(rights.roles) if rights else (),
        journal_groups=groups,
    )


def staff_page(ctx: ViewContext) -> Page:
    rows = [_staff_row(ctx, s) for s in visible_staff(ctx.index, ctx.viewer)]
    return Page("staff.html", "Сотрудники", "staff", {"staff": rows})
