"""Reads and bulk writes of ``facts`` that institution.py needs besides the interval book."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from auditor.contract.values import PRESENT
from auditor.store import schema
from auditor.store.intervals import CHUNK, Interval, IntervalBook, chunks

Entity = tuple[str, str]  # (kind, entity): the owner of facts


def latest_ends(conn: Connection, kinds: Sequence[str]) -> dict[str, datetime]:
    """When the latest ``present`` facts of each kind end; being observed with every other
    fact of its entity, a kind's latest ``present`` ends no earlier than any of its facts."""
    facts = schema.facts
    rows = conn.execute(
        select(facts.c.kind, func.max(facts.c.last_seen_at))
        .where(facts.c.latest, facts.c.kind.in_(kinds), facts.c.fact == PRESENT)
        .group_by(facts.c.kind)
    )
    return {kind: end for kind, end in rows}


def load_facts(
    conn: Connection, book: IntervalBook[Entity], kind: str, entities: Sequence[str]
) -> None:
    """Every latest fact of these entities into ``book``."""
    facts = schema.facts
    columns = (facts.c.entity, facts.c.fact, facts.c.value, facts.c.last_seen_at)
    for chunk in chunks(entities):
        rows = conn.execute(
            select(*columns, facts.c.last_run_id, facts.c.id).where(
                facts.c.latest, facts.c.kind == kind, facts.c.entity.in_(chunk)
            )
        ).all()
        for entity, fact, *interval in rows:
            book.load((kind, entity), fact, Interval(*interval))


def extend_all_but(
    conn: Connection, kind: str, excluded: Sequence[str], at: datetime, run_id: int
) -> bool:
    """Extend every latest fact of ``kind`` to ``at``, except those of ``excluded`` entities,
    in one statement; False (nothing done) if the list is too long for one."""
    if len(excluded) > CHUNK:
        return False
    facts = schema.facts
    stmt = update(facts).where(facts.c.latest, facts.c.kind == kind)
    if excluded:
        stmt = stmt.where(facts.c.entity.not_in(excluded))
    conn.execute(stmt.values(last_seen_at=at, last_run_id=run_id))
    return True
