"""Small builders of sync snapshots for the store tests (times are Kemerovo local)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from auditor.source.snapshot import (
    AssociationSeen,
    DepartmentSeen,
    GroupSeen,
    InstitutionSeen,
    JournalPageSeen,
    LessonSeen,
    ScheduleSlotSeen,
    SetupSeen,
    StaffSeen,
    StudentSeen,
    SyncSnapshot,
    TransferFigures,
)

TZ = ZoneInfo("Asia/Novokuznetsk")
DAY = date(2025, 9, 10)  # a Wednesday
SOURCE = "https://ruobr.example"


def at(day: date | str, hhmm: str) -> datetime:
    """A local moment: ``at("2025-09-10", "23:30")``."""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime.combine(d, time.fromisoformat(hhmm), tzinfo=TZ)


def lesson(
    lesson_id: int,
    *,
    group_id: int = 1,
    day: date = DAY,
    start: str = "15:00",
    end: str = "15:45",
    teacher_id: int = 100,
    cancelled: bool = False,
    topic: str = "",
    completed: bool | None = False,
    attendance_marked: bool | None = False,
    absent_count: int | None = None,
    substitution: bool | None = False,
    homework_present: bool | None = False,
) -> LessonSeen:
    return LessonSeen(
        lesson_id=lesson_id,
        group_id=group_id,
        date=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        teacher_id=teacher_id,
        cancelled=cancelled,
        topic=topic,
        completed=completed,
        attendance_marked=attendance_marked,
        absent_count=absent_count,
        substitution=substitution,
        homework_present=homework_present,
    )


def filled(lesson_id: int, **kw: Any) -> LessonSeen:
    """A lesson with its entry made: topic, completion, attendance."""
    values: dict[str, Any] = {
        "topic": f"Тема {lesson_id}",
        "completed": True,
        "attendance_marked": True,
        "absent_count": 0,
    }
    return lesson(lesson_id, **(values | kw))


def page(
    observed_at: datetime, *lessons: LessonSeen, group_id: int = 1, month: str = "2025-09"
) -> JournalPageSeen:
    return JournalPageSeen(group_id, month, observed_at, tuple(lessons))


def own_page(observed_at: datetime, seen: LessonSeen) -> JournalPageSeen:
    """The page of ``seen``'s group and month, showing only it."""
    return page(observed_at, seen, group_id=seen.group_id, month=seen.date.strftime("%Y-%m"))


def snapshot(
    *pages: JournalPageSeen,
    institution: InstitutionSeen | None = None,
    kind: str = "daily",
    started_at: datetime | None = None,
) -> SyncSnapshot:
    moments = [p.observed_at for p in pages]
    if institution is not None:
        moments.append(institution.observed_at)
    first = started_at or (min(moments) - timedelta(minutes=1) if moments else at(DAY, "12:00"))
    last = max(moments, default=first) + timedelta(minutes=1)
    return SyncSnapshot(
        started_at=first,
        finished_at=last,
        kind=kind,
        source=SOURCE,
        institution=institution or InstitutionSeen(observed_at=first),
        journals=tuple(pages),
        transfer=TransferFigures(
            pages=len(pages), requests=len(pages) + 2, bytes=1000 * len(pages)
        ),
    )


def institution(observed_at: datetime, **overrides: Any) -> InstitutionSeen:
    """A small institution: 1 department, 1 association, 2 groups, 3 staff, 2 students."""
    parts: dict[str, Any] = {
        "departments": (DepartmentSeen(1, "Отдел техники", "отдел", head_id=200),),
        "associations": (AssociationSeen(10, "Робототехника", department_id=1),),
        "groups": (
            GroupSeen(1, "Робо-1", association_id=10, department_id=1, teacher_id=100,
                      year_of_study=1),
            GroupSeen(2, "Робо-2", association_id=10, department_id=1, teacher_id=101,
                      year_of_study=2),
        ),
        "staff": (
            StaffSeen(100, "Иванова Анна Петровна", "педагог", 1, ("teacher",), True,
                      ("teacher",), (1,)),
            StaffSeen(101, "Петров Пётр Ильич", "педагог", 1, ("teacher",), False, (), ()),
            StaffSeen(200, "Сидорова Вера Павловна", "заведующий", 1, ("head", "teacher"), True,
                      ("head",), (1, 2)),
        ),
        "students": (
            StudentSeen(1000, "Кузнецов Илья", (1,), True, True, True, False, 1, 1),
            StudentSeen(1001, "Смирнова Ольга", (1, 2), True, False, False, False, 2, 0),
        ),
        "schedule": (
            ScheduleSlotSeen(1, 2, time(15, 0), time(15, 45)),
            ScheduleSlotSeen(2, 4, time(16, 0), time(16, 45)),
        ),
        "setup": SetupSeen(
            observed_at=observed_at,
            year_configured=True,
            year_start=date(2025, 9, 1),
            year_end=date(2026, 5, 31),
            vacations=((date(2025, 12, 31), date(2026, 1, 8)),),
            notifications_configured=False,
        ),
    }  # fmt: skip
    return InstitutionSeen(observed_at=observed_at, **(parts | overrides))
