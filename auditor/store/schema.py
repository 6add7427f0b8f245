"""The store's tables (SQLAlchemy Core), as of :data:`SCHEMA_VERSION`.

A fresh store is created from these definitions; an older store is brought here by
:mod:`auditor.store.migrations`. A test checks that both paths give the same schema.

Three kinds of tables:

* the observation log: ``runs`` (completed syncs) and ``page_reads`` (every journal page a
  run read, and when): "lesson L was observed at t" means L's page was read at t;
* histories as intervals: ``field_intervals`` (one row per value a lesson field showed, from
  first to last seen) and ``facts`` (the same for institution facts);
* current values: ``lessons`` and the institution tables, holding what reports need now
  (names included: reports name groups, teachers and pupils).

Moments are stored as naive UTC (:class:`UtcDateTime`) and come back timezone-aware. No
table has a column for a password, a phone or an address: the snapshot carries only
presence flags and counts (clause 1.7), and the tests scan the schema for such names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)

from auditor.contract.findings import STORED_FIELDS, FindingField

SCHEMA_VERSION = 7


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC; naive input is refused (its zone is unknown)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)

    # A sync writes and reads the same few moments (one per page read) on tens of thousands
    # of rows; converting each distinct moment once makes that bulk work several times faster.
    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        return _cached(super().bind_processor(dialect))

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        return _cached(super().result_processor(dialect, coltype))


def _cached(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """``process`` with a cache: moments and stored strings are immutable and hashable.

    Equal aware datetimes are the same instant, so they convert alike, except that a
    ``fold=1`` moment (the repeated hour of a DST change) compares equal to its ``fold=0``
    twin in the same zone: those bypass the cache. Errors are never cached.
    """
    if process is None:
        return None
    cached = lru_cache(maxsize=16_384)(process)

    def convert(value: Any) -> Any:
        if value is None or (isinstance(value, datetime) and value.fold):
            return process(value)
        return cached(value)

    return convert


metadata = MetaData()


def _seen() -> list[Column[Any]]:
    """First and last moment an entity was seen (last: while present)."""
    return [
        Column("present", Boolean, nullable=False),
        Column("first_seen_at", UtcDateTime, nullable=False),
        Column("last_seen_at", UtcDateTime, nullable=False),
    ]


def _interval() -> list[Column[Any]]:
    """The columns shared by both interval tables."""
    return [
        Column("value", Text, nullable=False),
        Column("first_seen_at", UtcDateTime, nullable=False),
        Column("last_seen_at", UtcDateTime, nullable=False),
        Column("first_run_id", Integer, ForeignKey("runs.id"), nullable=False),
        Column("last_run_id", Integer, ForeignKey("runs.id"), nullable=False),
        # The newest interval of its key: the one the next observation extends or closes.
        Column("latest", Boolean, nullable=False),
    ]


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("source", String(500), nullable=False),
    Column("pages", Integer, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("retries", Integer, nullable=False),
)

page_reads = Table(
    "page_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("group_id", Integer, nullable=False),
    Column("month", String(7), nullable=False),  # YYYY-MM
    Column("observed_at", UtcDateTime, nullable=False),
    Column("lesson_count", Integer, nullable=False),
    Index("ix_page_reads_page", "group_id", "month", "observed_at"),
    Index("ix_page_reads_run", "run_id"),
)

lessons = Table(
    "lessons",
    metadata,
    Column("lesson_id", Integer, primary_key=True, autoincrement=False),
    Column("group_id", Integer, nullable=False),
    Column("date", Date, nullable=False),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("first_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("last_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    # v2: the journal page (group, month) the lesson is on, so that lessons join page_reads
    # and the planner finds open months without date arithmetic in SQL.
    Column("month", String(7), nullable=False, server_default=text("''")),
    # v4: a digest of the values of the lesson's latest field intervals (values.digest; ""
    # = not known yet), so that a sync tells the lessons that show what they showed before
    # without loading their intervals.
    Column("latest_digest", String(32), nullable=False, server_default=text("''")),
    Index("ix_lessons_date", "date"),
    Index("ix_lessons_group_month", "group_id", "month"),
)

field_intervals = Table(
    "field_intervals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lesson_id", Integer, ForeignKey("lessons.lesson_id"), nullable=False),
    Column("field", String(16), nullable=False),
    Column("filled", Boolean, nullable=False),
    *_interval(),
    Index("ix_field_intervals_lesson", "lesson_id", "field", "first_seen_at"),
    # v4: the latest empty intervals: the planner's open entries and unmarked substitutions,
    # found without reading every interval ever recorded. SQLite uses a partial index only
    # for a query that spells its condition alike: as SQLAlchemy writes latest and ~filled.
    Index(
        "ix_field_intervals_open",
        "field",
        "lesson_id",
        sqlite_where=text("latest = 1 AND filled = 0"),
        postgresql_where=text("latest AND NOT filled"),
    ),
    Index(
        "ux_field_intervals_latest",
        "lesson_id",
        "field",
        unique=True,
        sqlite_where=text("latest"),
        postgresql_where=text("latest"),
    ),
)

facts = Table(
    "facts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("fact", String(32), nullable=False),
    *_interval(),
    Index("ix_facts_entity", "kind", "entity", "fact", "first_seen_at"),
    Index(
        "ux_facts_latest",
        "kind",
        "entity",
        "fact",
        unique=True,
        sqlite_where=text("latest"),
        postgresql_where=text("latest"),
    ),
)

departments = Table(
    "departments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("head_id", Integer, nullable=True),
    *_seen(),
)

associations = Table(
    "associations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("department_id", Integer, nullable=False),
    *_seen(),
)

study_groups = Table(
    "study_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("association_id", Integer, nullable=False),
    Column("department_id", Integer, nullable=True),
    Column("teacher_id", Integer, nullable=False),
    Column("year_of_study", Integer, nullable=False),
    *_seen(),
)

staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("full_name", Text, nullable=False),
    Column("position", Text, nullable=False),
    Column("department_id", Integer, nullable=True),
    Column("roles", Text, nullable=False),  # comma-separated, sorted
    Column("has_account", Boolean, nullable=False),
    Column("rights_roles", Text, nullable=False),  # comma-separated, sorted
    Column("journal_group_ids", Text, nullable=False),  # comma-separated, ascending
    *_seen(),
)

students = Table(
    "students",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("full_name", Text, nullable=False),
    Column("group_ids", Text, nullable=False),  # comma-separated, ascending
    Column("has_birth_date", Boolean, nullable=False),
    Column("has_address", Boolean, nullable=False),
    Column("has_phone", Boolean, nullable=False),
    Column("has_email", Boolean, nullable=False),
    Column("parent_count", Integer, nullable=False),
    Column("parents_with_account", Integer, nullable=False),
    *_seen(),
)

schedule_slots = Table(
    "schedule_slots",
    metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("weekday", Integer, primary_key=True, autoincrement=False),
    Column("start_time", Time, primary_key=True),
    Column("end_time", Time, nullable=False),
    *_seen(),
)

setup = Table(
    "setup",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("year_configured", Boolean, nullable=False),
    Column("year_start", Date, nullable=True),
    Column("year_end", Date, nullable=True),
    Column("vacations", Text, nullable=False),  # "start/end" ISO pairs, comma-separated
    Column("notifications_configured", Boolean, nullable=False),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
)


# v3: audits. Each audit run and its findings are kept, so that a report can say what is new
# since the previous one and an archive can replay what was reported.
audit_runs = Table(
    "audit_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("judged_at", UtcDateTime, nullable=False),  # the audit's `now`
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("rules", Text, nullable=False),  # ids of the rules run, comma-separated
    Column("findings", Integer, nullable=False),
    Column("errors", Text, nullable=False),  # "rule-id: error" lines of rules that failed
    # JSON: what was asked (as of, filters, rules asked for) and the rule set's version
    Column("params", Text, nullable=False, server_default=text("'{}'")),
)


def finding_column(spec: FindingField) -> Column[Any]:
    """The store's column for one field of the findings contract."""
    sql_type: Any = {"code": String(64), "text": Text, "moment": UtcDateTime}.get(
        spec.kind, Integer
    )
    return Column(spec.name, sql_type, nullable=spec.kind not in ("code", "text"))


audit_findings = Table(
    "audit_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Integer, ForeignKey("audit_runs.id"), nullable=False),
    # One column per stored field of the findings contract (auditor.contract.findings).
    *(finding_column(f) for f in STORED_FIELDS),
    Index("ix_audit_findings_audit", "audit_id"),
)


# v6: the delivery ledger. One row per mail (kind, period, recipient): written before the
# mail is sent, marked after, so that a restart or a second process never sends a key twice
# and never drops one. The message is kept as sent (the same bytes, the same Message-ID on a
# retry); it holds what the reader may see, like the reports themselves.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("period", String(32), nullable=False),
    Column("recipient", String(255), nullable=False),
    Column("subject", Text, nullable=False),
    Column("message_id", String(255), nullable=False),
    Column("message", LargeBinary, nullable=False),
    Column("state", String(16), nullable=False),  # pending, sending, sent, failed
    Column("late", Boolean, nullable=False),  # due earlier: sent after a downtime
    Column("attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("owner", String(255), nullable=False),  # host:pid of the process sending it
    Column("error", Text, nullable=False),
    Index("ix_deliveries_state", "state"),
)


# v7: the scheduler's records. ``schedule_jobs``: each configured job and the moment from
# which its due runs count (a job added later does not owe runs from before it existed).
# ``job_runs``: one row per due moment of a job, written when the run begins (the unique
# pair is what makes a run happen once), marked when it ends; skipped moments are written
# too, so that none is lost silently. ``scheduler_lease``: the one process that may run
# the jobs.
schedule_jobs = Table(
    "schedule_jobs",
    metadata,
    Column("job_id", String(64), primary_key=True),
    Column("since", UtcDateTime, nullable=False),
    Column("trigger", Text, nullable=False),  # what the schedule is; a change restarts since
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", String(64), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # running, done, failed, skipped
    Column("late", Boolean, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("owner", String(255), nullable=False),
    Column("detail", Text, nullable=False),
    UniqueConstraint("job_id", "due_at", name="uq_job_runs_due"),
    Index("ix_job_runs_started", "started_at"),
)

scheduler_lease = Table(
    "scheduler_lease",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("renewed_at", UtcDateTime, nullable=False),
)
