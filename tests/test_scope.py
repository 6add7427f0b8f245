"""Filters match whole words or ids, and say so when they match nothing or several."""

from __future__ import annotations

import pytest

from auditor.audit.scope import resolve
from auditor.errors import ExitCode, UsageError

TEACHERS = {
    1: "Иванов Пётр Сергеевич",
    2: "Петров Иван Иванович",
    3: "Сидорова Мария Ивановна",
    4: "Иванова Анна Павловна",
    5: "Ёлкин Сергей Петрович",
}


def test_a_surname_is_a_whole_word_not_part_of_a_patronymic() -> None:
    assert resolve("--teacher", "Иванов", TEACHERS).id == 1
    assert resolve("--teacher", "иванова", TEACHERS).id == 4


def test_ids_and_full_names_match_exactly() -> None:
    assert resolve("--teacher", "2", TEACHERS).name == "Петров Иван Иванович"
    assert resolve("--teacher", "сидорова мария ивановна", TEACHERS).id == 3
    assert resolve("--teacher", "Елкин", TEACHERS).id == 5  # ё and е are one letter here


def test_several_matches_are_listed() -> None:
    with pytest.raises(UsageError) as caught:
        resolve("--teacher", "Сергей", {**TEACHERS, 6: "Сергеев Сергей Олегович"})
    message = str(caught.value)
    assert "matches 2: Ёлкин Сергей Петрович (5); Сергеев Сергей Олегович (6)" in message
    assert caught.value.exit_code is ExitCode.USAGE


def test_nothing_matched_names_the_closest() -> None:
    with pytest.raises(UsageError, match="matches nothing") as caught:
        resolve("--teacher", "Иваноф", TEACHERS)
    assert "Иванов Пётр Сергеевич" in caught.value.hint
    with pytest.raises(UsageError, match="--teacher 99: no such id"):
        resolve("--teacher", "99", TEACHERS)
