"""How each institution part of a snapshot maps to its current table and to its facts.

A part (departments, groups, staff, ...) has a current table holding what reports need now,
names included, and facts: every column except the key and the names, as interval values
(docs/store.md, "Fact kinds"). Both come from one dict per entity, :attr:`Part.current`, so
an entity whose current row is unchanged has unchanged facts too (institution.py relies on
that).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import Table

from auditor.source.snapshot import (
    AssociationSeen,
    DepartmentSeen,
    GroupSeen,
    ScheduleSlotSeen,
    StaffSeen,
    StudentSeen,
)
from auditor.store import schema
from auditor.store.values import flag, id_list, name_list, optional_id


@dataclass(frozen=True, slots=True)
class Part:
    """How one part of :class:`InstitutionSeen` maps to its table and its facts."""

    kind: str
    table: Table
    current: Callable[[Any], dict[str, Any]]  # an item's row: the current table's own columns
    keys: tuple[str, ...]  # the primary key's columns, in the table's key order
    types: dict[str, tuple[type, bool]]  # each column's Python type, and whether it may be None

    def key(self, row: Mapping[Any, Any]) -> tuple[Any, ...]:
        return tuple(row[k] for k in self.keys)

    def facts(self, row: dict[str, Any]) -> dict[str, str]:
        """What rules judge, as interval values: the row but its key and names."""
        return _as_facts(row, (*self.keys, "name", "full_name"))

    def check(self, row: dict[str, Any]) -> None:
        """Refuse a value of another type than its column's (a connector bug).

        The database would store it as the column's type (``1`` as true, ``True`` as 1)
        while its fact keeps the original (``"1"``, ``"true"``): the row would no longer
        tell the entity's facts, which institution.py relies on.
        """
        for name, value in row.items():
            expected, nullable = self.types[name]
            if value is None and nullable:
                continue
            if type(value) is not expected or (isinstance(value, time) and value.tzinfo):
                wanted = expected.__name__ + (" without a zone" if expected is time else "")
                raise ValueError(
                    f"{self.kind} {self.key(row)!r}: {name} must be a {wanted}"
                    f"{' or None' if nullable else ''}, got {value!r}"
                )


def _department(d: DepartmentSeen) -> dict[str, Any]:
    return {"id": d.id, "name": d.name, "kind": d.kind, "head_id": d.head_id}


def _association(a: AssociationSeen) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "department_id": a.department_id}


def _group(g: GroupSeen) -> dict[str, Any]:
    return {
        "id": g.id,
        "name": g.name,
        "association_id": g.association_id,
        "department_id": g.department_id,
        "teacher_id": g.teacher_id,
        "year_of_study": g.year_of_study,
    }


def _staff(s: StaffSeen) -> dict[str, Any]:
    return {
        "id": s.id,
        "full_name": s.full_name,
        "position": s.position,
        "department_id": s.department_id,
        "roles": name_list(s.roles),
        "has_account": s.has_account,
        "rights_roles": name_list(s.rights_roles),
        "journal_group_ids": id_list(s.journal_group_ids),
    }


def _student(s: StudentSeen) -> dict[str, Any]:
    return {
        "id": s.id,
        "full_name": s.full_name,
        "group_ids": id_list(s.group_ids),
        "has_birth_date": s.has_birth_date,
        "has_address": s.has_address,
        "has_phone": s.has_phone,
        "has_email": s.has_email,
        "parent_count": s.parent_count,
        "parents_with_account": s.parents_with_account,
    }


def _slot(s: ScheduleSlotSeen) -> dict[str, Any]:
    return {"group_id": s.group_id, "weekday": s.weekday, "start_time": s.start, "end_time": s.end}


def _as_facts(row: dict[str, Any], skip: tuple[str, ...]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for name, value in row.items():
        if name in skip:
            continue
        if isinstance(value, bool):
            facts[name] = flag(value)
        elif isinstance(value, time):
            facts[name] = value.isoformat()
        elif value is None or isinstance(value, int):
            facts[name] = optional_id(value)
        else:
            facts[name] = str(value)
    return facts


def _part(kind: str, table: Table, current: Callable[[Any], dict[str, Any]]) -> Part:
    keys = tuple(c.name for c in table.primary_key.columns)
    types = {c.name: (c.type.python_type, bool(c.nullable)) for c in table.columns}
    return Part(kind, table, current, keys, types)


PARTS: dict[str, Part] = {
    "departments": _part("department", schema.departments, _department),
    "associations": _part("association", schema.associations, _association),
    "groups": _part("group", schema.study_groups, _group),
    "staff": _part("staff", schema.staff, _staff),
    "students": _part("student", schema.students, _student),
    "schedule": _part("schedule", schema.schedule_slots, _slot),
}


def entity_name(key: tuple[Any, ...]) -> str:
    """The ``facts.entity`` of a key: ``"12"``, or ``"12/0/14:00:00"`` for a schedule slot."""
    return "/".join(v.isoformat() if isinstance(v, time) else str(v) for v in key)
