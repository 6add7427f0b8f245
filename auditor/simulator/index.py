"""Lookups over a Dataset by id, built once per simulator (datasets are immutable).

Every list a page shows in a fixed order is sorted here once; a request only filters it by
the served moment. A stable sort followed by a filter gives the same order as the filter
followed by the same sort, so the pages are unchanged. Ids are unique within a dataset
(checked when one is loaded), so an id names one object: pages key kept rows by it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from auditor.simulator.dataset import Credential, CredentialKind, Dataset
from auditor.simulator.world import (
    Association,
    Department,
    Group,
    Lesson,
    Parent,
    ScheduleSlot,
    StaffMember,
    Student,
)

MonthKey = tuple[int, int, int]  # (group id, year, month)


class DatasetIndex:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.tz = dataset.institution.tz
        self.departments: dict[int, Department] = {d.id: d for d in dataset.departments}
        self.associations: dict[int, Association] = {a.id: a for a in dataset.associations}
        self.groups: dict[int, Group] = {g.id: g for g in dataset.groups}
        self.staff: dict[int, StaffMember] = {s.id: s for s in dataset.staff}
        self.students: dict[int, Student] = {s.id: s for s in dataset.students}
        self.parents: dict[int, Parent] = {p.id: p for p in dataset.parents}
        self.lessons: dict[int, Lesson] = {x.id: x for x in dataset.lessons}
        self.parents_of: dict[int, tuple[Parent, ...]] = {
            s.id: tuple(self.parents[p] for p in s.parent_ids if p in self.parents)
            for s in dataset.students
        }
        by_month: defaultdict[MonthKey, list[Lesson]] = defaultdict(list)
        for lesson in sorted(dataset.lessons, key=lambda x: (x.date, x.start, x.id)):
            by_month[(lesson.group_id, lesson.date.year, lesson.date.month)].append(lesson)
        # A group's journal for a month, in the order the page lists it.
        self.lessons_by_month: dict[MonthKey, tuple[Lesson, ...]] = {
            key: tuple(month) for key, month in by_month.items()
        }
        self.staff_logins: dict[str, Credential] = {
            c.login: c for c in dataset.credentials if c.kind is CredentialKind.STAFF
        }
        self.groups_by_name = tuple(sorted(dataset.groups, key=lambda g: (g.name, g.id)))
        self.students_by_name = tuple(sorted(dataset.students, key=lambda s: (s.full_name, s.id)))
        self.staff_by_name = tuple(sorted(dataset.staff, key=lambda s: (s.full_name, s.id)))
        self.schedule_by_group: tuple[ScheduleSlot, ...] = tuple(
            sorted(
                (s for s in dataset.schedule if s.group_id in self.groups),
                key=lambda s: (self.groups[s.group_id].name, s.group_id, s.weekday, s.start),
            )
        )
        headed: defaultdict[int, set[int]] = defaultdict(set)
        for department in dataset.departments:
            if department.head_id is not None:
                headed[department.head_id].add(department.id)
        self.headed_departments: dict[int, frozenset[int]] = {
            staff_id: frozenset(ids) for staff_id, ids in headed.items()
        }

    def group_department_id(self, group: Group) -> int | None:
        association = self.associations.get(group.association_id)
        return association.department_id if association else None

    def groups_at(self, now: datetime) -> list[Group]:
        """Groups that exist at ``now``, by name."""
        return [g for g in self.groups_by_name if g.created_at <= now]
