"""Tiny hand-built institution facts for the setup rule tests (clauses 2.2, 5.2).

A test says what each institution read saw (which students, staff, groups, slots were listed,
with which values) and gets :class:`~auditor.store.frames.Frames` whose ``facts`` are shaped
as the store records them: one interval per run of equal values of a (kind, entity, fact); a
listed entity's ``present`` is ``"true"``, one seen before but missing from a read is observed
``"false"``, and its facts restart when it comes back. Parts not given to a read were not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from auditor.contract.frames import SPECS, Frames, typed
from tests.rules.world import KEMEROVO, at, context

__all__ = ["KEMEROVO", "SetupWorld", "at", "context", "group", "staff", "student"]

Entities = dict[Any, dict[str, Any]]
KINDS = {
    "students": "student",
    "staff": "staff",
    "groups": "group",
    "associations": "association",
    "schedule": "schedule",
}


def student(**facts: Any) -> dict[str, Any]:
    """A student with complete data and one parent with an account, unless told otherwise."""
    values = {
        "group_ids": "100",
        "has_birth_date": True,
        "has_address": True,
        "has_phone": True,
        "has_email": False,
        "parent_count": 1,
        "parents_with_account": 1,
    }
    return values | facts


def staff(**facts: Any) -> dict[str, Any]:
    """A teacher with an account whose rights hold the teacher role and no group journals."""
    values = {
        "position": "Педагог",
        "department_id": 1,
        "roles": "teacher",
        "has_account": True,
        "rights_roles": "teacher",
        "journal_group_ids": "",
    }
    return values | facts


def group(teacher: int, **facts: Any) -> dict[str, Any]:
    values = {"association_id": 10, "department_id": 1, "teacher_id": teacher, "year_of_study": 1}
    return values | facts


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@dataclass
class SetupWorld:
    reads: list[tuple[datetime, dict[tuple[str, str], dict[str, str] | None]]] = field(
        default_factory=list
    )
    lessons: list[tuple[int, date]] = field(default_factory=list)  # (group id, date)

    def read(
        self,
        moment: str,
        *,
        setup: dict[str, Any] | None = None,
        schedule: list[tuple[int, int, str]] | None = None,
        **parts: Entities,
    ) -> None:
        """One institution read; ``parts``: students=, staff=, groups=, associations=."""
        seen: dict[tuple[str, str], dict[str, str] | None] = {}
        if setup is not None:
            flags = {"year_configured": True, "notifications_configured": True} | setup
            seen[("setup", "institution")] = {k: _text(v) for k, v in flags.items()}
        if schedule is not None:
            parts["schedule"] = {f"{g}/{wd}/{start}:00": {"end_time": "23:00:00"}
                                 for g, wd, start in schedule}  # fmt: skip
        for name, entities in parts.items():
            kind = KINDS[name]
            shown = {str(e): {"present": "true"} | {k: _text(v) for k, v in facts.items()}
                     for e, facts in entities.items()}  # fmt: skip
            known = {e for (k, e) in self._entities() if k == kind}
            seen |= {(kind, e): values for e, values in shown.items()}
            seen |= {(kind, e): None for e in known - shown.keys()}  # listed no more
        self.reads.append((at(moment), seen))

    def lesson(self, group_id: int, day: str) -> None:
        self.lessons.append((group_id, date.fromisoformat(day)))

    def _entities(self) -> set[tuple[str, str]]:
        return {key for _when, seen in self.reads for key in seen}

    def facts(self, until: datetime) -> list[tuple[Any, ...]]:
        history: dict[tuple[str, str, str], list[tuple[datetime, str, bool]]] = {}
        away: dict[tuple[str, str], bool] = {}
        for when, seen in sorted(self.reads, key=lambda r: r[0]):
            if when > until:
                break
            for (kind, entity), values in seen.items():
                if values is None:
                    history.setdefault((kind, entity, "present"), []).append((when, "false", False))
                    away[(kind, entity)] = True
                    continue
                back = away.pop((kind, entity), False)
                for fact, value in values.items():
                    history.setdefault((kind, entity, fact), []).append((when, value, back))
        rows: list[tuple[Any, ...]] = []
        for (kind, entity, fact), seen_values in sorted(history.items()):
            start = 0
            for i in range(1, len(seen_values) + 1):
                ends = i == len(seen_values)
                if ends or seen_values[i][1] != seen_values[start][1] or seen_values[i][2]:
                    first, last = seen_values[start][0], seen_values[i - 1][0]
                    rows.append((len(rows) + 1, kind, entity, fact, seen_values[start][1],
                                 first, last, 1, 1, ends))  # fmt: skip
                    start = i
        return rows

    def frames(self, now: str = "2026-05-31 12:00") -> Frames:
        """What the store holds at ``now``: the reads made by then."""
        until = at(now)
        moments = sorted({when for when, _seen in self.reads if when <= until})
        runs = [(i + 1, m, m, "daily", "test", 1, 1, 1, 0) for i, m in enumerate(moments)]
        empty = {name: typed([], SPECS[name]) for name in SPECS}
        lessons = [
            (i + 1000, g, d, d.strftime("%Y-%m"), time(15), time(16, 30), at(f"{d} 18:00"),
             at(f"{d} 18:00"), 1, 1, True)
            for i, (g, d) in enumerate(self.lessons)
        ]  # fmt: skip
        groups = [
            (g, f"Группа-{g}", 10, 1, 3, 1, True, at("2025-08-20 10:00"), at("2025-08-20 10:00"))
            for g in sorted({int(e) for k, e in self._entities() if k == "group"})
        ]
        return Frames(
            start=date(2025, 9, 1),
            end=date(2026, 5, 31),
            **(
                empty
                | {
                    "facts": typed(self.facts(until), SPECS["facts"]),
                    "runs": typed(runs, SPECS["runs"]),
                    "lessons": typed(lessons, SPECS["lessons"]),
                    "groups": typed(groups, SPECS["groups"]),
                }
            ),
        )


def days_after(day: str, n: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=n)).isoformat()
