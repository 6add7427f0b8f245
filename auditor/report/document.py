"""The shapes a report for people is prepared into, before any format is written.

A report's context is computed once (``auditor.report.contexts``); the HTML and PDF
templates, the XLSX workbook and the charts only lay out these values. Cells keep their
types (numbers stay numbers, dates stay dates) so a spreadsheet can sum and sort them;
moments are aware datetimes already converted to the institution's local time, which every
writer shows to the minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

Cell = str | int | float | date | datetime | None


class ColumnKind(StrEnum):
    TEXT = "text"  # untrusted where it comes from ЭШ 2.0 (a topic, a name): escaped, neutralised
    NUMBER = "number"  # an int count
    PERCENT = "percent"  # a float share 0..1 (None where the denominator is 0)
    DATE = "date"  # a local calendar date
    MOMENT = "moment"  # an aware local datetime, shown to the minute


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # the Russian header
    kind: ColumnKind = ColumnKind.TEXT


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a report: a sheet of the workbook, a table of the page."""

    name: str  # the sheet's name (≤ 31 characters, unique in a workbook)
    title: str  # the caption people read
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""  # e.g. why the table is empty, or that the mail shows only the top rows

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"table {self.name!r}: a row of {len(row)} cells, not {width}")


@dataclass(frozen=True, slots=True)
class Workbook:
    """What an XLSX for people holds: a summary sheet first, then the detail tables."""

    title: str  # the summary sheet's heading
    summary: tuple[tuple[str, Cell], ...]  # label → value: institution, period, as of, …
    counts: Table  # counts by rule and status, on the summary sheet under the pairs
    details: tuple[Table, ...]


@dataclass(frozen=True, slots=True)
class Shares:
    """How the lessons due in a period were entered (clause 1.12), by count.

    ``held`` is every lesson whose deadline has passed; the other counts partition it.
    """

    held: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    cannot_prove: int = 0

    def share(self, part: int) -> float | None:
        return part / self.held if self.held else None

    @property
    def on_time_share(self) -> float | None:
        return self.share(self.on_time)

    def __add__(self, other: Shares) -> Shares:
        return Shares(
            self.held + other.held,
            self.on_time + other.on_time,
            self.late + other.late,
            self.missing + other.missing,
            self.cannot_prove + other.cannot_prove,
        )


@dataclass(frozen=True, slots=True)
class MonthShares:
    month: date  # its first day
    shares: Shares


@dataclass(frozen=True, slots=True)
class BurnDay:
    """The setup items of clause 2.2 still unmet at the end of one local day."""

    day: date
    unmet_items: int  # items (of the 8) not done
    unmet_subjects: int  # pupils, staff and groups still concerned
