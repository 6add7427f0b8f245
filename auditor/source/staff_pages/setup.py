"""The setup pages: schedule template (``/schedule/``), academic year (``/year/``) and the
parents' notification schedule (``/notifications/``).

The markup read here (``table#schedule`` with ``tr.slot``, ``p#year-bounds`` or
``p#year-not-configured``, ``table#periods`` and ``table#vacations``,
``dl#notification-schedule`` or ``p#notifications-not-configured``, their classes and
``data-*`` attributes) is ASSUMED: the staff side of ЭШ 2.0 is not publicly documented; it is
the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from auditor.source.snapshot import ScheduleSlotSeen
from auditor.source.staff_pages.common import (
    Node,
    find_all,
    find_id,
    first,
    ids,
    missing,
    one,
    parse_date,
    parse_time,
    rows,
    table,
    text,
    tree_of,
)
from auditor.source.staff_pages.paths import NOTIFICATIONS_PATH, SCHEDULE_PATH, YEAR_PATH


def parse_schedule(html: str) -> list[ScheduleSlotSeen]:
    """The schedule template (``/schedule/``): weekly slots, 0 = Monday."""
    page = SCHEDULE_PATH
    slots = []
    for row in rows(table(tree_of(html), page, "schedule"), "slot", page):
        weekday = row.int_attr("data-weekday")
        if not 0 <= weekday <= 6:
            raise missing(page, f"tr.slot[data-weekday] 0..6 (got {weekday})")
        time_cell = row.cell("time")
        slots.append(
            ScheduleSlotSeen(
                group_id=row.int_attr("data-group-id"),
                weekday=weekday,
                start=parse_time(first(time_cell, ".time-start"), page, "time-start"),
                end=parse_time(first(time_cell, ".time-end"), page, "time-end"),
            )
        )
    return slots


@dataclass(frozen=True, slots=True)
class YearInfo:
    configured: bool
    start: date | None = None
    end: date | None = None
    periods: tuple[tuple[date, date], ...] = ()
    vacations: tuple[tuple[date, date], ...] = ()


def _spans(tree: Node, page: str, table_id: str, row: str) -> tuple[tuple[date, date], ...]:
    return tuple(
        (parse_date(r.text("start"), page), parse_date(r.text("end"), page))
        for r in rows(table(tree, page, table_id), row, page)
    )


def parse_year(html: str) -> YearInfo:
    """The academic-year structure (``/year/``), or that it is not configured."""
    page, tree = YEAR_PATH, tree_of(html)
    bounds = find_id(tree, "p", "year-bounds")
    if bounds is None:
        if find_id(tree, "p", "year-not-configured") is not None:
            return YearInfo(configured=False)
        raise missing(page, "p#year-bounds or p#year-not-configured")
    return YearInfo(
        configured=True,
        start=parse_date(text(one(bounds, page, "span.year-start")), page),
        end=parse_date(text(one(bounds, page, "span.year-end")), page),
        periods=_spans(tree, page, "periods", "period"),
        vacations=_spans(tree, page, "vacations", "vacation"),
    )


@dataclass(frozen=True, slots=True)
class NotificationInfo:
    configured: bool
    weekdays: tuple[int, ...] = ()
    send_time: time | None = None
    channels: tuple[str, ...] = ()


def parse_notifications(html: str) -> NotificationInfo:
    """The parents' notification schedule (``/notifications/``), or that there is none."""
    page, tree = NOTIFICATIONS_PATH, tree_of(html)
    schedule = find_id(tree, "dl", "notification-schedule")
    if schedule is None:
        if find_id(tree, "p", "notifications-not-configured") is not None:
            return NotificationInfo(configured=False)
        raise missing(page, "dl#notification-schedule or p#notifications-not-configured")
    return NotificationInfo(
        configured=True,
        weekdays=ids(one(schedule, page, "dd.weekdays"), page, "span.weekday", "data-weekday"),
        send_time=parse_time(first(schedule, "dd.send-time"), page, "send-time"),
        channels=tuple(
            str(c.get("data-channel"))
            for c in find_all(one(schedule, page, "dd.channels"), "span.channel")
        ),
    )
