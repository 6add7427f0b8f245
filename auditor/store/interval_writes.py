"""Writing an :class:`~auditor.store.intervals.IntervalBook` in a few bulk statements.

Order matters: stored intervals are closed before new ones are inserted, so that the unique
"latest" index never sees two latest intervals of one key.

Extending is what a daily sync mostly does (every key observed again with its value), so
extensions are written per owner: ``UPDATE … SET last_seen_at, last_run_id WHERE latest AND
<owner>`` with one parameter set per lesson or entity, run as one ``executemany``. Only
``last_seen_at`` and ``last_run_id`` are set, so no index has to change (none holds them);
``latest`` is written only for intervals that close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Table,
    bindparam,
    insert,
    literal,
    or_,
    update,
)

from auditor.store.intervals import Changes, Interval
from auditor.store.schema import UtcDateTime

OwnerColumns = Callable[[Any], dict[str, Any]]  # the owner's key columns and values
KeyColumns = Callable[[Any, str, Interval], dict[str, Any]]  # an inserted row's key


def write_changes(
    conn: Connection,
    table: Table,
    changes: Changes,
    *,
    run_id: int,
    name_column: str,
    owner_columns: OwnerColumns,
    key_columns: KeyColumns,
) -> None:
    _by_id(conn, table, [iv for iv in changes.closed_or_moved if iv.latest], close=False)
    _by_id(conn, table, [iv for iv in changes.closed_or_moved if not iv.latest], close=True)
    by_names: dict[frozenset[str] | None, list[dict[str, Any]]] = {}
    owner_names: list[str] = []
    for ext in changes.extended:
        owner = owner_columns(ext.owner)
        owner_names = list(owner)
        params = {f"o_{name}": value for name, value in owner.items()}
        by_names.setdefault(ext.names, []).append(params | {"b_end": ext.at, "b_run": run_id})
    for names, rows in by_names.items():
        where: list[ColumnElement[Any]] = [table.c.latest]
        where += [table.c[n] == bindparam(f"o_{n}", type_=table.c[n].type) for n in owner_names]
        if names is not None:
            where.append(or_(*(table.c[name_column] == literal(n) for n in sorted(names))))
        conn.execute(update(table).where(*where).values(_END), rows)
    if changes.opened:
        conn.execute(
            insert(table),
            [
                {
                    **key_columns(owner, name, iv),
                    "value": iv.value,
                    "first_seen_at": iv.first_seen_at,
                    "last_seen_at": iv.last_seen_at,
                    "first_run_id": run_id,
                    "last_run_id": iv.last_run_id,
                    "latest": iv.latest,
                }
                for owner, name, iv in changes.opened
            ],
        )


_END = {
    "last_seen_at": bindparam("b_end", type_=UtcDateTime()),
    "last_run_id": bindparam("b_run", type_=Integer()),
}


def _by_id(conn: Connection, table: Table, intervals: list[Interval], *, close: bool) -> None:
    """Stored intervals that cannot be written per owner: one parameter set each."""
    if not intervals:
        return
    values = dict(_END)
    if close:
        values["latest"] = literal(False)
    stmt = update(table).where(table.c.id == bindparam("b_id", type_=Integer())).values(values)
    conn.execute(
        stmt,
        [{"b_id": iv.id, "b_end": iv.last_seen_at, "b_run": iv.last_run_id} for iv in intervals],
    )
