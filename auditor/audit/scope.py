"""What ``--department``, ``--group`` and ``--teacher`` select, said out loud.

A filter is an id (matched exactly) or a name. A name matches exactly (letter case and ё/е
aside), or else by whole words: «Иванов» is the surname of «Иванов Пётр Сергеевич» but not
part of «Петров Иван Иванович»; «Палитра» is a word of «Палитра-1». A filter that matches
nothing is an error naming the closest names; one that matches several is an error listing
them, so that an audit never silently covers the wrong people.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from auditor.errors import UsageError
from auditor.lazy import pandas as pd

WORD = re.compile(r"[\w]+")


@dataclass(frozen=True, slots=True)
class Match:
    option: str  # "--teacher"
    query: str
    id: int
    name: str


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _words(text: str) -> list[str]:
    return WORD.findall(_fold(text))


def resolve(option: str, query: str, names: Mapping[int, str]) -> Match:
    """The one entity ``query`` names among ``names`` (id → name), or a UsageError."""
    text = query.strip()
    if text.isdigit():
        if int(text) not in names:
            raise UsageError(f"{option} {text}: no such id", hint=_known(names))
        return Match(option, query, int(text), names[int(text)])
    exact = [i for i, name in names.items() if _fold(name) == _fold(text)]
    wanted = _words(text)
    matches = exact or [
        i for i, name in names.items() if wanted and set(wanted) <= set(_words(name))
    ]
    if len(matches) == 1:
        return Match(option, query, matches[0], names[matches[0]])
    if matches:
        listed = "; ".join(f"{names[i]} ({i})" for i in sorted(matches, key=names.__getitem__))
        raise UsageError(
            f"{option} {query!r} matches {len(matches)}: {listed}",
            hint=f"give the full name or the id to {option}",
        )
    close = difflib.get_close_matches(text, list(names.values()), n=5, cutoff=0.5)
    by_word = [
        name
        for name in names.values()
        if any(difflib.get_close_matches(w, _words(name), n=1, cutoff=0.75) for w in wanted)
    ]
    closest = list(dict.fromkeys([*close, *by_word]))[:5]
    raise UsageError(
        f"{option} {query!r} matches nothing",
        hint=f"closest: {'; '.join(closest)}" if closest else _known(names),
    )


def _known(names: Mapping[int, str]) -> str:
    return f"{len(names)} known; see the findings file for names and ids"


def narrow(findings: pd.DataFrame, column: str, match: Match) -> pd.DataFrame:
    """The findings whose ``column`` (an id column) is the matched id."""
    keep = (findings[column] == match.id).fillna(False).astype(bool)
    return findings[keep]
