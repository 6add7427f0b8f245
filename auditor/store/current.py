"""The current institution tables: what a part read last, names included, for reports.

A row is written from the same values as its entity's facts (:mod:`.institution_parts`),
which lets institution.py compare a part with its table instead of with its facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, select, update

from auditor.store.institution_parts import Part

Key = tuple[Any, ...]  # a current table's primary key


def load_current(conn: Connection, part: Part) -> dict[Key, Mapping[Any, Any]]:
    """Every row of the part's table, by key, in table order: its values and ``present``
    (not when it was seen: comparing does not need it)."""
    table = part.table
    columns = [table.c[name] for name in part.types if not name.endswith("_seen_at")]
    rows = conn.execute(select(*columns)).all()
    return {part.key(row._mapping): row._mapping for row in rows}


def unchanged(stored: Mapping[Any, Any] | None, row: dict[str, Any]) -> bool:
    """Present, and every column equal; types too, since ``True == 1`` but their facts
    differ (``"true"``, ``"1"``)."""
    if stored is None or not stored["present"]:
        return False
    return all(stored[n] == v and type(stored[n]) is type(v) for n, v in row.items())


def write_current(
    conn: Connection,
    part: Part,
    shown: dict[Key, dict[str, Any]],
    stored: Mapping[Key, Mapping[Any, Any]],
    same: set[Key],
    at: datetime,
) -> None:
    """The part's table as read at ``at``: new rows inserted, changed ones rewritten, rows
    no longer listed marked absent, and the end of every listed row moved to ``at`` (all
    the unchanged rows ``same`` need)."""
    table = part.table
    new = [
        row | {"present": True, "first_seen_at": at, "last_seen_at": at}
        for key, row in shown.items()
        if key not in stored
    ]
    if new:
        conn.execute(insert(table), new)
    key_columns = [table.c[name] for name in part.keys]
    where = and_(*(c == bindparam(f"k_{c.name}", type_=c.type) for c in key_columns))

    def execute(rows: list[tuple[Key, dict[str, Any]]]) -> None:
        if rows:
            values = {n: bindparam(f"v_{n}", type_=table.c[n].type) for n in rows[0][1]}
            params = [
                {f"k_{name}": v for name, v in zip(part.keys, key, strict=True)}
                | {f"v_{name}": value for name, value in row.items()}
                for key, row in rows
            ]
            conn.execute(update(table).where(where).values(values), params)

    execute(
        [
            (key, row | {"present": True, "last_seen_at": at})
            for key, row in shown.items()
            if key in stored and key not in same
        ]
    )
    execute(
        [
            (key, {"present": False})
            for key, row in stored.items()
            if row["present"] and key not in shown
        ]
    )
    # Now the present rows are exactly the ones shown: the unchanged ones get their new end.
    conn.execute(update(table).where(table.c.present).values(last_seen_at=at))
