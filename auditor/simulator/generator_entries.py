"""How each teacher fills in a lesson's journal entry, and the violations that plants.

The teacher who *enters* a lesson is the one who taught it (the substitute, for a
substitution); their profile decides the moments:

* ``punctual``: everything at one moment on the lesson day, 5-40 minutes after the lesson
  or (one time in five) in the evening, 20:30-23:20;
* ``late``: like punctual, but 40 % of lessons get their topic 1-3 days late: half of those
  are entered on the day with attendance only, the other half entered whole days later;
* ``forgets_attendance``: attendance 1-5 days late for a quarter of lessons, never for 8 %;
* ``substitutes_without_marking``: never sets the substitution mark;
* ``marks_substitutions_late``: sets the substitution mark 1-4 days after the entry.

Everyone else who substitutes sets the mark at the moment of the entry. Quirks add topic
problems: placeholders ("-", "тема") on 15 % of a teacher's lessons (a third replaced by a
real topic 2-6 days later), one month of one group under a single copied topic, one group
whose completion (прохождение) is never marked. A teacher without an account has their
lessons entered by the department head in the evening; a teacher whose account comes late
backfills the earlier lessons right after getting it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from auditor.simulator.answer_key import Kind, Profile, Quirk, Violation
from auditor.simulator.generator_base import GenContext
from auditor.simulator.generator_structure import Behaviour, teacher_with
from auditor.simulator.generator_topics import HOMEWORK, PLACEHOLDERS, topic_sequence
from auditor.simulator.world import Change, Group, History, Lesson

PLACEHOLDER_SHARE = 0.15
LATE_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Times:
    """When each part of an entry appears (None: never)."""

    entered: datetime
    topic: datetime | None
    completion: datetime | None
    attendance: datetime | None
    mark: datetime | None  # the substitution mark; substitutions only


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A lesson the timetable calls for: a group meeting on a day."""

    group: Group
    day: date
    start: time
    end: time


@dataclass
class EntryWriter:
    ctx: GenContext
    beh: Behaviour
    domains: dict[int, str]
    account_late_at: datetime
    _topics: dict[int, Iterator[str]] = field(default_factory=dict)
    _copy_text: str | None = None
    _copies: list[Lesson] = field(default_factory=list)
    _backfill_at: datetime | None = None

    def quirk(self, teacher: int, quirk: Quirk) -> bool:
        return quirk in self.beh.quirks.get(teacher, ())

    def is_backfilled(self, occ: Occurrence, teacher: int) -> bool:
        return self.quirk(teacher, Quirk.ACCOUNT_LATE) and occ.day < self.account_late_at.date()

    # -- moments -----------------------------------------------------------------------
    def _on_day(self, occ: Occurrence) -> datetime:
        if self.ctx.chance(0.2):
            return self.ctx.moment_on(occ.day, time(20, 30), time(23, 20))
        ended = datetime.combine(occ.day, occ.end, tzinfo=self.ctx.tz)
        return ended + timedelta(minutes=self.ctx.rng.randint(5, 40))

    def _days_later(self, occ: Occurrence, low: int, high: int) -> datetime:
        return self.ctx.moment_on(occ.day + timedelta(days=self.ctx.rng.randint(low, high)))

    def _backfill(self) -> datetime:
        base = self._backfill_at or self.account_late_at
        self._backfill_at = base + timedelta(minutes=self.ctx.rng.randint(4, 15))
        return self._backfill_at

    def times(self, occ: Occurrence, teacher: int, substitution: bool) -> Times:
        own = not substitution
        if own and self.quirk(teacher, Quirk.NO_ACCOUNT):  # the head enters it, same evening
            t = self.ctx.moment_on(occ.day, time(20, 30), time(23, 20))
            return Times(t, t, t, t, None)
        if own and self.is_backfilled(occ, teacher):
            t = self._backfill()
            return Times(t, t, t, t, None)
        profile = self.beh.profiles[teacher]
        t = self._on_day(occ)
        topic = t
        attendance: datetime | None = t
        mark: datetime | None = t
        if profile is Profile.LATE and self.ctx.chance(LATE_SHARE):
            topic = self._days_later(occ, 1, 3)
            if self.ctx.chance(0.5):  # the whole entry is made late
                t = attendance = mark = topic
        elif profile is Profile.FORGETS_ATTENDANCE:
            r = self.ctx.rng.random()
            if r < 0.25:
                attendance = self._days_later(occ, 1, 5)
            elif r < 0.33:
                attendance = None
        if profile is Profile.SUBSTITUTES_WITHOUT_MARKING:
            mark = None
        elif profile is Profile.MARKS_SUBSTITUTIONS_LATE:
            mark = self._days_later(occ, 1, 4)
        return Times(t, topic, topic, attendance, mark if substitution else None)

    # -- the entry ---------------------------------------------------------------------
    def write(
        self, lesson_id: int, occ: Occurrence, teacher: int, absent: tuple[int, ...]
    ) -> Lesson:
        substitution = teacher != occ.group.teacher_id
        tm = self.times(occ, teacher, substitution)
        topic, proper_at, fix_at = self._topic(occ, teacher, tm.topic)
        no_completion = (
            self.quirk(teacher, Quirk.NO_COMPLETION)
            and occ.group.id == self.beh.no_completion_group
        )
        completion_at = None if no_completion else tm.completion
        homework = self.ctx.rng.choice(HOMEWORK) if self.ctx.chance(0.1) else None
        lesson = Lesson(
            id=lesson_id,
            group_id=occ.group.id,
            date=occ.day,
            start=occ.start,
            end=occ.end,
            teacher_id=teacher,
            cancelled=False,
            entered_at=tm.entered,
            topic=topic,
            completion=History.single(completion_at, not self.ctx.chance(0.03)),
            absent_student_ids=History.single(tm.attendance, absent),
            substitution=History.single(tm.mark, True),
            homework=History.single(tm.entered if homework else None, homework),
        )
        self._plant(lesson, tm, proper_at, fix_at, substitution)
        return lesson

    def _topic(
        self, occ: Occurrence, teacher: int, at: datetime | None
    ) -> tuple[History[str], datetime | None, datetime | None]:
        """The topic history, when a real topic first shows, and when a placeholder was fixed."""
        if at is None:
            return History(), None, None
        sequence = self._topics.setdefault(occ.group.id, topic_sequence(self.domains[occ.group.id]))
        if self.quirk(teacher, Quirk.PLACEHOLDER_TOPICS) and self.ctx.chance(PLACEHOLDER_SHARE):
            placeholder = self.ctx.rng.choice(PLACEHOLDERS)
            if self.ctx.chance(2 / 3):
                return History.single(at, placeholder), None, None
            fixed = self._days_later(occ, 2, 6)
            changes = (Change(at, placeholder), Change(fixed, next(sequence)))
            return History(changes), fixed, fixed
        if self._is_copy(occ, teacher):
            self._copy_text = self._copy_text or next(sequence)
            return History.single(at, self._copy_text), at, None
        return History.single(at, next(sequence)), at, None

    def _is_copy(self, occ: Occurrence, teacher: int) -> bool:
        return (
            occ.group.id == self.beh.copy_group
            and occ.day.month == self.beh.copy_month
            and teacher in teacher_with(self.beh, Quirk.COPIED_TOPICS)
        )

    def _violation(
        self, rule: str, kind: Kind, lesson: Lesson, due: datetime, done: datetime | None
    ) -> None:
        late = None if done is None else self.ctx.days_after(done, lesson.date)
        self.ctx.plant(
            Violation(
                rule,
                kind,
                due,
                done_at=done,
                days_late=late,
                lesson_id=lesson.id,
                group_id=lesson.group_id,
                teacher_id=lesson.teacher_id,
                lesson_date=lesson.date,
            )
        )

    def _plant(
        self,
        lesson: Lesson,
        tm: Times,
        proper_at: datetime | None,
        fix_at: datetime | None,
        substitution: bool,
    ) -> None:
        """Record what this entry breaks: the same-day rules, substitution and quality."""
        due = self.ctx.deadline(lesson.date)
        if tm.entered >= due:
            self._violation("scheduled-lesson-entered", Kind.LATE, lesson, due, tm.entered)
        for rule, at in (
            ("lesson-topic-same-day", proper_at),
            ("lesson-attendance-same-day", tm.attendance),
        ):
            if at is None or at >= due:
                self._violation(rule, Kind.MISSING if at is None else Kind.LATE, lesson, due, at)
        mark_due = min(tm.entered, due)
        if substitution and tm.mark is None:
            self._violation("substitution-marked", Kind.UNMARKED, lesson, mark_due, None)
        elif substitution and tm.mark is not None and tm.mark > mark_due:
            self._violation("substitution-marked", Kind.MARKED_LATE, lesson, mark_due, tm.mark)
        first = lesson.topic.changes[0].at if lesson.topic.changes else None
        placeholder_first = first is not None and first != proper_at and first < due
        if placeholder_first and (fix_at is None or fix_at >= due):
            self._violation("topic-quality", Kind.PLACEHOLDER, lesson, due, fix_at)
        if lesson.completion.first_set_at() is None:
            self._violation("topic-quality", Kind.COMPLETION_MISSING, lesson, due, None)
        if lesson.group_id == self.beh.copy_group and lesson.topic.final == self._copy_text:
            self._copies.append(lesson)

    def plant_copies(self) -> None:
        """Every lesson carrying the copied text; due once a second copy was due."""
        ordered = sorted(self._copies, key=lambda lesson: (lesson.date, lesson.start))
        if len(ordered) < 2:
            return
        second_due = self.ctx.deadline(ordered[1].date)
        for lesson in ordered:
            due = max(second_due, self.ctx.deadline(lesson.date))
            self._violation("topic-quality", Kind.COPIED, lesson, due, None)
