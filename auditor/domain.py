"""The few values every part of the auditor shares: the time zone, roles, periods.

The connector, the store, the judge and the simulator all speak of these; everything else
of the institution's world belongs to one of them (the simulator's truth with its entry
histories is :mod:`auditor.simulator.world`; the auditor's observations are
:mod:`auditor.source.snapshot`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

DEFAULT_TIMEZONE = "Asia/Novokuznetsk"


def require_aware(moment: datetime, what: str) -> datetime:
    """Reject naive datetimes early: a naive moment has no meaning for "the same day"."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment.isoformat()}")
    return moment


class Role(StrEnum):
    """Roles of staff accounts in ЭШ 2.0 (as the regulation names them)."""

    DIRECTOR = "director"
    DEPUTY_DIRECTOR = "deputy_director"  # заместитель директора по УВР
    HEAD = "head"  # заведующий отделом или сектором
    OPERATOR = "operator"  # ответственный оператор по работе с ЭЖ
    TEACHER = "teacher"  # педагог дополнительного образования


ROLE_TITLES_RU: dict[Role, str] = {
    Role.DIRECTOR: "Директор",
    Role.DEPUTY_DIRECTOR: "Заместитель директора по УВР",
    Role.HEAD: "Заведующий отделом",
    Role.OPERATOR: "Ответственный оператор ЭЖ",
    Role.TEACHER: "Педагог дополнительного образования",
}


@dataclass(frozen=True, slots=True)
class Period:
    """A part of the academic year (полугодие) or a vacation (каникулы)."""

    name: str
    start: date
    end: date


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def academic_year_start(day: date) -> date:
    """1 September of the academic year that contains ``day``."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)
