"""What page functions receive and return, and the formats Russian sites use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from auditor.domain import ROLE_TITLES_RU, Role
from auditor.simulator.access import Viewer
from auditor.simulator.index import DatasetIndex

WEEKDAYS_RU = (
    "Понедельник",
    "Вторник",
    "Среда",
    "Четверг",
    "Пятница",
    "Суббота",
    "Воскресенье",
)
MONTHS_RU = (
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
)
CHANNELS_RU = {"email": "электронная почта", "push": "push-уведомления", "sms": "SMS"}


@dataclass(frozen=True, slots=True)
class ViewContext:
    index: DatasetIndex
    viewer: Viewer
    now: datetime  # the served moment, in the institution's time zone


@dataclass(frozen=True, slots=True)
class RoleLabel:
    code: str
    title: str


def role_labels(roles: tuple[Role, ...]) -> tuple[RoleLabel, ...]:
    return tuple(RoleLabel(r.value, ROLE_TITLES_RU[r]) for r in roles)


@dataclass(frozen=True, slots=True)
class Page:
    template: str
    title: str  # the part after "ЭШ. " in <title>
    nav: str  # the key of the menu item to highlight
    context: Mapping[str, object] = field(default_factory=dict)


def ru_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def hhmm(moment: time | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def ru_datetime(moment: datetime | None, ctx: ViewContext) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ctx.index.tz).strftime("%d.%m.%Y %H:%M")


def staff_name(index: DatasetIndex, staff_id: int | None) -> str:
    staff = index.staff.get(staff_id) if staff_id is not None else None
    return staff.full_name if staff else ""
