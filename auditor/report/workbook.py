"""The XLSX workbook for people: a summary sheet «Сводка», then one sheet per detail table.

It lays out a prepared :class:`~auditor.report.document.Workbook` and computes nothing.
Cells keep their types so a deputy director can sort, filter and sum: numbers, shares as
``0.0%``, dates ``dd.mm.yyyy``, moments ``dd.mm.yyyy hh:mm`` (local, naive: Excel refuses
zones). Text is untrusted (a topic or a name typed in ЭШ 2.0): it is always written as a
string, never a formula, and neutralised by :func:`~auditor.report.machine.safe_cell` as in
the findings CSV and XLSX, so the sheet saved again as CSV stays harmless too.

The same book gives the same bytes: xlsxwriter dates the zip entries 1980-01-01, and the
document's creation date is that too unless the caller passes one.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from auditor.report.document import Cell, ColumnKind, Table, Workbook
from auditor.report.files import write_private
from auditor.report.machine import safe_cell

SUMMARY_SHEET = "Сводка"
EMPTY = "Нет записей"
AUTHOR = "ruobr-auditor"
MAX_WIDTH = 60  # characters; a column with longer text is this wide and wraps
PADDING = 2  # characters beside the longest text (the filter button sits in the header)
MAX_NAME = 31  # Excel's limit on a sheet's name
MAX_TEXT = 32_767  # Excel's limit on a cell's text
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name
EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
NUMBER_FORMATS = {
    ColumnKind.PERCENT: "0.0%",
    ColumnKind.DATE: "dd.mm.yyyy",
    ColumnKind.MOMENT: "dd.mm.yyyy hh:mm",
}
SHOWN_WIDTH = {ColumnKind.DATE: len("01.09.2025"), ColumnKind.MOMENT: len("01.09.2025 08:30")}
HEADER_ROW = 2  # on a detail sheet: the title, the note (or a blank row), the header


def write_workbook(
    book: Workbook, out: IO[bytes] | Path, *, created: datetime | None = None
) -> None:
    """Write ``book`` as XLSX to a binary stream, or to a file created owner-only (0600:
    it names staff and pupils, clause 1.7). ``created``: the document's creation date."""
    data = workbook_bytes(book, created=created)
    if isinstance(out, Path):
        write_private(out, data)
    else:
        out.write(data)


def workbook_bytes(book: Workbook, *, created: datetime | None = None) -> bytes:
    """The XLSX file of ``book``."""
    buffer = io.BytesIO()
    xlsx = xlsxwriter.Workbook(buffer, {"in_memory": True})
    moment = created or EPOCH
    xlsx.set_properties(
        {
            "title": book.title,
            "author": AUTHOR,
            "created": moment.astimezone(UTC) if moment.tzinfo else moment,
        }
    )
    styles = _Styles(xlsx)
    _summary_sheet(xlsx.add_worksheet(SUMMARY_SHEET), book, styles)
    for name, table in zip(_sheet_names(t.name for t in book.details), book.details, strict=True):
        _detail_sheet(xlsx.add_worksheet(name), table, styles)
    xlsx.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's formats, made once each (xlsxwriter keeps every format it is given)."""

    def __init__(self, xlsx: Any) -> None:
        self._xlsx = xlsx
        self._cells: dict[tuple[ColumnKind, bool, bool], Any] = {}
        self.heading = xlsx.add_format({"bold": True, "font_size": 14})
        self.caption = xlsx.add_format({"bold": True, "font_size": 12})
        self.note = xlsx.add_format({"italic": True})
        self.label = xlsx.add_format({"bold": True, "valign": "top"})
        self.header = xlsx.add_format(
            {"bold": True, "border": 1, "bg_color": "#E7E6E6", "text_wrap": True, "valign": "top"}
        )

    def cell(self, kind: ColumnKind, *, wrap: bool = False, border: bool = False) -> Any:
        key = (kind, wrap, border)
        if key not in self._cells:
            spec: dict[str, Any] = {"valign": "top", "text_wrap": wrap, "border": int(border)}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            self._cells[key] = self._xlsx.add_format(spec)
        return self._cells[key]


def _summary_sheet(sheet: Any, book: Workbook, styles: _Styles) -> None:
    """The title, the label/value pairs, a blank row, then the counts table with borders."""
    counts = book.counts
    widths = [len(column.label) for column in counts.columns] or [0]
    widths += [0] * max(0, 2 - len(widths))
    for label, value in book.summary:
        widths[0] = max(widths[0], len(label))
        widths[1] = max(widths[1], _shown(value, ColumnKind.TEXT))
    kinds = [column.kind for column in counts.columns]
    _measure(widths, kinds, counts.rows)
    _set_widths(sheet, widths)

    sheet.write_string(0, 0, _text(book.title), styles.heading)
    row = 2
    for label, value in book.summary:
        sheet.write_string(row, 0, _text(label), styles.label)
        _put(sheet, row, 1, value, ColumnKind.TEXT, styles.cell, wrap=widths[1] > MAX_WIDTH)
        row += 1
    row += 1
    sheet.write_string(row, 0, _text(counts.title), styles.caption)
    if counts.note:
        row += 1
        sheet.write_string(row, 0, _text(counts.note), styles.note)
    _table_body(sheet, row + 1, counts, kinds, widths, styles, border=True)


def _detail_sheet(sheet: Any, table: Table, styles: _Styles) -> None:
    """Title, note, a frozen header with filter buttons over the rows, widths to fit."""
    kinds = [column.kind for column in table.columns]
    widths = [len(column.label) for column in table.columns]
    if widths and not table.rows:
        widths[0] = max(widths[0], len(EMPTY))
    _measure(widths, kinds, table.rows)
    _set_widths(sheet, widths)

    sheet.write_string(0, 0, _text(table.title), styles.caption)
    if table.note:
        sheet.write_string(1, 0, _text(table.note), styles.note)
    _table_body(sheet, HEADER_ROW, table, kinds, widths, styles, border=False)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if table.rows and table.columns:
        # no filter over an empty table: the buttons would sort «Нет записей» as data
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(table.rows), len(table.columns) - 1)
    sheet.repeat_rows(HEADER_ROW)  # on every printed page
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes


def _table_body(
    sheet: Any,
    first: int,
    table: Table,
    kinds: Sequence[ColumnKind],
    widths: Sequence[int],
    styles: _Styles,
    *,
    border: bool,
) -> None:
    """The header row at ``first``, then the rows (or one «Нет записей»)."""
    for col, column in enumerate(table.columns):
        sheet.write_string(first, col, _text(column.label), styles.header)
    if not table.rows:
        sheet.write_string(first + 1, 0, EMPTY, styles.note)
        return
    wraps = [width > MAX_WIDTH for width in widths]
    formats = [
        styles.cell(kind, wrap=wrap, border=border)
        for kind, wrap in zip(kinds, wraps, strict=False)
    ]
    for r, row in enumerate(table.rows, start=first + 1):
        for c, value in enumerate(row):
            if isinstance(value, str):  # the common case, without a lookup of formats
                sheet.write_string(r, c, _text(value), formats[c])
            else:
                _put(sheet, r, c, value, kinds[c], styles.cell, wrap=wraps[c], border=border)


def _put(
    sheet: Any, r: int, c: int, value: Cell, kind: ColumnKind, cell: Any, **style: bool
) -> None:
    """One typed cell; the value's own type decides where it and the column's kind differ."""
    shown = _kind(value, kind)
    fmt = cell(shown, **style)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        if style.get("border"):
            sheet.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(r, c, _text(value), fmt)
    elif isinstance(value, datetime):
        sheet.write_datetime(
            r, c, _local(value) if shown is ColumnKind.MOMENT else value.date(), fmt
        )
    elif isinstance(value, date):
        sheet.write_datetime(r, c, value, fmt)
    else:
        sheet.write_number(r, c, value, fmt)


def _kind(value: Cell, kind: ColumnKind) -> ColumnKind:
    if isinstance(value, str):
        return ColumnKind.TEXT
    if isinstance(value, datetime):
        return ColumnKind.DATE if kind is ColumnKind.DATE else ColumnKind.MOMENT
    if isinstance(value, date):
        return ColumnKind.DATE
    if isinstance(value, int | float):
        return ColumnKind.PERCENT if kind is ColumnKind.PERCENT else ColumnKind.NUMBER
    return kind


def _local(moment: datetime) -> datetime:
    """Already local: the zone dropped (Excel refuses it), shown and kept to the minute."""
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def _text(value: str) -> str:
    return str(safe_cell(value))[:MAX_TEXT]


def _shown(value: Cell, kind: ColumnKind) -> int:
    """How many characters the cell shows: its longest line."""
    shown = _kind(value, kind)
    if value is None:
        return 0
    if isinstance(value, str):
        return max(len(line) for line in _text(value).split("\n"))
    if shown in SHOWN_WIDTH:
        return SHOWN_WIDTH[shown]
    if shown is ColumnKind.PERCENT:
        return len(f"{value:.1%}")
    return len(str(value) if isinstance(value, int) else f"{value:.10g}")


def _measure(
    widths: list[int], kinds: Sequence[ColumnKind], rows: Iterable[Sequence[Cell]]
) -> None:
    for row in rows:
        for c, value in enumerate(row):
            widths[c] = max(widths[c], _shown(value, kinds[c]))


def _set_widths(sheet: Any, widths: Sequence[int]) -> None:
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, MAX_WIDTH) + PADDING)


def _sheet_names(names: Iterable[str]) -> list[str]:
    """Names Excel accepts: no forbidden characters, ≤ 31 characters, unique ignoring case
    (and not the summary's), a clash numbered «Имя (2)»."""
    used = {SUMMARY_SHEET.casefold(), "history"}  # Excel reserves «History»
    chosen = []
    for raw in names:
        base = FORBIDDEN.sub("", raw)[:MAX_NAME].strip(" '") or "Таблица"
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            suffix = f" ({n})"
            name = base[: MAX_NAME - len(suffix)].rstrip(" '") + suffix
        used.add(name.casefold())
        chosen.append(name)
    return chosen
