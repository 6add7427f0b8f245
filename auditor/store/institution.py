"""Recording the institution parts of one sync: current tables and fact intervals.

Only the parts the snapshot says were read are touched (``None`` = not read). For a part
that was read, its current table is brought up to date (new rows inserted, rows not shown
any more marked ``present = false``; their names stay for reports) and every fact of every
entity is observed in ``facts`` at the part's read time, like lesson fields are.
Names are kept only as current values: history is kept of what rules judge, not of names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, insert, select, update

from auditor.contract.values import FALSE, PRESENT, TRUE
from auditor.source.snapshot import (
    AssociationSeen,
    DepartmentSeen,
    GroupSeen,
    InstitutionSeen,
    ScheduleSlotSeen,
    SetupSeen,
    StaffSeen,
    StudentSeen,
)
from auditor.store import schema
from auditor.store.intervals import IntervalBook, interval_columns, interval_from_row
from auditor.store.values import flag, id_list, iso, name_list, optional_id

FactKey = tuple[str, str, str]  # (kind, entity, fact)
SETUP_ENTITY = "institution"


@dataclass(frozen=True, slots=True)
class Part:
    """How one part of :class:`InstitutionSeen` maps to its table and its facts."""

    kind: str
    table: Table
    key: Callable[[Any], tuple[Any, ...]]  # primary-key values, in the table's key order
    current: Callable[[Any], dict[str, Any]]  # the current table's own columns
    facts: Callable[[Any], dict[str, str]]  # what rules judge, as interval values


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
    """Every column except the key and the names, as interval values."""
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
    skip = (*keys, "name", "full_name")
    return Part(
        kind=kind,
        table=table,
        key=lambda item: tuple(current(item)[k] for k in keys),
        current=current,
        facts=lambda item: _as_facts(current(item), skip),
    )


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


def record_institution(conn: Connection, run_id: int, seen: InstitutionSeen) -> int:
    """Record the parts that were read; return how many fact values changed."""
    read = {name: getattr(seen, name) for name in PARTS if getattr(seen, name) is not None}
    kinds = [PARTS[name].kind for name in read] + (["setup"] if seen.setup else [])
    if not kinds:
        return 0
    book = IntervalBook(run_id, _load_latest(conn, kinds), "fact")
    changes = 0
    for name, items in read.items():
        changes += _record_part(conn, PARTS[name], items, seen.observed_at, book)
    if seen.setup is not None:
        changes += _record_setup(conn, seen.setup, book)
    book.flush(
        conn,
        schema.facts,
        lambda key, _iv: {"kind": key[0], "entity": key[1], "fact": key[2]},
    )
    return changes


def _record_part(
    conn: Connection, part: Part, items: Sequence[Any], at: datetime, book: IntervalBook[FactKey]
) -> int:
    table = part.table
    key_columns = list(table.primary_key.columns)
    stored = {
        tuple(row[: len(key_columns)]): bool(row[-1])
        for row in conn.execute(select(*key_columns, table.c.present))
    }
    shown = {part.key(item): item for item in items}
    _write_current(conn, part, shown, stored, at)
    changes = 0
    for key, item in shown.items():
        entity = entity_name(key)
        latest = book.latest((part.kind, entity, PRESENT))
        back = latest is not None and latest.value == FALSE
        values = {PRESENT: TRUE, **part.facts(item)}
        for fact, value in values.items():
            step = book.observe((part.kind, entity, fact), value, at, restart=back)
            changes += int(step.opened and step.previous is not None and step.previous != value)
    for key in stored.keys() - shown.keys():
        step = book.observe((part.kind, entity_name(key), PRESENT), FALSE, at)
        changes += int(step.opened and step.previous == TRUE)
    return changes


def _write_current(
    conn: Connection,
    part: Part,
    shown: dict[tuple[Any, ...], Any],
    stored: dict[tuple[Any, ...], bool],
    at: datetime,
) -> None:
    table = part.table
    key_columns = list(table.primary_key.columns)
    new = [
        part.current(item) | {"present": True, "first_seen_at": at, "last_seen_at": at}
        for key, item in shown.items()
        if key not in stored
    ]
    if new:
        conn.execute(insert(table), new)
    where = and_(*(c == bindparam(f"k_{c.name}", type_=c.type) for c in key_columns))

    def keyed(key: tuple[Any, ...], values: dict[str, Any]) -> dict[str, Any]:
        bound = {f"k_{c.name}": v for c, v in zip(key_columns, key, strict=True)}
        return bound | {f"v_{name}": value for name, value in values.items()}

    def execute(rows: list[dict[str, Any]]) -> None:
        if rows:
            names = [k[2:] for k in rows[0] if k.startswith("v_")]
            values = {n: bindparam(f"v_{n}", type_=table.c[n].type) for n in names}
            conn.execute(update(table).where(where).values(values), rows)

    execute(
        [
            keyed(key, part.current(item) | {"present": True, "last_seen_at": at})
            for key, item in shown.items()
            if key in stored
        ]
    )
    execute(
        [
            keyed(key, {"present": False})
            for key, present in stored.items()
            if present and key not in shown
        ]
    )


def _record_setup(conn: Connection, setup: SetupSeen, book: IntervalBook[FactKey]) -> int:
    at = setup.observed_at
    vacations = ",".join(f"{a.isoformat()}/{b.isoformat()}" for a, b in setup.vacations)
    row = {
        "year_configured": setup.year_configured,
        "year_start": setup.year_start,
        "year_end": setup.year_end,
        "vacations": vacations,
        "notifications_configured": setup.notifications_configured,
    }
    table = schema.setup
    exists = conn.execute(select(table.c.id).where(table.c.id == 1)).first() is not None
    if exists:
        conn.execute(update(table).where(table.c.id == 1).values(row | {"last_seen_at": at}))
    else:
        conn.execute(insert(table).values(row | {"id": 1, "first_seen_at": at, "last_seen_at": at}))
    facts: dict[str, str] = {
        "year_configured": flag(setup.year_configured),
        "year_start": iso(setup.year_start),
        "year_end": iso(setup.year_end),
        "vacations": vacations,
        "notifications_configured": flag(setup.notifications_configured),
    }
    changes = 0
    for fact, value in facts.items():
        step = book.observe(("setup", SETUP_ENTITY, fact), value, at)
        changes += int(step.opened and step.previous is not None)
    return changes


def _load_latest(conn: Connection, kinds: list[str]) -> dict[FactKey, Any]:
    table = schema.facts
    rows = conn.execute(
        select(table.c.kind, table.c.entity, table.c.fact, *interval_columns(table)).where(
            table.c.latest, table.c.kind.in_(kinds)
        )
    )
    return {(row.kind, row.entity, row.fact): interval_from_row(row) for row in rows}
