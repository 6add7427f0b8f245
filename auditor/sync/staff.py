"""Crawl the staff web app: institution pages and journal months into snapshot values.

Fetching goes through :class:`StaffWebSession`, reading through :mod:`staff_pages`; this
module only decides what to fetch and turns parsed rows into snapshot values. Each journal
observation carries the moment its page arrived.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from auditor.errors import SourceError
from auditor.source import staff_pages as sp
from auditor.source.parse_memo import ParseMemo
from auditor.source.snapshot import (
    GroupSeen,
    InstitutionSeen,
    JournalPageSeen,
    LessonSeen,
    SetupSeen,
    StaffSeen,
    StudentSeen,
)
from auditor.source.staff_web import StaffWebSession
from auditor.sync.plan import MonthKey
from auditor.sync.pool import Counter, run_all

Clock = Callable[[], datetime]
T = TypeVar("T")


class StaffCrawler:
    def __init__(
        self,
        session: StaffWebSession,
        *,
        clock: Clock,
        concurrency: int,
        counter: Counter,
        memo: ParseMemo | None = None,
    ) -> None:
        self._session = session
        self._clock = clock
        self._concurrency = concurrency
        self._counter = counter
        self._memo = memo

    def _parse(
        self, path: str, params: dict[str, str] | None, html: str, parser: Callable[[str], T]
    ) -> T:
        if self._memo is None:
            return parser(html)
        return self._memo.parse(path, params, html, parser)

    def _fetch(self, pages: Sequence[tuple[str, dict[str, str] | None]]) -> list[str]:
        def fetch(path: str, params: dict[str, str] | None) -> Callable[[], str]:
            return lambda: self._session.page(path, params)

        tasks = [fetch(path, params) for path, params in pages]
        return run_all(tasks, concurrency=self._concurrency, counter=self._counter)

    def institution(self, *, people: bool = True) -> InstitutionSeen:
        """Structure, groups, schedule template, year and notifications; with ``people``
        also the staff and pupil pages (the heaviest ones; ``None`` in the result if not)."""
        paths: list[tuple[str, dict[str, str] | None]] = [
            (sp.STRUCTURE_PATH, None),
            (sp.GROUPS_PATH, None),
            (sp.SCHEDULE_PATH, None),
            (sp.YEAR_PATH, None),
            (sp.NOTIFICATIONS_PATH, None),
        ]
        if people:
            paths += [(sp.STAFF_PATH, None), (sp.STUDENTS_PATH, sp.students_params(1))]
        structure, groups, schedule, year, notifications, *people_pages = self._fetch(paths)
        staff_seen: tuple[StaffSeen, ...] | None = None
        all_students: tuple[StudentSeen, ...] | None = None
        if people:
            staff, students = people_pages
            staff_seen = tuple(self._parse(sp.STAFF_PATH, None, staff, sp.parse_staff))
            first = self._parse(
                sp.STUDENTS_PATH, sp.students_params(1), students, sp.parse_students
            )
            all_students = self._all_students(first)
        observed_at = self._clock()  # when the last of these pages arrived
        departments, associations = self._parse(
            sp.STRUCTURE_PATH, None, structure, sp.parse_structure
        )
        year_info = self._parse(sp.YEAR_PATH, None, year, sp.parse_year)
        notified = self._parse(sp.NOTIFICATIONS_PATH, None, notifications, sp.parse_notifications)
        return InstitutionSeen(
            observed_at=observed_at,
            departments=tuple(departments),
            associations=tuple(associations),
            groups=tuple(
                _group(g) for g in self._parse(sp.GROUPS_PATH, None, groups, sp.parse_groups)
            ),
            staff=staff_seen,
            students=all_students,
            schedule=tuple(self._parse(sp.SCHEDULE_PATH, None, schedule, sp.parse_schedule)),
            setup=SetupSeen(
                observed_at=observed_at,
                year_configured=year_info.configured,
                year_start=year_info.start,
                year_end=year_info.end,
                vacations=year_info.vacations,
                notifications_configured=notified.configured,
            ),
        )

    def _all_students(self, first: sp.StudentsPage) -> tuple[StudentSeen, ...]:
        numbers = range(2, first.total_pages + 1)
        htmls = self._fetch([(sp.STUDENTS_PATH, sp.students_params(n)) for n in numbers])
        pages = [first]
        for number, html in zip(numbers, htmls, strict=True):
            params = sp.students_params(number)
            parse = functools.partial(sp.parse_students, page_number=number)
            pages.append(self._parse(sp.STUDENTS_PATH, params, html, parse))
        by_id: dict[int, StudentSeen] = {}
        for page in pages:
            for student in page.students:
                by_id.setdefault(student.id, student)
        if len(by_id) < first.total:
            # Rows missing means the list moved under the crawl: recording it would look
            # as if pupils had left.
            raise SourceError(
                f"the pupil list showed {len(by_id)} of {first.total} pupils across its pages",
                hint="the list changed while it was read; run the sync again",
            )
        return tuple(sorted(by_id.values(), key=lambda s: s.id))

    def journals(self, months: Sequence[MonthKey]) -> tuple[JournalPageSeen, ...]:
        def read(group_id: int, month: str) -> Callable[[], JournalPageSeen]:
            def fetch() -> JournalPageSeen:
                path, params = sp.journal_path(group_id), sp.journal_params(month)
                html = self._session.page(path, params)
                observed_at = self._clock()  # when this page arrived
                parse = functools.partial(sp.parse_journal_page, group_id=group_id, month=month)
                return journal_seen(self._parse(path, params, html, parse), observed_at)

            return fetch

        pages = run_all(
            [read(g, m) for g, m in months], concurrency=self._concurrency, counter=self._counter
        )
        return tuple(pages)


def _group(row: sp.GroupRow) -> GroupSeen:
    return GroupSeen(
        id=row.id,
        name=row.name,
        association_id=row.association_id,
        department_id=row.department_id,
        teacher_id=row.teacher_id,
        year_of_study=row.year_of_study,
    )


def journal_seen(page: sp.JournalPage, observed_at: datetime) -> JournalPageSeen:
    """A parsed journal page as an observation: counts and flags, never pupils' names."""
    return JournalPageSeen(
        group_id=page.group_id,
        month=page.month,
        observed_at=observed_at,
        lessons=tuple(
            LessonSeen(
                lesson_id=row.lesson_id,
                group_id=page.group_id,
                date=row.date,
                start=row.start,
                end=row.end,
                teacher_id=row.teacher_id,
                cancelled=row.cancelled,
                topic=row.topic,
                completed=row.completed,
                attendance_marked=row.attendance_marked,
                absent_count=len(row.absent_student_ids),
                substitution=row.substitution,
                homework_present=bool(row.homework),
            )
            for row in page.rows
        ),
    )
