"""Russian for people, done by Babel's locale data rather than by hand: plural forms
(«1 нарушение», «2 нарушения», «5 нарушений», «21 нарушение»), long dates
(«12 октября 2025 г.») and month names («октябрь 2025»)."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from babel import Locale
from babel.dates import format_date

RU = Locale("ru")


class Forms(NamedTuple):
    """A noun's forms after a number: 1 (one), 2–4 (few), 5–20 (many), and fractions."""

    one: str
    few: str
    many: str

    def after(self, number: int) -> str:
        category = RU.plural_form(number)
        return {"one": self.one, "few": self.few}.get(category, self.many)


BREACHES = Forms("нарушение", "нарушения", "нарушений")
LESSONS = Forms("занятие", "занятия", "занятий")
RUNS = Forms("проверка", "проверки", "проверок")
DAYS = Forms("день", "дня", "дней")
MIDNIGHTS = Forms("ночь", "ночи", "ночей")
DEPARTMENTS = Forms("отдел", "отдела", "отделов")
ASSOCIATIONS = Forms("объединение", "объединения", "объединений")
GROUPS = Forms("группа", "группы", "групп")
TEACHERS = Forms("педагог", "педагога", "педагогов")
PUPILS = Forms("учащийся", "учащихся", "учащихся")
STAFF = Forms("сотрудник", "сотрудника", "сотрудников")
MAILS = Forms("письмо", "письма", "писем")


def count(number: int, forms: Forms) -> str:
    """«5 нарушений»."""
    return f"{number} {forms.after(number)}"


def long_date(day: date) -> str:
    """«12 октября 2025 г.» (with a no-break space before «г.», so it never wraps alone).

    CLDR puts a narrow no-break space there (U+202F), which some mail fonts lack: it is
    given as the ordinary no-break space (U+00A0) instead."""
    return str(format_date(day, format="long", locale=RU)).replace("\u202f", "\u00a0")


def month_name(day: date) -> str:
    """«октябрь 2025» (the nominative, as a heading)."""
    return str(format_date(day, "LLLL yyyy", locale=RU))


def short_moment(moment: datetime) -> str:
    """«12.10.2025 18:00»: local time to the minute, as the reports show it."""
    return moment.strftime("%d.%m.%Y %H:%M")
