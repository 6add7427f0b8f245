"""Explicit schema versions: the ``meta`` table's ``schema_version`` and the steps between.

A fresh store is created from :mod:`auditor.store.schema` and stamped with the current
version. An older store is migrated forward one step at a time, all steps in the one
transaction that opens it, so a failed migration leaves the store as it was. A store newer
than this code is refused: writing to it could corrupt what a later version relies on.

To change the schema: edit :mod:`~auditor.store.schema`, bump ``SCHEMA_VERSION``, append a
step here that turns the previous version into the new one, and extend the migration test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.schema import CreateColumn, CreateIndex

from auditor.errors import StoreError
from auditor.store import schema

VERSION_KEY = "schema_version"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # the version this step produces (from version - 1)
    summary: str
    apply: Callable[[Connection], None]


# Each step sees the tables as they were at its version, never the current schema module,
# so that later schema changes cannot alter what an old step does.
_V2_LESSONS = Table(
    "lessons",
    MetaData(),
    Column("lesson_id", Integer, primary_key=True),
    Column("date", Date, nullable=False),
    Column("month", String(7), nullable=False, server_default=text("''")),
)


def _v2_lesson_month(conn: Connection) -> None:
    """Add ``lessons.month`` (the lesson's journal page) and an index for page joins."""
    lessons = _V2_LESSONS
    column = CreateColumn(lessons.c.month).compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE lessons ADD COLUMN {column}"))
    rows = conn.execute(select(lessons.c.lesson_id, lessons.c.date)).all()
    if rows:
        conn.execute(
            update(lessons)
            .where(lessons.c.lesson_id == bindparam("b_id"))
            .values(month=bindparam("b_month")),
            [{"b_id": lesson_id, "b_month": day.strftime("%Y-%m")} for lesson_id, day in rows],
        )
    conn.execute(text("CREATE INDEX ix_lessons_group_month ON lessons (group_id, month)"))


def _v3_audits(conn: Connection) -> None:
    """Add the audit tables (new tables: created as the v3 schema defines them)."""
    schema.audit_runs.create(conn)
    schema.audit_findings.create(conn)


_V4 = MetaData()
_V4_LESSONS = Table(
    "lessons",
    _V4,
    Column("lesson_id", Integer, primary_key=True),
    Column("latest_digest", String(32), nullable=False, server_default=text("''")),
)
_V4_FIELD_INTERVALS = Table(
    "field_intervals",
    _V4,
    Column("id", Integer, primary_key=True),
    Column("lesson_id", Integer, nullable=False),
    Column("field", String(16), nullable=False),
    Column("filled", Boolean, nullable=False),
    Column("latest", Boolean, nullable=False),
)
_V4_OPEN = Index(
    "ix_field_intervals_open",
    _V4_FIELD_INTERVALS.c.field,
    _V4_FIELD_INTERVALS.c.lesson_id,
    sqlite_where=text("latest = 1 AND filled = 0"),
    postgresql_where=text("latest AND NOT filled"),
)


def _v4_recording_speed(conn: Connection) -> None:
    """Add ``lessons.latest_digest`` (empty: the next sync that reads a lesson fills it in)
    and the planner's index of the latest empty intervals."""
    column = CreateColumn(_V4_LESSONS.c.latest_digest).compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE lessons ADD COLUMN {column}"))
    conn.execute(CreateIndex(_V4_OPEN))


def _v5_audit_params(conn: Connection) -> None:
    """Keep what each recorded audit was asked (as of, scope, rule set) with it.

    The v3 step creates the audit tables as the current schema defines them (their findings
    columns derive from the findings contract), so a store migrated from before v3 already
    has the column: it is added only where it is missing."""
    columns = {c["name"] for c in inspect(conn).get_columns("audit_runs")}
    if "params" not in columns:
        conn.execute(text("ALTER TABLE audit_runs ADD COLUMN params TEXT NOT NULL DEFAULT '{}'"))


def _v6_deliveries(conn: Connection) -> None:
    """The delivery ledger: a new table, created as the current schema defines it."""
    schema.deliveries.create(conn, checkfirst=True)


def _v7_schedule(conn: Connection) -> None:
    """The scheduler's jobs, runs and lease: new tables, created as the schema defines them."""
    for table in (schema.schedule_jobs, schema.job_runs, schema.scheduler_lease):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "lessons.month and an index on (group_id, month)", _v2_lesson_month),
    Migration(3, "audit_runs and audit_findings", _v3_audits),
    Migration(4, "lessons.latest_digest and index ix_field_intervals_open", _v4_recording_speed),
    Migration(5, "audit_runs.params", _v5_audit_params),
    Migration(6, "deliveries (the delivery ledger)", _v6_deliveries),
    Migration(7, "schedule_jobs, job_runs and scheduler_lease", _v7_schedule),
)

assert [m.version for m in MIGRATIONS] == list(range(2, schema.SCHEMA_VERSION + 1))


def stored_version(conn: Connection) -> int | None:
    """The store's schema version; None for an empty database."""
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return None
    if schema.meta.name not in tables:
        raise StoreError(
            "the database is not an auditor store (it has tables but no meta table)",
            hint="point store.data_dir / store.url at the auditor's own database",
        )
    value = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == VERSION_KEY)
    ).scalar_one_or_none()
    if value is None or not value.isdigit():
        raise StoreError(
            f"the store's meta table has no valid {VERSION_KEY} ({value!r})",
            hint="the store is damaged: restore a backup or start a fresh store",
        )
    return int(value)


def ensure_current(conn: Connection) -> int:
    """Create or migrate the schema inside ``conn``'s transaction; return the old version."""
    version = stored_version(conn)
    if version is None:
        schema.metadata.create_all(conn)
        conn.execute(
            schema.meta.insert(), {"key": VERSION_KEY, "value": str(schema.SCHEMA_VERSION)}
        )
        return schema.SCHEMA_VERSION
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {version}, newer than this auditor knows "
            f"({schema.SCHEMA_VERSION})",
            hint="upgrade ruobr-auditor to the version that wrote this store "
            "(an older version must not write to it)",
        )
    for step in MIGRATIONS:
        if step.version > version:
            step.apply(conn)
    if version < schema.SCHEMA_VERSION:
        conn.execute(
            update(schema.meta)
            .where(schema.meta.c.key == VERSION_KEY)
            .values(value=str(schema.SCHEMA_VERSION))
        )
    return version
