"""Folding one sync's page reads, in time order, into lessons and the interval book.

See journal.py for what a page read observes. Lessons in ``same`` (unchanged, shown once)
are only placed: journal.py extends their intervals in bulk.
"""

from __future__ import annotations

from datetime import datetime

from auditor.contract.values import ENTRY_FIELDS, FALSE, PRESENT, TRUE, is_filled
from auditor.source.snapshot import JournalPageSeen, LessonSeen
from auditor.store.interface import FirstSeen
from auditor.store.intervals import IntervalBook, Step
from auditor.store.lessons import Lesson, LessonKey, Page
from auditor.store.values import lesson_values


class JournalFold:
    """Feeds page reads through the interval book and counts what changed."""

    def __init__(
        self, run_id: int, lessons: dict[int, Lesson], book: IntervalBook[int], same: set[int]
    ) -> None:
        self.run_id = run_id
        self.lessons = lessons
        self.book = book
        self.same = same
        self.on_page: dict[Page, set[int]] = {}
        for lesson in lessons.values():
            self.on_page.setdefault(lesson.page, set()).add(lesson.lesson_id)
        self.new_lessons = 0
        self.changes = 0
        # The first fill of each entry field in this sync; first seen unless filled before.
        self.filled: list[FirstSeen] = []
        self._filled_now: set[LessonKey] = set()

    def read_page(self, page: JournalPageSeen) -> None:
        at = page.observed_at
        shown = set()
        for seen in page.lessons:
            shown.add(seen.lesson_id)
            self._observe_lesson(seen, at)
        for lesson_id in self.on_page.get((page.group_id, page.month), set()) - shown:
            step = self.book.observe(lesson_id, PRESENT, FALSE, at)
            if step.opened:
                self.changes += 1  # the lesson left its page

    def _observe_lesson(self, seen: LessonSeen, at: datetime) -> None:
        lesson = self._place(seen, at)
        if seen.lesson_id in self.same:
            return  # extended in bulk after write_lessons (lessons.extend_latest)
        values = lesson_values(seen)
        if self.book.extend_if_same(seen.lesson_id, values, at):
            return  # nothing opened: nothing to count
        latest = self.book.latest(seen.lesson_id, PRESENT)
        back = latest is not None and latest.value == FALSE
        for field, value in values.items():
            step = self.book.observe(
                seen.lesson_id, field, value, at, restart=back and field != PRESENT
            )
            self._account(lesson, field, value, step, at)

    def _place(self, seen: LessonSeen, at: datetime) -> Lesson:
        """The lesson's row, created or updated to what the page shows."""
        lesson = self.lessons.get(seen.lesson_id)
        month = seen.date.isoformat()[:7]
        if lesson is None:
            lesson = Lesson(
                seen.lesson_id, seen.group_id, seen.date, seen.start, seen.end, month,
                at, at, self.run_id, self.run_id,
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

    def _account(self, lesson: Lesson, field: str, value: str, step: Step, at: datetime) -> None:
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
        if filled and entry and key not in self._filled_now:
            self._filled_now.add(key)
            self.filled.append(
                FirstSeen(lesson.lesson_id, lesson.group_id, lesson.date, field, value, at)
            )
