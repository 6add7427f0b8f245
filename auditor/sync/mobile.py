"""Crawl the mobile API: journal observations from what pupil and parent accounts can see.

Each configured account logs in (``user/``) and lists its children; each child's
``timetable2/`` is read one whole month at a time, so that what it shows of a group's month
is all of that month (a partial month would look like lessons had vanished). The API shows
no completion mark, no substitution mark and only the reading child's own absence: those
fields are ``None`` (not seen), never "empty".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from auditor.domain import month_bounds
from auditor.errors import SiteChangedError
from auditor.source.mobile_api import MobileApiClient, MobileChild, MobileLesson
from auditor.source.snapshot import JournalPageSeen, LessonSeen
from auditor.sync.pool import Counter, run_all

Clock = Callable[[], datetime]


def crawl_mobile(
    clients: Sequence[MobileApiClient],
    months: Sequence[str],
    *,
    until: date,
    clock: Clock,
    concurrency: int,
    counter: Counter,
) -> tuple[tuple[JournalPageSeen, ...], int]:
    """The observations of lessons held by ``until``, and how many API answers they took.

    The timetable also lists lessons not held yet (and not entered yet, unlike the staff
    journal): they are left out, since nothing about them can be due.
    """
    accounts = run_all([client.user for client in clients], concurrency=1, counter=counter)
    readers: dict[int, tuple[MobileApiClient, MobileChild]] = {}
    for client, children in zip(clients, accounts, strict=True):
        for child in children:
            readers.setdefault(child.id, (client, child))  # two parents: read the child once

    def read(client: MobileApiClient, child: MobileChild, month: str) -> Callable[[], _Read]:
        def fetch() -> _Read:
            first, last = month_bounds(month)
            lessons = client.timetable(child.id, first, last)
            return month, clock(), lessons

        return fetch

    tasks = [read(client, child, m) for client, child in readers.values() for m in months]
    reads = run_all(tasks, concurrency=concurrency, counter=counter)
    return _pages(reads, until), len(accounts) + len(reads)


_Read = tuple[str, datetime, list[MobileLesson]]


def _pages(reads: Sequence[_Read], until: date) -> tuple[JournalPageSeen, ...]:
    """Group the children's lessons by (group, month); the first child to show one wins."""
    found: dict[tuple[int, str], tuple[datetime, dict[int, LessonSeen]]] = {}
    for month, observed_at, lessons in reads:
        by_group: dict[int, dict[int, LessonSeen]] = {}
        for lesson in lessons:
            if f"{lesson.date:%Y-%m}" == month and lesson.date <= until:
                seen = lesson_seen(lesson)
                by_group.setdefault(seen.group_id, {})[seen.lesson_id] = seen
        for group_id, group_lessons in by_group.items():
            found.setdefault((group_id, month), (observed_at, group_lessons))
    return tuple(
        JournalPageSeen(
            group_id=group_id,
            month=month,
            observed_at=observed_at,
            lessons=tuple(sorted(lessons.values(), key=lambda x: (x.date, x.start, x.lesson_id))),
        )
        for (group_id, month), (observed_at, lessons) in sorted(found.items())
    )


def lesson_seen(lesson: MobileLesson) -> LessonSeen:
    if lesson.group_id is None or lesson.staff_id is None:
        missing = "division_subject" if lesson.group_id is None else "staff_id"
        raise SiteChangedError(
            f"mobile API timetable2/: lesson {lesson.id} has no {missing}",
            hint="the API may have changed; run `auditor capture` and report it",
        )
    return LessonSeen(
        lesson_id=lesson.id,
        group_id=lesson.group_id,
        date=lesson.date,
        start=lesson.start,
        end=lesson.end,
        teacher_id=lesson.staff_id,
        cancelled=lesson.cancelled,
        topic=lesson.topic or "",
        completed=None,
        attendance_marked=None,
        absent_count=None,
        substitution=None,
        homework_present=lesson.has_homework,
    )
