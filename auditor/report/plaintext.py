"""The plain-text alternative of a mail: the same content, laid out for a reader of text.

Written here rather than taken from html2text: the reports are tables of Russian names and
figures, and a table is worth aligning (or, when too wide, writing row by row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml.etree import ParserError

_SKIPPED = frozenset({"head", "script", "style", "template", "noscript", "title"})
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul"}
)  # fmt: skip
_UNDERLINES = {"h1": "=", "h2": "-"}
WIDE = 100  # a table wider than this is written as «Header: value» lines, one row per group
_SPACE = re.compile(r"[ \t\r\n\f]+")
# A number, a share, or a dash standing for none: what a column of figures holds.
_NUMBER = re.compile(r"[−+-]?\d[\d\u00a0\u202f ]*(?:[.,]\d+)?\s?%?|[—–-]")


def plain_text(html: str) -> str:
    """The content of ``html`` as plain text, for the text/plain part of a mail.

    Headings on their own lines (``h1`` underlined with ``=``, ``h2`` with ``-``), blocks
    separated by a blank line, list items as «• item» (numbered in ``<ol>``), links as
    «text (url)», tables as aligned columns (numbers to the right) or, when a table would be
    wider than :data:`WIDE` characters, as «Header: value» lines, one group per row.
    """
    try:
        document = lxml.html.document_fromstring(html)
    except ParserError:  # nothing but whitespace
        return ""
    body = document.find("body")
    blocks = _blocks(document if body is None else body)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _blocks(element: lxml.html.HtmlElement) -> list[str]:
    """The blocks of ``element``'s content; inline runs between blocks are blocks too."""
    blocks: list[str] = []
    run = [_SPACE.sub(" ", element.text or "")]
    for child in element:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            blocks.extend(_paragraph(run))
            run = []
            blocks.extend(_block(child))
        else:
            run.append(_inline(child))
        run.append(_SPACE.sub(" ", child.tail or ""))
    blocks.extend(_paragraph(run))
    return blocks


def _paragraph(run: list[str]) -> list[str]:
    lines = [re.sub(" {2,}", " ", line).strip() for line in "".join(run).split("\n")]
    text = "\n".join(lines).strip("\n")
    return [text] if text.strip() else []


def _inline(element: lxml.html.HtmlElement) -> str:
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIPPED:
        return ""
    if tag == "br":
        return "\n"
    if tag == "img":
        alt = (element.get("alt") or "").strip()
        return f"[{alt}]" if alt else ""
    text = _SPACE.sub(" ", element.text or "") + "".join(
        _inline(child) + _SPACE.sub(" ", child.tail or "") for child in element
    )
    return _link(text, element.get("href", "").strip()) if tag == "a" else text


def _link(text: str, href: str) -> str:
    if not href or href.startswith(("#", "javascript:")):
        return text
    target = href.removeprefix("mailto:")
    label = text.strip()
    shown = target if label in ("", target) else f"{label} ({target})"
    # Keep the spaces around the link's text: they separate it from the words next to it.
    return text[: len(text) - len(text.lstrip())] + shown + text[len(text.rstrip()) :]


def _flat(element: lxml.html.HtmlElement) -> str:
    """The text of ``element`` on one line (a heading, a table cell)."""
    return " ".join(line for block in _blocks(element) for line in block.split("\n") if line)


def _block(element: lxml.html.HtmlElement) -> list[str]:
    tag = element.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt"):
        title = _flat(element)
        if title and tag in _UNDERLINES:
            return [f"{title}\n{_UNDERLINES[tag] * len(title)}"]
        return [title] if title else []
    if tag in ("ul", "ol"):
        return _nonempty(_list(element))
    if tag == "li":
        return _nonempty(_item("• ", element))
    if tag == "table":
        return _nonempty(_table(element))
    if tag == "pre":
        return _nonempty(element.text_content().strip("\n").rstrip())
    if tag == "dl":
        return _nonempty(_definitions(element))
    if tag == "dd":
        return _nonempty(_indented(element))
    if tag == "hr":
        return ["-" * 40]
    return _blocks(element)


def _indented(element: lxml.html.HtmlElement) -> str:
    return "\n".join(
        f"  {line}" if line else "" for line in "\n".join(_blocks(element)).split("\n")
    )


def _definitions(element: lxml.html.HtmlElement) -> str:
    """A ``<dl>``: each term on its line, its description indented under it."""
    lines = []
    for child in element:
        if child.tag == "dt":
            lines.append(_flat(child))
        elif child.tag == "dd":
            lines.append(_indented(child))
    return "\n".join(line for line in lines if line.strip())


def _nonempty(text: str) -> list[str]:
    return [text] if text.strip() else []


def _list(element: lxml.html.HtmlElement) -> str:
    ordered = element.tag == "ol"
    start = element.get("start", "1")
    number = int(start) if start.isdigit() else 1
    items = []
    for child in element:
        if child.tag != "li":
            continue
        item = _item(f"{number}. " if ordered else "• ", child)
        if item:
            items.append(item)
            number += 1
    return "\n".join(items)


def _item(marker: str, element: lxml.html.HtmlElement) -> str:
    lines = "\n".join(_blocks(element)).split("\n")
    if not lines[0]:
        return ""
    indent = " " * len(marker)
    return "\n".join([marker + lines[0], *(indent + line if line else "" for line in lines[1:])])


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    span: int = 1  # columns; the columns it covers after the first hold None
    numeric: bool = False


_Row = list[_Cell | None]


def _table(table: lxml.html.HtmlElement) -> str:
    caption = table.find("caption")
    title = _flat(caption) if caption is not None else ""
    head, body = _grid(table)
    rows = head + body
    if not rows:
        return title
    width = max(len(row) for row in rows)
    for row in rows:
        row.extend(_Cell("") for _ in range(width - len(row)))
    numeric = [_numeric_column(body, column) for column in range(width)]
    widths = _widths(rows, width)
    if sum(widths) + 2 * (width - 1) > WIDE:
        records = _records(head, body)
        return f"{title}\n\n{records}" if title else records
    lines = [_line(row, widths, numeric) for row in head]
    if head:
        lines.append("  ".join("-" * w for w in widths))
    lines += [_line(row, widths, numeric) for row in body]
    text = "\n".join(line for line in lines if line)
    return f"{title}\n{text}" if title else text


def _grid(table: lxml.html.HtmlElement) -> tuple[list[_Row], list[_Row]]:
    """The header rows and the body rows of ``table`` (not of tables inside it), with the
    cells that ``rowspan`` carries down written as empty cells."""
    head: list[_Row] = []
    body: list[_Row] = []
    carried: dict[int, int] = {}  # column → rows a rowspan above still covers
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:
            continue
        cells = [cell for cell in tr if cell.tag in ("td", "th")]
        row: _Row = []
        for cell in cells:
            _carry(row, carried)
            span = _count(cell.get("colspan"))
            down = _count(cell.get("rowspan"))
            text = _flat(cell)
            number = "num" in (cell.get("class") or "").split() or bool(_NUMBER.fullmatch(text))
            if down > 1:
                carried.update(dict.fromkeys(range(len(row), len(row) + span), down - 1))
            row += [_Cell(text, span, number), *([None] * (span - 1))]
        _carry(row, carried)
        in_head = tr.getparent().tag == "thead" or (
            not body and bool(cells) and all(cell.tag == "th" for cell in cells)
        )
        (head if in_head else body).append(row)
    return head, body


def _carry(row: _Row, carried: dict[int, int]) -> None:
    """Empty cells where a ``rowspan`` above covers the next columns of ``row``."""
    while carried.get(len(row), 0) > 0:
        carried[len(row)] -= 1
        row.append(_Cell(""))


def _count(value: str | None) -> int:
    return max(1, min(int(value), 100)) if value and value.strip().isdigit() else 1


def _numeric_column(body: list[_Row], column: int) -> bool:
    cells = [row[column] for row in body if column < len(row)]
    texts = [cell for cell in cells if cell is not None and cell.span == 1 and cell.text]
    return bool(texts) and all(cell.numeric for cell in texts)


def _widths(rows: list[_Row], width: int) -> list[int]:
    widths = [0] * width
    for row in rows:
        for column, cell in enumerate(row):
            if cell is not None and cell.span == 1:
                widths[column] = max(widths[column], len(cell.text))
    for row in rows:  # a spanning cell wider than its columns widens the last of them
        for column, cell in enumerate(row):
            if cell is not None and cell.span > 1:
                room = sum(widths[column : column + cell.span]) + 2 * (cell.span - 1)
                last = column + cell.span - 1
                widths[last] += max(0, len(cell.text) - room)
    return widths


def _line(row: _Row, widths: list[int], numeric: list[bool]) -> str:
    parts = []
    for column, cell in enumerate(row):
        if cell is None:
            continue
        room = sum(widths[column : column + cell.span]) + 2 * (cell.span - 1)
        right = numeric[column] and cell.span == 1
        parts.append(cell.text.rjust(room) if right else cell.text.ljust(room))
    return "  ".join(parts).rstrip()


def _records(head: list[_Row], body: list[_Row]) -> str:
    """A table too wide for columns: each row as «Header: value» lines."""
    labels = [""] * max((len(row) for row in head + body), default=0)
    for row in head:
        for column, cell in enumerate(row):
            if cell is not None and cell.text:
                for covered in range(column, column + cell.span):
                    labels[covered] = cell.text
    records = []
    for row in body:
        lines = [
            f"{labels[column]}: {cell.text}" if labels[column] else cell.text
            for column, cell in enumerate(row)
            if cell is not None and cell.text
        ]
        if lines:
            records.append("\n".join(lines))
    return "\n\n".join(records)
