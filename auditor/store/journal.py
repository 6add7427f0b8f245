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

Cost: most lessons of a daily sync show what they showed before. ``lessons.latest_digest``
holds a digest of a lesson's latest field values, so such a lesson is told by comparing
digests, and all its latest intervals are extended in one statement, unloaded. Only
the other lessons (new, changed, moved, absent, shown twice) have their latest intervals
loaded and go through the interval book field by field; their digests are then rewritten.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert

from auditor.contract.values import is_filled
from auditor.source.snapshot import JournalPageSeen
from auditor.store import schema
from auditor.store.interface import FirstSeen
from auditor.store.interval_writes import write_changes
from auditor.store.intervals import Interval, IntervalBook, unique
from auditor.store.journal_fold import JournalFold
from auditor.store.lessons import (
    Lesson,
    ever_filled,
    extend_latest,
    load_latest,
    load_lessons,
    write_lessons,
)
from auditor.store.values import digest, lesson_values


@dataclass(frozen=True, slots=True)
class JournalOutcome:
    new_lessons: int
    changes: int
    first_seen: tuple[FirstSeen, ...]


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
    lessons = load_lessons(conn, seen_ids, {(p.group_id, p.month) for p in ordered})
    same = _unchanged(ordered, lessons)
    book: IntervalBook[int] = IntervalBook(run_id, "lesson field")
    load_latest(conn, book, [lesson_id for lesson_id in lessons if lesson_id not in same])
    fold = JournalFold(run_id, lessons, book, same)
    for page in ordered:
        fold.read_page(page)
    # Before the writes: "filled before" means before this sync.
    known = ever_filled(conn, [(f.lesson_id, f.field) for f in fold.filled])
    first_seen = tuple(f for f in fold.filled if (f.lesson_id, f.field) not in known)
    for lesson_id, values in book.latest_values():
        fold.lessons[lesson_id].latest_digest = digest(values)
    write_lessons(conn, run_id, fold.lessons.values())
    extend_latest(conn, run_id, sorted(same))
    write_changes(
        conn,
        schema.field_intervals,
        book.changes(),
        run_id=run_id,
        name_column="field",
        owner_columns=lambda lesson_id: {"lesson_id": lesson_id},
        key_columns=_key_columns,
    )
    return JournalOutcome(fold.new_lessons, fold.changes, first_seen)


def _unchanged(ordered: Sequence[JournalPageSeen], lessons: dict[int, Lesson]) -> set[int]:
    """Stored lessons that this sync shows once, on their own page (read once), with the
    values of their latest intervals, no earlier than those were last seen.

    Nothing else observes them in this sync, so observing them is extending all their
    latest intervals. A lesson's latest ``present`` (here "true") ends at its
    ``last_seen_at`` and no interval of it ends later, hence the one time check.
    """
    shown = Counter(seen.lesson_id for page in ordered for seen in page.lessons)
    reads = Counter((page.group_id, page.month) for page in ordered)
    same = set()
    for page in ordered:
        where = (page.group_id, page.month)
        for seen in page.lessons if reads[where] == 1 else ():
            lesson = lessons.get(seen.lesson_id)
            if (
                lesson is not None
                and lesson.latest_digest
                and shown[seen.lesson_id] == 1
                and lesson.page == where == (seen.group_id, seen.date.isoformat()[:7])
                and page.observed_at >= lesson.last_seen_at
                and digest(lesson_values(seen)) == lesson.latest_digest
            ):
                same.add(seen.lesson_id)
    return same


def _key_columns(lesson_id: Any, field: str, interval: Interval) -> dict[str, Any]:
    return {"lesson_id": lesson_id, "field": field, "filled": is_filled(field, interval.value)}
