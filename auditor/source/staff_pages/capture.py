"""For ``auditor capture``: finding the pages to save and the personal data on them, even when
the layout has changed (then by links and by the places below, never by a parser alone).

Where names, contacts and logins stand (the cells and spans listed below) is ASSUMED: the staff
side of ЭШ 2.0 is not publicly documented; it is the bundled simulator's design
(docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import Tag

from auditor.errors import SiteChangedError
from auditor.source.staff_pages.paths import JOURNAL_LINK, PAGE_LINK
from auditor.source.staff_pages.people import parse_students
from auditor.source.staff_pages.soup import find_all, soup, text
from auditor.source.staff_pages.structure import parse_groups


def linked_group_ids(html: str) -> list[int]:
    """The groups of the group list: by its rows, or (layout changed) by journal links."""
    try:
        return [g.id for g in parse_groups(html)]
    except SiteChangedError:
        return sorted({int(n) for n in JOURNAL_LINK.findall(html)})


def students_page_count(html: str) -> int:
    """Pages of the pupil list: by its pager, or (layout changed) by its page links."""
    try:
        return parse_students(html, 1).total_pages
    except SiteChangedError:
        return max((int(n) for n in PAGE_LINK.findall(html)), default=1)


# Where names and contacts stand: (id of the enclosing element or "", tag, class or "").
# Text there is a person's name or contact wherever it appears on a page.
_PERSONAL_TEXT = (
    ("current-user", "", ""),
    ("", "span", "user-name"),
    ("staff", "td", "name"),
    ("students", "td", "name"),
    ("students", "td", "birth-date"),
    ("students", "td", "address"),
    ("students", "td", "phone"),
    ("", "span", "parent-name"),
    ("", "td", "head"),
    ("", "td", "teacher"),
    ("", "dd", "teacher"),
    ("", "li", "absent"),
)
# Logins: short words ("operator") that must only be replaced where they stand alone.
_PERSONAL_NODES = (("staff", "td", "login"), ("students", "td", "account"))


@dataclass(frozen=True, slots=True)
class PersonalValues:
    texts: frozenset[str]  # replace wherever they occur
    whole_nodes: frozenset[str]  # replace only as a whole text node


def personal_values(html: str) -> PersonalValues:
    """Names, contacts and logins at the places this package knows. Never raises: a page
    of a changed layout yields less, and capture's pattern pass still applies."""
    tree = soup(html)

    def collect(hooks: tuple[tuple[str, str, str], ...]) -> frozenset[str]:
        found: set[str] = set()
        for scope_id, name, cls in hooks:
            scope = tree.find(id=scope_id) if scope_id else tree
            if not isinstance(scope, Tag):
                continue
            if not name:
                found.add(text(scope))
                continue
            found |= {text(tag) for tag in find_all(scope, f"{name}.{cls}")}
        return frozenset(value for value in found if value)

    return PersonalValues(collect(_PERSONAL_TEXT), collect(_PERSONAL_NODES))
