"""Random sequences of syncs with the store's hard cases, the same for the same seed.

Lessons change fields, hide fields (None), leave their page and come back, move to another
group or month; pages are read in any order, twice in one sync, or not at all. Institution
parts are read or not, list an entity twice, lose and regain entities, change facts or only
names. Now and then a part or page is older than what the store holds (refused).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

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
)
from tests.store.builders import SOURCE, TZ

GROUPS = (1, 2, 3)
MONTHS = ("2025-09", "2025-10")
FLIPS = {"completed": (True, False, None), "attendance": (True, False, None),
         "absent": (None, 0, 2), "sub": (True, False, None), "hw": (True, False, None)}  # fmt: skip


def _day(r: random.Random) -> date:
    return date.fromisoformat(r.choice(MONTHS) + "-01") + timedelta(days=r.randint(0, 27))


def _new_lesson(r: random.Random) -> dict[str, Any]:
    return {"group": r.choice(GROUPS), "date": _day(r), "start": time(15), "teacher": 100,
            "cancelled": False, "topic": r.choice(["", "Вводное"]), "completed": False,
            "attendance": False, "absent": None, "sub": False, "hw": False,
            "shown": True}  # fmt: skip


def _evolve_lesson(r: random.Random, lesson: dict[str, Any]) -> None:
    x = r.random()
    if x < 0.15:
        lesson["topic"] = r.choice(["", "Тема", "Тема 2", " "])
    elif x < 0.35:
        name = r.choice(list(FLIPS))
        lesson[name] = r.choice(FLIPS[name])
    elif x < 0.40:
        lesson["cancelled"] = not lesson["cancelled"]
    elif x < 0.44:
        lesson["teacher"] = 100 + r.randint(0, 2)
    elif x < 0.50:
        lesson["shown"] = not lesson["shown"]
    elif x < 0.53:
        lesson["group"], lesson["date"] = r.choice(GROUPS), _day(r)
    elif x < 0.55:
        lesson["start"] = time(16)


def _page(r: random.Random, lessons: dict[int, dict[str, Any]], group: int, month: str,
          at: datetime, mobile: bool) -> JournalPageSeen:  # fmt: skip
    shown = [
        LessonSeen(lesson_id, group, x["date"], x["start"], time(17), x["teacher"],
                   x["cancelled"], x["topic"], None if mobile else x["completed"],
                   x["attendance"], x["absent"], None if mobile else x["sub"], x["hw"])
        for lesson_id, x in lessons.items()
        if x["group"] == group and x["date"].strftime("%Y-%m") == month and x["shown"]
    ]  # fmt: skip
    r.shuffle(shown)
    return JournalPageSeen(group, month, at, tuple(shown))


def _part(r: random.Random, items: list[Any]) -> tuple[Any, ...] | None:
    if r.random() < 0.3:
        return None
    if items and r.random() < 0.1:
        items = [*items, items[0]]
    return tuple(items)


def _institution(
    r: random.Random, at: datetime, step: int, people: dict[int, list[Any]]
) -> InstitutionSeen:
    for entity in people.values():
        x = r.random()
        if x < 0.08:
            entity[0] = not entity[0]  # listed or not
        elif x < 0.14:
            entity[1] = (entity[1] + 1) % 3  # a fact changes
        elif x < 0.18:
            entity[2] += "ь"  # only the name changes
    listed = {i: e for i, e in people.items() if e[0]}
    staff = [StaffSeen(i, e[2], "педагог", e[1] or None, ("teacher",), e[1] > 0, (), (1,))
             for i, e in listed.items() if i < 500]  # fmt: skip
    students = [StudentSeen(i, e[2], (1 + e[1],), True, e[1] == 1, False, True, e[1], 0)
                for i, e in listed.items() if i >= 500]  # fmt: skip
    return InstitutionSeen(
        observed_at=at,
        departments=_part(r, [DepartmentSeen(d, f"Д{d}", "отдел", 100 + step // 9 % 2)
                              for d in range(r.randint(1, 3))]),
        associations=_part(r, [AssociationSeen(a, f"О{a}", a % 2) for a in range(2)]),
        groups=_part(r, [GroupSeen(g, f"Г{g}", 1, None, 100 + (step // 5 + g) % 3, 1)
                         for g in GROUPS if r.random() < 0.9]),
        staff=_part(r, staff),
        students=_part(r, students),
        schedule=_part(r, [ScheduleSlotSeen(g, w, time(15 + (g + w + step // 7) % 2), time(17))
                           for g in GROUPS for w in range(r.randint(0, 3))]),
        setup=None if r.random() < 0.3 else SetupSeen(
            at, r.random() < 0.8, date(2025, 9, 1), r.choice([date(2026, 5, 31), None]),
            r.choice([(), ((date(2025, 11, 1), date(2025, 11, 9)),)]), r.random() < 0.5),
    )  # fmt: skip


def random_syncs(seed: int, count: int) -> list[SyncSnapshot]:
    r = random.Random(seed)
    lessons = {lesson_id: _new_lesson(r) for lesson_id in range(1, r.randint(4, 14))}
    ids = (*range(100, 104), *range(500, 510))  # staff, pupils
    people: dict[int, list[Any]] = {i: [True, 1, f"Имя {i}"] for i in ids}
    clock = datetime(2025, 9, 5, 7, tzinfo=TZ)
    snapshots = []
    for step in range(count):
        clock += timedelta(minutes=r.choice([1, 30, 300, 600]))
        for lesson in lessons.values():
            _evolve_lesson(r, lesson)
        if r.random() < 0.2:
            lessons[100 + step] = _new_lesson(r)
        mobile = r.random() < 0.15
        read = r.sample([(g, m) for g in GROUPS for m in MONTHS], r.randint(0, 6))
        if read and r.random() < 0.15:
            read.append(read[0])  # the same page twice
        moments = [clock + timedelta(seconds=r.choice([0, 1, 5]) * i) for i in range(len(read))]
        pages = [
            _page(r, lessons, g, m, t, mobile) for (g, m), t in zip(read, moments, strict=True)
        ]
        r.shuffle(pages)
        seen = _institution(r, clock + timedelta(seconds=r.choice([-30, 0, 30])), step, people)
        if r.random() < 0.05:  # an observation older than the store's latest: refused
            back = clock - timedelta(hours=r.choice([1, 20]))
            if pages and r.random() < 0.5:
                pages[0] = replace(pages[0], observed_at=back)
            else:
                seen = replace(seen, observed_at=back)
        started = min([clock - timedelta(minutes=1), *(p.observed_at for p in pages)])
        snapshots.append(
            SyncSnapshot(started_at=started, finished_at=clock + timedelta(minutes=5),
                         kind="mobile" if mobile else "daily", source=SOURCE,
                         institution=seen, journals=tuple(pages))
        )  # fmt: skip
    return snapshots
