"""Shared state of one demo generation: the seeded random source, the clock rules, the key.

Every moment the generator writes goes through :class:`GenContext`, which keeps it inside
the *working window* 08:00-23:30 local. Nothing is ever entered between 23:30 and 08:00, so
a poll at 23:50 and another early in the morning always bracket midnight with no entry in
between: on time and late can always be told apart.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditor.audit.calendar import ProductionCalendar, deadline_of, local_date
from auditor.domain import Period
from auditor.simulator.answer_key import Kind, Violation
from auditor.simulator.names import NameMaker, PhoneBook

WINDOW_START = time(8, 0)
WINDOW_END = time(23, 30)
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class GenContext:
    """The random source, time zone, calendar and planted violations of one generation."""

    seed: int
    year: int
    tz: ZoneInfo
    calendar: ProductionCalendar
    rng: random.Random
    names: NameMaker
    phones: PhoneBook = field(default_factory=PhoneBook)
    violations: list[Violation] = field(default_factory=list)

    @classmethod
    def new(cls, seed: int, year: int, timezone: str, vacations: tuple[Period, ...]) -> GenContext:
        rng = random.Random(seed)
        return cls(
            seed, year, ZoneInfo(timezone), ProductionCalendar(vacations), rng, NameMaker(rng)
        )

    # -- the academic year -------------------------------------------------------------
    @property
    def first_day(self) -> date:
        return date(self.year, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.year + 1, 5, 31)

    @property
    def setup_day(self) -> date:
        """Clause 2.2: the journal is set up "на 8 сентября"."""
        return date(self.year, 9, 8)

    @property
    def setup_due(self) -> datetime:
        """The state at 00:00 local of 9 September judges the setup (end of 8 September)."""
        return deadline_of(self.setup_day, self.tz)

    def day(self, month: int, day: int) -> date:
        """A date of the academic year: June-December of ``year``, January-May of ``year + 1``."""
        return date(self.year if month >= 6 else self.year + 1, month, day)

    # -- moments -----------------------------------------------------------------------
    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def local_date(self, moment: datetime) -> date:
        return local_date(moment, self.tz)

    def deadline(self, day: date) -> datetime:
        return deadline_of(day, self.tz)

    def moment_on(self, day: date, start: time = WINDOW_START, end: time = WINDOW_END) -> datetime:
        """A random whole minute of ``day`` between ``start`` and ``end`` local."""
        lo = start.hour * 60 + start.minute
        hi = end.hour * 60 + end.minute
        minute = self.rng.randint(lo, hi)
        return self.at(day, minute // 60, minute % 60)

    def moment_between(self, first: datetime, last: datetime) -> datetime:
        """A random whole minute in [first, last] inside the working window.

        ``first`` must itself lie in the working window (every generated moment does).
        """
        span = int((last - first).total_seconds() // 60)
        for _ in range(200):
            candidate = first + timedelta(minutes=self.rng.randint(0, max(span, 0)))
            if in_window(candidate.astimezone(self.tz)):
                return candidate.astimezone(self.tz)
        return first.astimezone(self.tz)

    def moment_in_days(self, first: date, last: date) -> datetime:
        """A random moment on a random day from ``first`` to ``last`` inclusive."""
        offset = self.rng.randint(0, (last - first).days)
        return self.moment_on(first + timedelta(days=offset))

    def days_after(self, moment: datetime, due_day: date) -> int:
        """How many local days after ``due_day`` the ``moment`` fell ("late by N days")."""
        return (self.local_date(moment) - due_day).days

    # -- misc --------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def token(self, length: int = 12) -> str:
        """A password drawn from the seed (simulator-only, stored in Dataset.credentials)."""
        return "".join(self.rng.choice(_PASSWORD_ALPHABET) for _ in range(length))

    def plant(self, violation: Violation) -> None:
        self.violations.append(violation)

    def plant_if_overdue(
        self,
        rule: str,
        due_day: date,
        done: datetime | None,
        *,
        never: Kind = Kind.UNMET,
        group_id: int | None = None,
        staff_id: int | None = None,
        student_id: int | None = None,
    ) -> None:
        """Record an item due by the end of ``due_day`` unless ``done`` came before that."""
        due = self.deadline(due_day)
        if done is not None and done < due:
            return
        late = None if done is None else self.days_after(done, due_day)
        self.plant(
            Violation(
                rule,
                Kind.LATE if done is not None else never,
                due,
                done_at=done,
                days_late=late,
                group_id=group_id,
                staff_id=staff_id,
                student_id=student_id,
            )
        )


def in_window(moment: datetime) -> bool:
    """Whether a local moment lies in the working window 08:00-23:30."""
    return WINDOW_START <= moment.time() <= WINDOW_END
