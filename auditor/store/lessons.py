"""The journal's reads and writes: ``lessons`` rows and the latest lesson field intervals.

Everything here is bulk: a few chunked ``IN`` queries to load, one ``executemany`` per kind
of write. :mod:`.journal` decides what to write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, insert, select, update

from auditor.contract.values import ENTRY_FIELDS
from auditor.store import schema
from auditor.store.intervals import Interval, IntervalBook, chunks

LessonKey = tuple[int, str]  # (lesson_id, field)
Page = tuple[int, str]  # (group_id, month)

_IDENTITY = ("group_id", "date", "start_time", "end_time", "month")


@dataclass(slots=True)
class Lesson:
    """A row of ``lessons`` being brought up to date."""

    lesson_id: int
    group_id: int
    date: date
    start_time: time
    end_time: time
    month: str
    first_seen_at: datetime
    last_seen_at: datetime
    first_run_id: int
    last_run_id: int
    latest_digest: str = ""  # of its latest field values; "" = not known
    stored: tuple[Any, ...] | None = None  # the row as loaded; None: a new lesson

    @property
    def page(self) -> Page:
        return (self.group_id, self.month)

    def changed(self) -> tuple[Any, ...]:
        """What an update of a stored lesson writes if it changed (its end moves anyway)."""
        return (self.group_id, self.date, self.start_time, self.end_time, self.month,
                self.latest_digest)  # fmt: skip


_COLUMNS = (
    "lesson_id",
    "group_id",
    "date",
    "start_time",
    "end_time",
    "month",
    "first_seen_at",
    "last_seen_at",
    "first_run_id",
    "last_run_id",
    "latest_digest",
)
_UPDATED = (*_IDENTITY, "latest_digest")  # as Lesson.changed


def load_lessons(conn: Connection, ids: Sequence[int], pages: set[Page]) -> dict[int, Lesson]:
    """The stored lessons that are on the pages read, or that the pages show."""
    table = schema.lessons
    columns = [table.c[name] for name in _COLUMNS]
    found: dict[int, Lesson] = {}

    def keep(rows: Iterable[Any]) -> None:
        for row in rows:
            lesson = Lesson(*row)
            lesson.stored = lesson.changed()
            found[lesson.lesson_id] = lesson

    months = sorted({month for _, month in pages})
    for chunk in chunks(sorted({group for group, _ in pages})):
        rows = conn.execute(
            select(*columns).where(table.c.group_id.in_(chunk), table.c.month.in_(months))
        ).all()
        keep(row for row in rows if (row.group_id, row.month) in pages)
    # Lessons shown on a page other than the one the store has them on (moved).
    elsewhere = [lesson_id for lesson_id in ids if lesson_id not in found]
    for chunk in chunks(elsewhere):
        keep(conn.execute(select(*columns).where(table.c.lesson_id.in_(chunk))).all())
    return found


def load_latest(conn: Connection, book: IntervalBook[int], ids: Sequence[int]) -> None:
    """Every latest field interval of the lessons ``ids`` into ``book``."""
    table = schema.field_intervals
    columns = (table.c.lesson_id, table.c.field, table.c.value, table.c.last_seen_at)
    for chunk in chunks(ids):
        rows = conn.execute(
            select(*columns, table.c.last_run_id, table.c.id).where(
                table.c.latest, table.c.lesson_id.in_(chunk)
            )
        ).all()
        for lesson_id, field, *interval in rows:
            book.load(lesson_id, field, Interval(*interval))


def ever_filled(conn: Connection, keys: Iterable[LessonKey]) -> set[LessonKey]:
    """Which of these (lesson, entry field) pairs some stored interval shows filled."""
    table = schema.field_intervals
    wanted = set(keys)
    found: set[LessonKey] = set()
    for chunk in chunks(sorted({lesson_id for lesson_id, _ in wanted})):
        rows = conn.execute(
            select(table.c.lesson_id, table.c.field)
            .where(
                table.c.filled,
                table.c.lesson_id.in_(chunk),
                table.c.field.in_(sorted(ENTRY_FIELDS)),
            )
            .distinct()
        )
        found.update(
            key for key in ((lesson_id, field) for lesson_id, field in rows) if key in wanted
        )
    return found


def write_lessons(conn: Connection, run_id: int, lessons: Iterable[Lesson]) -> None:
    """New lessons inserted; stored ones updated with what changed (at least their end)."""
    table = schema.lessons
    new: list[dict[str, Any]] = []
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for lesson in lessons:
        if lesson.stored is None:
            new.append({name: getattr(lesson, name) for name in _COLUMNS})
            continue
        now = lesson.changed()
        names = tuple(n for n, a, b in zip(_UPDATED, now, lesson.stored, strict=True) if a != b)
        if lesson.last_run_id == run_id:  # observed on its page by this sync
            names += ("last_seen_at", "last_run_id")
        if names:
            row = {f"b_{name}": getattr(lesson, name) for name in names}
            by_columns.setdefault(names, []).append(row | {"b_id": lesson.lesson_id})
    if new:
        conn.execute(insert(table), new)
    key = table.c.lesson_id == bindparam("b_id", type_=Integer())
    for names, rows in by_columns.items():
        values = {name: bindparam(f"b_{name}", type_=table.c[name].type) for name in names}
        conn.execute(update(table).where(key).values(values), rows)


def extend_latest(conn: Connection, run_id: int, ids: Sequence[int]) -> None:
    """Extend all latest intervals of these lessons to their ``last_seen_at`` as written.

    For lessons observed once in this sync, unchanged: after :func:`write_lessons` their
    end is that observation. One statement per chunk instead of one parameter set each.
    """
    intervals, lessons = schema.field_intervals, schema.lessons
    end = select(lessons.c.last_seen_at).where(lessons.c.lesson_id == intervals.c.lesson_id)
    values = {"last_seen_at": end.scalar_subquery(), "last_run_id": run_id}
    for chunk in chunks(ids):
        stmt = update(intervals).where(intervals.c.latest, intervals.c.lesson_id.in_(chunk))
        conn.execute(stmt.values(values))
