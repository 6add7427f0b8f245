"""Recording the institution parts of one sync: current tables and fact intervals.

Only the parts the snapshot says were read are touched (``None`` = not read). For a part
that was read, its current table is brought up to date (new rows inserted, rows not shown
any more marked ``present = false``; their names stay for reports) and every fact of every
entity is observed in ``facts`` at the part's read time, like lesson fields are.
Names are kept only as current values: history is kept of what rules judge, not of names.

Cost: a part is mostly what it was (1,500 pupils, a handful changed), so it is compared
with its current table, not with every latest fact. A row and its entity's latest facts are
written together from the same values (:mod:`.institution_parts`; values of another type
than their column are refused, as the table would store them converted), so

* a row present and equal (values and types) to what the part shows now has the latest
  facts ``present = "true"`` and ``Part.facts`` of that row: the facts of all such entities
  are extended in one statement (every latest fact of the kind but the other entities'),
  without being loaded;
* a row not present and not shown again has the latest ``present = "false"``: extended;
* every read of a part observes ``present`` of every stored entity, so the latest
  ``present`` facts of a kind end last: if none ends after this read, no fact of the kind
  does, and the observation is in time order.

Entities that are new, changed, coming back or leaving are observed fact by fact, with
their latest facts loaded. So is the whole part when the read is older than a latest fact:
the fact-by-fact path refuses it with the same error as ever.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from auditor.contract.values import FALSE, PRESENT, TRUE
from auditor.source.snapshot import InstitutionSeen, SetupSeen
from auditor.store import schema
from auditor.store.current import Key, load_current, unchanged, write_current
from auditor.store.facts import Entity, extend_all_but, latest_ends, load_facts
from auditor.store.institution_parts import PARTS, Part, entity_name
from auditor.store.interval_writes import write_changes
from auditor.store.intervals import IntervalBook
from auditor.store.values import flag, iso

SETUP_ENTITY = "institution"
_ONLY_PRESENT = frozenset({PRESENT})


def record_institution(conn: Connection, run_id: int, seen: InstitutionSeen) -> int:
    """Record the parts that were read; return how many fact values changed."""
    read = {name: getattr(seen, name) for name in PARTS if getattr(seen, name) is not None}
    if not read and seen.setup is None:
        return 0
    book: IntervalBook[Entity] = IntervalBook(run_id, "fact")
    ends = latest_ends(conn, [PARTS[name].kind for name in read])
    changes = 0
    for name, items in read.items():
        part, at = PARTS[name], seen.observed_at
        in_order = part.kind not in ends or ends[part.kind] <= at
        changes += _record_part(conn, part, items, at, in_order, book)
    if seen.setup is not None:
        changes += _record_setup(conn, seen.setup, book)
    write_changes(
        conn,
        schema.facts,
        book.changes(),
        run_id=run_id,
        name_column="fact",
        owner_columns=lambda owner: {"kind": owner[0], "entity": owner[1]},
        key_columns=lambda owner, fact, _iv: {"kind": owner[0], "entity": owner[1], "fact": fact},
    )
    return changes


def _record_part(
    conn: Connection,
    part: Part,
    items: Sequence[Any],
    at: datetime,
    in_order: bool,
    book: IntervalBook[Entity],
) -> int:
    """``in_order``: no latest fact of the part's kind ends after ``at``."""
    stored = load_current(conn, part)
    shown: dict[Key, dict[str, Any]] = {}
    for item in items:
        row = part.current(item)
        shown[part.key(row)] = row  # listed twice: the last listing counts
    same = {key for key, row in shown.items() if in_order and unchanged(stored.get(key), row)}
    gone = [key for key in stored if key not in shown]  # in table order: ids do not vary
    away = {key for key in gone if in_order and not stored[key]["present"]}
    load = [key for key in shown if key not in same] + [key for key in gone if key not in away]
    for key, row in shown.items():
        if key not in same:
            part.check(row)  # rows written below: they must tell their facts next time
    others = [entity_name(key) for key in stored if key not in same]
    whole = bool(same) and extend_all_but(conn, part.kind, others, at, book.run_id)
    load_facts(conn, book, part.kind, [entity_name(key) for key in load])
    write_current(conn, part, shown, stored, same, at)
    changes = 0
    for key, row in shown.items():
        entity = (part.kind, entity_name(key))
        if key in same:
            if not whole:
                book.extend_unloaded(entity, at, None)
            continue
        latest = book.latest(entity, PRESENT)
        back = latest is not None and latest.value == FALSE
        for fact, value in {PRESENT: TRUE, **part.facts(row)}.items():
            step = book.observe(entity, fact, value, at, restart=back)
            changes += int(step.opened and step.previous is not None and step.previous != value)
    for key in gone:
        entity = (part.kind, entity_name(key))
        if key in away:
            book.extend_unloaded(entity, at, _ONLY_PRESENT)  # still not listed
            continue
        step = book.observe(entity, PRESENT, FALSE, at)
        changes += int(step.opened and step.previous == TRUE)
    return changes


def _record_setup(conn: Connection, setup: SetupSeen, book: IntervalBook[Entity]) -> int:
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
    owner = ("setup", SETUP_ENTITY)
    load_facts(conn, book, "setup", [SETUP_ENTITY])
    changes = 0
    for fact, value in facts.items():
        step = book.observe(owner, fact, value, at)
        changes += int(step.opened and step.previous is not None)
    return changes
