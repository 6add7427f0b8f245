"""What the staff-page parsers share: the tree, rows and cells, numbers, dates and times, and
the error that names the page and the missing element.

The markup facts used here (elements found by id, data rows ``tr.<kind>`` in ``tbody``, cells
``td.<field>``, dates ``dd.mm.yyyy``, times ``HH:MM``) are ASSUMED: the staff side of ЭШ 2.0 is
not publicly documented, and they are the bundled simulator's design (docs/simulator.md).

Speed: a month of syncs reads ~6,000 pages and parses again each one that changed (~1,300 in
the demo's month: a pupil page changes with any of its hundred pupils). So the tree is lxml's
own, built in C (a Beautiful Soup tree over the same lxml parser costs a Python object per
tag and string, ~7x the time on a pupil page), and rows are read cell by cell from one pass
over the row (:class:`Row`). The text of an element is what Beautiful Soup's
``get_text(" ", strip=True)`` gave: its strings, comments left out, each stripped, the
non-empty ones joined by a space. ``benchmarks/parse.py`` measures it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, TypeAlias

from lxml import etree

from auditor.errors import SiteChangedError

# An element of lxml's tree (``lxml.etree._Element``); lxml ships no type hints.
Node: TypeAlias = Any


def tree_of(html: str) -> Node:
    """The page's element tree, as lenient as a browser: a damaged page gives what it has,
    an empty or unreadable one an empty tree (then the element looked for is missing)."""
    parser = etree.HTMLParser()  # one per page: an lxml parser is not shared across threads
    try:
        parser.feed(html)
        root = parser.close()
    except etree.LxmlError:
        root = None
    return root if root is not None else etree.Element("html")


def missing(page: str, element: str) -> SiteChangedError:
    return SiteChangedError(
        f"page {page}: element {element} not found",
        hint="the site's layout may have changed; run `auditor capture` and report it",
    )


def is_complete(html: str) -> bool:
    """Whether a page arrived whole: a cut-off answer still parses, but misses rows.

    Asked of every page read: only its end is lowered, not the whole page."""
    return html.rstrip()[-len("</html>") :].lower() == "</html>"


def classes(tag: Node) -> list[str]:
    value = tag.get("class")
    return value.split() if isinstance(value, str) else []


def find_id(tree: Node, name: str, element_id: str) -> Node | None:
    """The first ``name#element_id`` in page order, if any."""
    for found in tree.iter(name):
        if found.get("id") == element_id:
            return found
    return None


def element(tree: Node, page: str, name: str, element_id: str) -> Node:
    found = find_id(tree, name, element_id)
    if found is None:
        raise missing(page, f"{name}#{element_id}")
    return found


def table(tree: Node, page: str, table_id: str) -> Node:
    return element(tree, page, "table", table_id)


def one(tag: Node, page: str, selector: str) -> Node:
    """The first descendant matching ``name.class``; missing if there is none."""
    found = first(tag, selector)
    if found is None:
        raise missing(page, selector)
    return found


class Row:
    """A data row and its cells (``td.<class>``), gathered in one pass over the row."""

    __slots__ = ("_cells", "page", "tag")

    def __init__(self, tag: Node, page: str) -> None:
        self.tag, self.page = tag, page
        self._cells: dict[str, Node] = {}
        for child in tag:
            if child.tag == "td":
                for name in classes(child):
                    self._cells.setdefault(name, child)  # the first such cell

    def cell(self, cls: str) -> Node:
        found = self._cells.get(cls)
        if found is None:
            raise missing(self.page, f"td.{cls}")
        return found

    def text(self, cls: str) -> str:
        return text(self.cell(cls))

    def int_attr(self, attr: str) -> int:
        return int_attr(self.tag, self.page, attr)


def rows(table: Node, cls: str, page: str) -> list[Row]:
    """The data rows (``tbody > tr.<cls>``) of a table."""
    body = next((c for c in table if c.tag == "tbody"), table)
    return [Row(tr, page) for tr in body if tr.tag == "tr" and cls in classes(tr)]


def to_int(text: str) -> int | None:
    try:
        return int(text.strip(), 10) if text.strip().lstrip("-").isascii() else None
    except ValueError:
        return None


def int_attr(tag: Node, page: str, attr: str) -> int:
    value = tag.get(attr)
    number = to_int(value) if isinstance(value, str) else None
    if number is None:
        raise missing(page, f"{tag.tag}[{attr}] with a number")
    return number


def opt_int_attr(tag: Node, page: str, attr: str) -> int | None:
    return int_attr(tag, page, attr) if attr in tag.attrib else None


def _matching(tag: Node, selector: str) -> Iterator[Node]:
    """Descendants (not ``tag`` itself) matching ``name.class``, in page order."""
    name, _, cls = selector.partition(".")
    for found in tag.iterdescendants(name or etree.Element):  # elements only, no comments
        if cls in classes(found):
            yield found


def find_all(tag: Node, selector: str) -> list[Node]:
    """Descendants matching ``name.class`` (``.class``: any tag), in page order."""
    return list(_matching(tag, selector))


def first(tag: Node, selector: str) -> Node | None:
    return next(_matching(tag, selector), None)


def ids(tag: Node, page: str, selector: str, attr: str) -> tuple[int, ...]:
    return tuple(int_attr(item, page, attr) for item in find_all(tag, selector))


def text(tag: Node) -> str:
    """The element's strings (comments left out), stripped, the non-empty ones joined by a
    space: what Beautiful Soup's ``get_text(" ", strip=True)`` gives."""
    return " ".join(part for part in (s.strip() for s in tag.itertext()) if part)


def parse_date(value: str, page: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise missing(page, f"a date dd.mm.yyyy (got {value[:20]!r})") from None


_TIME = re.compile(r"\d{1,2}:\d{2}", flags=re.ASCII)


def parse_time(tag: Node | None, page: str, what: str) -> time:
    value = text(tag) if tag is not None else ""
    if not _TIME.fullmatch(value):
        raise missing(page, f"span.{what} with HH:MM")
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise missing(page, f"span.{what} with HH:MM") from None
