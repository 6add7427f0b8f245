"""What the staff-page parsers share: the tree, rows and cells, numbers, dates and times, and
the error that names the page and the missing element.

The markup facts used here (elements found by id, data rows ``tr.<kind>`` in ``tbody``, cells
``td.<field>``, dates ``dd.mm.yyyy``, times ``HH:MM``) are ASSUMED: the staff side of ЭШ 2.0 is
not publicly documented, and they are the bundled simulator's design (docs/simulator.md).

Speed: a month of syncs reads ~10,000 pages, and building Beautiful Soup's tree (a Python
object per tag and string) is most of parsing one. So each parser builds only the elements it
reads (:func:`only`), ``class`` is kept as one string instead of being split on every tag,
and rows are read cell by cell from one pass over the row (:class:`Row`) instead of one
``find`` per cell. ``benchmarks/parse.py`` measures it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time

from bs4 import BeautifulSoup, Tag
from bs4.element import AttributeDict
from bs4.filter import SoupStrainer

from auditor.errors import SiteChangedError


def only(*element_ids: str) -> SoupStrainer:
    """Build only the elements with these ids (with all they contain): what a parser reads."""
    return SoupStrainer(attrs={"id": list(element_ids)})


def soup(html: str, keep: SoupStrainer | None = None) -> BeautifulSoup:
    return BeautifulSoup(
        html,
        "lxml",
        parse_only=keep,
        # `class` stays one string, split only where it is read (classes()), and attributes go
        # into a plain dict: lxml gives every value as a string, so the default dict's
        # per-value conversion changes nothing. Together about an eighth less tree building.
        multi_valued_attributes=None,
        attribute_dict_class=AttributeDict,
    )


def missing(page: str, element: str) -> SiteChangedError:
    return SiteChangedError(
        f"page {page}: element {element} not found",
        hint="the site's layout may have changed; run `auditor capture` and report it",
    )


def is_complete(html: str) -> bool:
    """Whether a page arrived whole: a cut-off answer still parses, but misses rows."""
    return html.rstrip().lower().endswith("</html>")


def classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    return value.split() if isinstance(value, str) else []


def element(tree: BeautifulSoup, page: str, name: str, element_id: str) -> Tag:
    """The first ``name#element_id`` in page order (a plain walk: ``find`` is slower)."""
    for found in tree.descendants:
        if isinstance(found, Tag) and found.name == name and found.get("id") == element_id:
            return found
    raise missing(page, f"{name}#{element_id}")


def table(tree: BeautifulSoup, page: str, table_id: str) -> Tag:
    return element(tree, page, "table", table_id)


def one(tree: BeautifulSoup | Tag, page: str, selector: str) -> Tag:
    found = tree.select_one(selector)
    if not isinstance(found, Tag):
        raise missing(page, selector)
    return found


class Row:
    """A data row and its cells (``td.<class>``), gathered in one pass over the row."""

    __slots__ = ("_cells", "page", "tag")

    def __init__(self, tag: Tag, page: str) -> None:
        self.tag, self.page = tag, page
        self._cells: dict[str, Tag] = {}
        for child in tag.contents:
            if isinstance(child, Tag) and child.name == "td":
                for name in classes(child):
                    self._cells.setdefault(name, child)  # the first such cell, as find() gave

    def cell(self, cls: str) -> Tag:
        found = self._cells.get(cls)
        if found is None:
            raise missing(self.page, f"td.{cls}")
        return found

    def text(self, cls: str) -> str:
        return text(self.cell(cls))

    def int_attr(self, attr: str) -> int:
        return int_attr(self.tag, self.page, attr)


def rows(table: Tag, cls: str, page: str) -> list[Row]:
    """The data rows (``tbody > tr.<cls>``) of a table."""
    body = next((c for c in table.contents if isinstance(c, Tag) and c.name == "tbody"), table)
    return [
        Row(tr, page)
        for tr in body.contents
        if isinstance(tr, Tag) and tr.name == "tr" and cls in classes(tr)
    ]


def to_int(text: str) -> int | None:
    try:
        return int(text.strip(), 10) if text.strip().lstrip("-").isascii() else None
    except ValueError:
        return None


def int_attr(tag: Tag, page: str, attr: str) -> int:
    value = tag.get(attr)
    number = to_int(value) if isinstance(value, str) else None
    if number is None:
        raise missing(page, f"{tag.name}[{attr}] with a number")
    return number


def opt_int_attr(tag: Tag, page: str, attr: str) -> int | None:
    return int_attr(tag, page, attr) if tag.has_attr(attr) else None


def _matching(tag: Tag, selector: str) -> Iterator[Tag]:
    name, _, cls = selector.partition(".")
    for found in tag.descendants:
        if isinstance(found, Tag) and (not name or found.name == name) and cls in classes(found):
            yield found


def find_all(tag: Tag, selector: str) -> list[Tag]:
    """Descendants matching ``name.class`` (``.class``: any tag), in page order."""
    return list(_matching(tag, selector))


def first(tag: Tag, selector: str) -> Tag | None:
    return next(_matching(tag, selector), None)


def ids(tag: Tag, page: str, selector: str, attr: str) -> tuple[int, ...]:
    return tuple(int_attr(item, page, attr) for item in find_all(tag, selector))


def text(tag: Tag) -> str:
    return tag.get_text(" ", strip=True)


def parse_date(value: str, page: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise missing(page, f"a date dd.mm.yyyy (got {value[:20]!r})") from None


_TIME = re.compile(r"\d{1,2}:\d{2}", flags=re.ASCII)


def parse_time(tag: Tag | None, page: str, what: str) -> time:
    value = text(tag) if isinstance(tag, Tag) else ""
    if not _TIME.fullmatch(value):
        raise missing(page, f"span.{what} with HH:MM")
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise missing(page, f"span.{what} with HH:MM") from None
