"""Who may see what in the staff web app (ASSUMED: the real rules are not public).

The regulation demands that personal data be protected (clause 1.7) and that each person
sees only what concerns them (clause 5.5 for parents). The simulator applies the rights a
staff account holds *at the served moment* (``StaffMember.rights.value_at(now)``):

* operator, director, deputy director: everything;
* department head: the groups of the departments they head (or belong to), their students,
  and the staff of those departments; plus any journal groups granted to them;
* teacher: only the groups in their journal rights, and those groups' students; no staff list;
* an account without rights at that moment: the home page and the institution's setup pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditor.domain import Role
from auditor.simulator.index import DatasetIndex
from auditor.simulator.world import Group, StaffMember, Student

ADMIN_ROLES = frozenset({Role.OPERATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})


class Forbidden(Exception):
    """The viewer may not see this page (answered with 403)."""


class NotFound(Exception):
    """No such page at the served moment (answered with 404)."""


@dataclass(frozen=True, slots=True)
class Viewer:
    staff: StaffMember
    roles: frozenset[Role]
    journal_group_ids: frozenset[int]
    department_ids: frozenset[int]  # departments whose groups a head oversees

    @property
    def sees_everything(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    @property
    def is_head(self) -> bool:
        return Role.HEAD in self.roles


def viewer_at(index: DatasetIndex, staff_id: int, now: datetime) -> Viewer:
    staff = index.staff[staff_id]
    rights = staff.rights.value_at(now)
    roles = frozenset(rights.roles) if rights else frozenset()
    departments: set[int] = set()
    if Role.HEAD in roles:
        departments = set(index.headed_departments.get(staff.id, ()))
        if staff.department_id is not None:
            departments.add(staff.department_id)
    return Viewer(
        staff=staff,
        roles=roles,
        journal_group_ids=frozenset(rights.journal_group_ids) if rights else frozenset(),
        department_ids=frozenset(departments),
    )


def may_see_group(index: DatasetIndex, viewer: Viewer, group: Group) -> bool:
    if viewer.sees_everything or group.id in viewer.journal_group_ids:
        return True
    return viewer.is_head and index.group_department_id(group) in viewer.department_ids


def visible_groups(index: DatasetIndex, viewer: Viewer, now: datetime) -> list[Group]:
    return [g for g in index.groups_at(now) if may_see_group(index, viewer, g)]


def visible_students(index: DatasetIndex, viewer: Viewer, now: datetime) -> list[Student]:
    """Students enrolled by ``now`` in a group the viewer may see, by name."""
    if viewer.sees_everything:
        return [s for s in index.students_by_name if s.enrolled_at <= now]
    group_ids = {g.id for g in visible_groups(index, viewer, now)}
    return [
        s
        for s in index.students_by_name
        if s.enrolled_at <= now and not group_ids.isdisjoint(s.group_ids)
    ]


def visible_staff(index: DatasetIndex, viewer: Viewer) -> list[StaffMember]:
    """The staff list the viewer may see; raises Forbidden for teachers."""
    if viewer.sees_everything:
        return list(index.staff_by_name)
    if viewer.is_head:
        return [
            s
            for s in index.staff_by_name
            if s.department_id in viewer.department_ids or s.id == viewer.staff.id
        ]
    raise Forbidden
