"""Recording the journal pages of one sync: page reads, lessons, and their field intervals.

For each page read (group, month, t), in time order:

* every lesson on the page is observed at t: its identity is updated, ``present`` is
  observed ``"true"`` and each field the source can see is observed (see values.py);
* every lesson the store places on that page but the page did not show is observed
  ``present = "false"`` at t: it is known absent then (deleted, or moved away);
* a lesson coming back after being absent opens new intervals for all its fields, so that
  an interval never spans a moment the lesson was not on its page.

Lessons never seen before are not marked absent by anything: the rule engine takes
"absent before first seen" from ``page_reads`` (docs/store.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from auditor.contract.values import ENTRY_FIELDS, FALSE, PRESENT, TRUE, is_filled
from auditor.source.snapshot import JournalPageSeen, LessonSeen
from auditor.store import schema
from auditor.store.interface import FirstSeen
from auditor.store.intervals import (
    Interval,
    IntervalBook,
    Step,
    chunks,
    interval_columns,
    interval_from_row,
    unique,
)
from auditor.store.values import lesson_values

LessonKey = tuple[int, str]  # (lesson_id, field)
Page = tuple[int, str]  # (group_id, month)


@dataclass(frozen=True, slots=True)
class JournalOutcome:
    new_lessons: int
    changes: int
    first_seen: tuple[FirstSeen, ...]


@dataclass(slots=True)
class _Lesson:
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
    stored: bool

    @property
    def page(self) -> Page:
        return (self.group_id, self.month)

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _LESSON_COLUMNS}


_LESSON_COLUMNS = (
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
)
_UPDATED = ("group_id", "date", "start_time", "end_time", "month", "last_seen_at", "last_run_id")


def record_journals(
    conn: Connection, run_id: int, pages: Sequence[JournalPageSeen]
) -> JournalOutcome:
    if not pages:
        return JournalOutcome(0, 0, ())
    ordered = sorted(pages, key=lambda p: p.observed_at)  # stable: ties keep the given order
    conn.execute(
        insert(schema.page_reads),
        [
            {
                "run_id": run_id,
                "group_id": p.group_id,
                "month": p.month,
                "observed_at": p.observed_at,
                "lesson_count": len(p.lessons),
            }
            for p in ordered
        ],
    )
    seen_ids = unique(lesson.lesson_id for p in ordered for lesson in p.lessons)
    lessons = _load_lessons(conn, seen_ids, {(p.group_id, p.month) for p in ordered})
    book = IntervalBook(run_id, _load_latest(conn, list(lessons)), "lesson field")
    recorder = _Recorder(run_id, lessons, book, _load_ever_filled(conn, seen_ids))
    for page in ordered:
        recorder.read_page(page)
    _write_lessons(conn, run_id, list(recorder.lessons.values()))
    book.flush(conn, schema.field_intervals, _interval_key_columns)
    return JournalOutcome(recorder.new_lessons, recorder.changes, tuple(recorder.first_seen))


class _Recorder:
    """Feeds page reads through the interval book and counts what changed."""

    def __init__(
        self,
        run_id: int,
        lessons: dict[int, _Lesson],
        book: IntervalBook[LessonKey],
        ever_filled: set[LessonKey],
    ) -> None:
        self.run_id = run_id
        self.lessons = lessons
        self.book = book
        self.ever_filled = ever_filled
        self.on_page: dict[Page, set[int]] = {}
        for lesson in lessons.values():
            self.on_page.setdefault(lesson.page, set()).add(lesson.lesson_id)
        self.new_lessons = 0
        self.changes = 0
        self.first_seen: list[FirstSeen] = []

    def read_page(self, page: JournalPageSeen) -> None:
        at = page.observed_at
        shown = set()
        for seen in page.lessons:
            shown.add(seen.lesson_id)
            self._observe_lesson(seen, at)
        for lesson_id in self.on_page.get((page.group_id, page.month), set()) - shown:
            step = self.book.observe((lesson_id, PRESENT), FALSE, at)
            if step.opened:
                self.changes += 1  # the lesson left its page

    def _observe_lesson(self, seen: LessonSeen, at: datetime) -> None:
        lesson = self._place(seen, at)
        latest = self.book.latest((seen.lesson_id, PRESENT))
        back = latest is not None and latest.value == FALSE
        for field, value in lesson_values(seen).items():
            step = self.book.observe(
                (seen.lesson_id, field), value, at, restart=back and field != PRESENT
            )
            self._account(lesson, field, value, step, at)

    def _place(self, seen: LessonSeen, at: datetime) -> _Lesson:
        """The lesson's row, created or updated to what the page shows."""
        lesson = self.lessons.get(seen.lesson_id)
        month = seen.date.strftime("%Y-%m")
        if lesson is None:
            lesson = _Lesson(
                seen.lesson_id, seen.group_id, seen.date, seen.start, seen.end, month,
                at, at, self.run_id, self.run_id, stored=False,
            )  # fmt: skip
            self.lessons[seen.lesson_id] = lesson
            self.new_lessons += 1
        else:
            self.on_page.get(lesson.page, set()).discard(lesson.lesson_id)
            lesson.group_id, lesson.date, lesson.month = seen.group_id, seen.date, month
            lesson.start_time, lesson.end_time = seen.start, seen.end
            lesson.last_seen_at, lesson.last_run_id = at, self.run_id
        self.on_page.setdefault(lesson.page, set()).add(lesson.lesson_id)
        return lesson

    def _account(self, lesson: _Lesson, field: str, value: str, step: Step, at: datetime) -> None:
        if not step.opened:
            return
        if field == PRESENT:
            if step.previous == FALSE and value == TRUE:
                self.changes += 1  # back on its page
            return
        filled = is_filled(field, value)
        entry = field in ENTRY_FIELDS
        if step.previous is None:
            # A key's first value: a change only when it is an entry already made.
            self.changes += int(filled and entry)
        elif step.previous != value:
            self.changes += 1
        key = (lesson.lesson_id, field)
        if filled and entry and key not in self.ever_filled:
            self.ever_filled.add(key)
            self.first_seen.append(
                FirstSeen(lesson.lesson_id, lesson.group_id, lesson.date, field, value, at)
            )


def _interval_key_columns(key: LessonKey, interval: Interval) -> dict[str, Any]:
    lesson_id, field = key
    return {"lesson_id": lesson_id, "field": field, "filled": is_filled(field, interval.value)}


def _load_lessons(conn: Connection, ids: Sequence[int], pages: set[Page]) -> dict[int, _Lesson]:
    """The stored lessons that are on the pages read, or that the pages show."""
    table = schema.lessons
    columns = [table.c[name] for name in _LESSON_COLUMNS]
    found: dict[int, _Lesson] = {}

    def keep(rows: Any) -> None:
        for row in rows:
            found[row.lesson_id] = _Lesson(**row._mapping, stored=True)

    months = sorted({month for _, month in pages})
    for chunk in chunks(sorted({group for group, _ in pages})):
        rows = conn.execute(
            select(*columns).where(table.c.group_id.in_(chunk), table.c.month.in_(months))
        )
        keep(row for row in rows if (row.group_id, row.month) in pages)
    # Lessons shown on a page other than the one the store has them on (moved).
    elsewhere = [lesson_id for lesson_id in ids if lesson_id not in found]
    for chunk in chunks(elsewhere):
        keep(conn.execute(select(*columns).where(table.c.lesson_id.in_(chunk))))
    return found


def _load_latest(conn: Connection, ids: Sequence[int]) -> dict[LessonKey, Interval]:
    table = schema.field_intervals
    latest: dict[LessonKey, Interval] = {}
    for chunk in chunks(ids):
        rows = conn.execute(
            select(table.c.lesson_id, table.c.field, *interval_columns(table)).where(
                table.c.latest, table.c.lesson_id.in_(chunk)
            )
        )
        for row in rows:
            latest[(row.lesson_id, row.field)] = interval_from_row(row)
    return latest


def _load_ever_filled(conn: Connection, ids: Sequence[int]) -> set[LessonKey]:
    """(lesson, entry field) pairs some earlier observation saw filled."""
    table = schema.field_intervals
    found: set[LessonKey] = set()
    for chunk in chunks(ids):
        rows = conn.execute(
            select(table.c.lesson_id, table.c.field)
            .where(
                table.c.filled,
                table.c.lesson_id.in_(chunk),
                table.c.field.in_(sorted(ENTRY_FIELDS)),
            )
            .distinct()
        )
        found.update((row.lesson_id, row.field) for row in rows)
    return found


def _write_lessons(conn: Connection, run_id: int, lessons: list[_Lesson]) -> None:
    table = schema.lessons
    new = [lesson.row() for lesson in lessons if not lesson.stored]
    changed = [lesson for lesson in lessons if lesson.stored and lesson.last_run_id == run_id]
    if new:
        conn.execute(insert(table), new)
    if changed:
        stmt = (
            update(table)
            .where(table.c.lesson_id == bindparam("b_lesson_id", type_=table.c.lesson_id.type))
            .values({name: bindparam(f"b_{name}", type_=table.c[name].type) for name in _UPDATED})
        )
        conn.execute(
            stmt,
            [
                {"b_lesson_id": lesson.lesson_id}
                | {f"b_{name}": getattr(lesson, name) for name in _UPDATED}
                for lesson in changed
            ],
        )
