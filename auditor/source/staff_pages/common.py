"""What the staff-page parsers share: the tree, rows and cells, numbers, dates and times, and
the error that names the page and the missing element.

The markup facts used here (tables found by id, data rows ``tr.<kind>`` in ``tbody``, cells
``td.<field>``, dates ``dd.mm.yyyy``, times ``HH:MM``) are ASSUMED: the staff side of ЭШ 2.0 is
not publicly documented, and they are the bundled simulator's design (docs/simulator.md).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from bs4 import BeautifulSoup, Tag
from bs4.filter import SoupStrainer

from auditor.errors import SiteChangedError


def soup(html: str, only: SoupStrainer | None = None) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml", parse_only=only)


def missing(page: str, element: str) -> SiteChangedError:
    return SiteChangedError(
        f"page {page}: element {element} not found",
        hint="the site's layout may have changed; run `auditor capture` and report it",
    )


def is_complete(html: str) -> bool:
    """Whether a page arrived whole: a cut-off answer still parses, but misses rows."""
    return html.rstrip().lower().endswith("</html>")


def table(tree: BeautifulSoup, page: str, table_id: str) -> Tag:
    found = tree.find("table", id=table_id)
    if not isinstance(found, Tag):
        raise missing(page, f"table#{table_id}")
    return found


def one(tree: BeautifulSoup | Tag, page: str, selector: str) -> Tag:
    found = tree.select_one(selector)
    if not isinstance(found, Tag):
        raise missing(page, selector)
    return found


def rows(table: Tag, cls: str) -> list[Tag]:
    """The data rows (``tbody tr.<cls>``) of a table; plain finds, far cheaper than CSS."""
    body = table.find("tbody", recursive=False)
    return [tr for tr in (body or table).find_all("tr", class_=cls, recursive=False)]


def cell(row: Tag, page: str, cls: str) -> Tag:
    found = row.find("td", class_=cls, recursive=False)
    if not isinstance(found, Tag):
        raise missing(page, f"td.{cls}")
    return found


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


def find_all(tag: Tag, selector: str) -> list[Tag]:
    """Descendants matching ``name.class`` (a plain find: CSS selection is slow per row)."""
    name, _, cls = selector.partition(".")
    return [t for t in tag.find_all(name, class_=cls) if isinstance(t, Tag)]


def ids(tag: Tag, page: str, selector: str, attr: str) -> tuple[int, ...]:
    return tuple(int_attr(item, page, attr) for item in find_all(tag, selector))


def text(tag: Tag) -> str:
    return tag.get_text(" ", strip=True)


def parse_date(value: str, page: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise missing(page, f"a date dd.mm.yyyy (got {value[:20]!r})") from None


def parse_time(tag: Tag | None, page: str, what: str) -> time:
    value = text(tag) if isinstance(tag, Tag) else ""
    if not re.fullmatch(r"\d{1,2}:\d{2}", value, flags=re.ASCII):
        raise missing(page, f"span.{what} with HH:MM")
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise missing(page, f"span.{what} with HH:MM") from None
