"""Beautiful Soup, for the pages read rarely and leniently: the login form (its token, its
errors by CSS selectors) and ``auditor capture``'s search for personal data on pages of any
layout. The parsers read every other page through lxml's tree directly (:mod:`.common`).
"""

from __future__ import annotations

from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag
from bs4.element import AttributeDict


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(
        html,
        "lxml",
        # `class` stays one string, split only where it is read (_classes()), and attributes
        # go into a plain dict: lxml gives every value as a string.
        multi_valued_attributes=None,
        attribute_dict_class=AttributeDict,
    )


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    return value.split() if isinstance(value, str) else []


def find_all(tag: Tag, selector: str) -> list[Tag]:
    """Descendants matching ``name.class`` (``.class``: any tag), in page order."""
    return list(_matching(tag, selector))


def _matching(tag: Tag, selector: str) -> Iterator[Tag]:
    name, _, cls = selector.partition(".")
    for found in tag.descendants:
        if isinstance(found, Tag) and (not name or found.name == name) and cls in _classes(found):
            yield found


def text(tag: Tag) -> str:
    return tag.get_text(" ", strip=True)
