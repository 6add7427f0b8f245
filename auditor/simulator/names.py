"""Fictitious people and contacts for the demo institution.

Everything here is obviously made up, so a demo dataset can be shown, committed and mailed
around without touching anyone's personal data:

* surnames are glued from syllables ("Бе" + "лов" = Белов / Белова), first names and
  patronymics are ordinary Russian ones;
* e-mails live under ``example.invalid``, a domain reserved never to exist (RFC 2606);
* phones are numbered sequentially in the fake range ``+7 900 000-xx-xx``;
* addresses are on made-up streets of Kemerovo ("ул. Вымышленная").

A :class:`NameMaker` draws from the generator's own ``random.Random``; a :class:`PhoneBook`
hands out numbers without repeating. Neither keeps state outside its instance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

EMAIL_DOMAIN = "example.invalid"

MALE_NAMES = (
    "Александр", "Алексей", "Андрей", "Артём", "Борис", "Вадим", "Виктор", "Владимир",
    "Глеб", "Даниил", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл",
    "Константин", "Лев", "Максим", "Марк", "Матвей", "Михаил", "Никита", "Николай", "Олег",
    "Павел", "Роман", "Сергей", "Степан", "Тимофей", "Фёдор", "Юрий", "Ярослав",
)  # fmt: skip

FEMALE_NAMES = (
    "Алёна", "Алина", "Алиса", "Анастасия", "Анна", "Валентина", "Варвара", "Вера",
    "Вероника", "Виктория", "Галина", "Дарья", "Ева", "Екатерина", "Елена", "Елизавета",
    "Ирина", "Ксения", "Людмила", "Марина", "Мария", "Милана", "Надежда", "Наталья",
    "Ольга", "Полина", "Светлана", "София", "Татьяна", "Ульяна", "Юлия",
)  # fmt: skip

# Patronymics are derived from fathers' names; these are the fathers' names we use.
PATRONYMICS = {
    "Александр": "Александров", "Алексей": "Алексеев", "Андрей": "Андреев",
    "Борис": "Борисов", "Вадим": "Вадимов", "Виктор": "Викторов", "Владимир": "Владимиров",
    "Дмитрий": "Дмитриев", "Евгений": "Евгеньев", "Егор": "Егоров", "Иван": "Иванов",
    "Игорь": "Игорев", "Кирилл": "Кириллов", "Константин": "Константинов",
    "Максим": "Максимов", "Михаил": "Михайлов", "Николай": "Николаев", "Олег": "Олегов",
    "Павел": "Павлов", "Роман": "Романов", "Сергей": "Сергеев", "Степан": "Степанов",
    "Юрий": "Юрьев",
}  # fmt: skip

SURNAME_HEADS = (
    "Бе", "Во", "Гу", "Ду", "Ле", "Ма", "Но", "Пе", "Ро", "Се", "Ти", "Фе", "Ша", "Ка",
    "Зо", "Ла", "Мо", "Ре", "Со", "Бу",
)  # fmt: skip
SURNAME_TAILS = (
    "лов", "ров", "нев", "син", "дин", "лин", "тов", "шин", "ков", "мов", "рин", "гов",
    "зов", "пин",
)  # fmt: skip

STREETS = (
    "ул. Вымышленная", "ул. Придуманная", "ул. Тестовая", "ул. Примерная",
    "пр-т Демонстрационный", "пер. Условный",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Surname:
    """A surname in both genders (Белов / Белова)."""

    male: str
    female: str

    def form(self, female: bool) -> str:
        return self.female if female else self.male


class NameMaker:
    """Draws fictitious names and addresses from the caller's random generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def surname(self) -> Surname:
        head = self._rng.choice(SURNAME_HEADS)
        tail = self._rng.choice(SURNAME_TAILS)
        while tail[0] == head[0].lower():  # no "Роров" or "Лелин"
            tail = self._rng.choice(SURNAME_TAILS)
        male = head + tail
        return Surname(male, male + "а")

    def first_name(self, female: bool) -> str:
        return self._rng.choice(FEMALE_NAMES if female else MALE_NAMES)

    def father_name(self) -> str:
        return self._rng.choice(sorted(PATRONYMICS))

    def full_name(
        self, surname: Surname, female: bool, father: str | None = None, first: str | None = None
    ) -> str:
        """Фамилия Имя Отчество; the patronymic is derived from ``father`` (random if None)."""
        stem = PATRONYMICS[father or self.father_name()]
        patronymic = stem + ("на" if female else "ич")  # Павлов-ич, Юрьев-на
        return f"{surname.form(female)} {first or self.first_name(female)} {patronymic}"

    def address(self) -> str:
        street = self._rng.choice(STREETS)
        house = self._rng.randint(1, 120)
        flat = self._rng.randint(1, 180)
        return f"г. Кемерово, {street}, д. {house}, кв. {flat}"


class PhoneBook:
    """Hands out fake phone numbers +7 900 000-xx-xx, each once."""

    def __init__(self) -> None:
        self._next = 1

    def take(self) -> str:
        if self._next > 9999:
            raise ValueError("the fake phone range +7 900 000-xx-xx is exhausted")
        n = self._next
        self._next += 1
        return f"+7 900 000-{n // 100:02d}-{n % 100:02d}"


def email_for(login: str) -> str:
    """The fictitious e-mail address of an account login."""
    return f"{login}@{EMAIL_DOMAIN}"
