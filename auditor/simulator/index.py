"""Lookups over a Dataset by id, built once per simulator (datasets are immutable)."""

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
    StaffMember,
    Student,
)


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
        lessons: defaultdict[int, list[Lesson]] = defaultdict(list)
        for lesson in sorted(dataset.lessons, key=lambda x: (x.date, x.start, x.id)):
            lessons[lesson.group_id].append(lesson)
        self.lessons_by_group: dict[int, list[Lesson]] = dict(lessons)
        self.staff_logins: dict[str, Credential] = {
            c.login: c for c in dataset.credentials if c.kind is CredentialKind.STAFF
        }

    def group_department_id(self, group: Group) -> int | None:
        association = self.associations.get(group.association_id)
        return association.department_id if association else None

    def groups_at(self, now: datetime) -> list[Group]:
        """Groups that exist at ``now``, by name."""
        return sorted(
            (g for g in self.dataset.groups if g.created_at <= now), key=lambda g: (g.name, g.id)
        )
