"""The pupil list (``/students/?page=N``) and the staff list (``/staff/``).

Contact fields show their value at the served moment; an account shows once it has been
created. The pupil list is paginated (:data:`STUDENTS_PER_PAGE` a page) as large Django lists
are; a page number out of range is a 404, as Django's paginator answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from auditor.simulator.access import NotFound, visible_groups, visible_staff, visible_students
from auditor.simulator.index import DatasetIndex
from auditor.simulator.pages.base import (
    Page,
    RoleLabel,
    ViewContext,
    role_labels,
    ru_date,
    ru_datetime,
)
from auditor.simulator.render import Rows
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


# What a pupil's row shows as of the served moment and to this viewer: (pupil id, ids of the
# groups shown, birth date, address, phone, has an e-mail, each parent has an account, has an
# account). A plain tuple: it is built for each of the 100 pupils of every page served.
StudentState = tuple[
    int, tuple[int, ...], date | None, str | None, str | None, bool, tuple[bool, ...], bool
]


def _student_state(ctx: ViewContext, student: Student, shown: dict[int, str]) -> StudentState:
    now, account = ctx.now, student.account
    return (
        student.id,
        tuple(g for g in student.group_ids if g in shown),
        student.birth_date.value_at(now),
        student.address.value_at(now),
        student.phone.value_at(now),
        bool(student.email.value_at(now)),
        tuple(
            p.account is not None and p.account.created_at <= now
            for p in ctx.index.parents_of[student.id]
        ),
        account is not None and account.created_at <= now,
    )


def _student_row(index: DatasetIndex, state: StudentState) -> StudentRow:
    student_id, group_ids, birth_date, address, phone, has_email, parents, has_login = state
    student = index.students[student_id]
    return StudentRow(
        id=student.id,
        name=student.full_name,
        groups=tuple(Ref(g, index.groups[g].name) for g in group_ids),
        birth_date=ru_date(birth_date),
        address=address or "",
        phone=phone or "",
        has_email=has_email,
        parents=tuple(
            ParentRow(p.id, p.full_name, has_account)
            for p, has_account in zip(index.parents_of[student.id], parents, strict=True)
        ),
        login=student.account.login if student.account and has_login else "",
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
            "students": Rows(
                "student",
                [_student_state(ctx, s, shown_groups) for s in chunk],
                partial(_student_row, ctx.index),
            ),
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
    return Page("staff.html", "Сотрудники", "staff", {"staff": Rows("staff_member", rows)})
