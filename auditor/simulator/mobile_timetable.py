"""The ``timetable2/`` lessons of the simulated mobile API.

Documented (api-facts §4.2, §4.3, §8): one object per lesson of the pupil's timetable with
``id``, ``date``, ``time_start``/``time_end`` (``HH:MM:SS``), ``subject``, ``division_subject``
(int) and ``division_subject_str``, ``staff`` and ``staff_id`` **per lesson** (§8), ``topic``
(str, absent or null when not filled), ``task`` (a list of Task objects), ``marks`` (Mark
objects, ``mark`` a string), ``lesson_status_cancel`` (int), ``docs_for_lesson`` (list) and
``room`` (seen only in bot usage). No field says *when* anything was entered (§8).

Assumed here:

* the timetable is built from the schedule: every lesson of the pupil's groups in the range
  appears, also before the teacher has entered it; the journal fields (topic, homework,
  attendance, the cancel flag and the real teacher) appear once the entry exists
  (``Lesson.entered_at <= now``) and then show their value as of ``now``;
* before the entry exists, ``staff``/``staff_id`` are the group's assigned teacher (the
  teaching load), because who actually taught is only known once the lesson is entered;
  afterwards they are the teacher who taught, so a substitute shows a different ``staff_id``
  for the same ``division_subject`` (§8 calls this plausible but unverified);
* ``subject`` is the association's name, ``division_subject`` the group id and
  ``division_subject_str`` the group name (supplementary education has no class/subject pair);
* an absence is a Mark ``{question_name: "Посещаемость", question_type: "Посещаемость",
  mark: "Н", question_id: <lesson id>, number: 1}`` (§4.2 and §8(a): whether ЭШ 2.0 shows
  attendance codes in ``marks`` is unknown);
* homework is one Task with ``id`` = the lesson id, ``type`` "group", ``title`` the homework
  text, ``text`` the same text HTML-escaped, and ``deadline`` the date of the group's next
  lesson (a week later if there is none);
* ``room`` comes from the group's schedule slot for that weekday that exists at ``now``
  (preferring the slot starting at the lesson's time), else "".
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from auditor.simulator.dataset import Dataset
from auditor.simulator.world import Lesson, Student

ATTENDANCE = "Посещаемость"
ABSENT_MARK = "Н"


@dataclass(frozen=True, slots=True)
class _Names:
    """Lookups one request needs, built once instead of per lesson."""

    groups: dict[int, tuple[str, int, int]]  # group id -> (name, association id, teacher id)
    associations: dict[int, str]
    staff: dict[int, str]

    @classmethod
    def of(cls, dataset: Dataset) -> _Names:
        return cls(
            groups={g.id: (g.name, g.association_id, g.teacher_id) for g in dataset.groups},
            associations={a.id: a.name for a in dataset.associations},
            staff={s.id: s.full_name for s in dataset.staff},
        )


def timetable_json(
    dataset: Dataset, student: Student, start: date, end: date, now: datetime
) -> list[dict[str, Any]]:
    """The pupil's lessons from ``start`` to ``end`` inclusive, in date and time order."""
    groups = set(student.group_ids)
    lessons = sorted(
        (x for x in dataset.lessons if x.group_id in groups and start <= x.date <= end),
        key=lambda x: (x.date, x.start, x.group_id, x.id),
    )
    names = _Names.of(dataset)
    return [lesson_json(x, student.id, dataset, names, now) for x in lessons]


def lesson_json(
    lesson: Lesson, student_id: int, dataset: Dataset, names: _Names, now: datetime
) -> dict[str, Any]:
    group_name, association_id, assigned_teacher = names.groups[lesson.group_id]
    entered = lesson.visible_at(now)
    teacher_id = lesson.teacher_id if entered else assigned_teacher
    topic = lesson.topic.value_at(now) if entered else None
    homework = lesson.homework.value_at(now) if entered else None
    absent = (lesson.absent_student_ids.value_at(now) or ()) if entered else ()
    body: dict[str, Any] = {
        "id": lesson.id,
        "date": lesson.date.isoformat(),
        "time_start": lesson.start.strftime("%H:%M:%S"),
        "time_end": lesson.end.strftime("%H:%M:%S"),
        "subject": names.associations.get(association_id, ""),
        "division_subject": lesson.group_id,
        "division_subject_str": group_name,
        "staff": names.staff.get(teacher_id, ""),
        "staff_id": teacher_id,
        # None and "" are "not filled"; a blank or placeholder topic is served as is so
        # that the auditor's own rule can judge it.
        "topic": topic or None,
        "marks": [_absence_mark(lesson)] if student_id in absent else [],
        "lesson_status_cancel": 1 if entered and lesson.cancelled else 0,
        "docs_for_lesson": [],
        "room": _room(lesson, dataset, now),
    }
    if homework:
        body["task"] = [_task(lesson, homework, dataset)]
    return body


def _absence_mark(lesson: Lesson) -> dict[str, Any]:
    return {
        "question_name": ATTENDANCE,
        "question_id": lesson.id,
        "number": 1,
        "question_type": ATTENDANCE,
        "mark": ABSENT_MARK,
    }


def _task(lesson: Lesson, homework: str, dataset: Dataset) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": homework,
        "deadline": _next_lesson_date(lesson, dataset).isoformat(),
        "doc": False,
        "requires_solutions": False,
        "test_id": None,
        "type": "group",
        "done": 0,
        "text": html.escape(homework),
    }


def _next_lesson_date(lesson: Lesson, dataset: Dataset) -> date:
    later = [
        x.date for x in dataset.lessons if x.group_id == lesson.group_id and x.date > lesson.date
    ]
    return min(later, default=lesson.date + timedelta(days=7))


def _room(lesson: Lesson, dataset: Dataset, now: datetime) -> str:
    slots = [
        s
        for s in dataset.schedule
        if s.group_id == lesson.group_id
        and s.weekday == lesson.date.weekday()
        and s.created_at <= now
    ]
    exact = [s for s in slots if s.start == lesson.start]
    chosen = exact or slots
    return chosen[0].room if chosen else ""
