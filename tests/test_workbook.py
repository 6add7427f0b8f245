"""The XLSX for people (auditor.report.workbook), read back with openpyxl and pandas."""

from __future__ import annotations

import io
import stat
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from auditor.report.document import Column, ColumnKind, Table, Workbook
from auditor.report.machine import safe_cell
from auditor.report.workbook import MAX_WIDTH, workbook_bytes, write_workbook

TZ = ZoneInfo("Asia/Novokuznetsk")
AS_OF = datetime(2025, 10, 1, 9, 15, 42, tzinfo=TZ)
HOSTILE = ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)")
LONG_TOPIC = "Повторение пройденного материала " * 4  # longer than MAX_WIDTH

COLUMNS = (
    Column("group", "Группа"),
    Column("topic", "Тема"),
    Column("lesson_date", "Дата", ColumnKind.DATE),
    Column("entered_at", "Внесено", ColumnKind.MOMENT),
    Column("days_late", "Дней", ColumnKind.NUMBER),
    Column("share", "Доля", ColumnKind.PERCENT),
)
LESSONS = Table(
    name="Занятия",
    title="Занятия, внесённые с опозданием",
    note="Срок — до 23:59 дня занятия (п. 1.12)",
    columns=COLUMNS,
    rows=(
        ("Робототехника-1", "Введение", date(2025, 9, 1), AS_OF, 3, 0.25),
        ("Шахматы", HOSTILE[0], date(2025, 9, 2), datetime(2025, 9, 3, 23, 59, tzinfo=TZ), 1, None),
        ("Шахматы", HOSTILE[1], date(2025, 9, 3), None, 0, 1.0),
        ("Шахматы", HOSTILE[2], date(2025, 9, 4), None, 12, 0.0),
        ("Шахматы", HOSTILE[3], date(2025, 9, 5), None, None, 0.5),
        ("Вокал", LONG_TOPIC, date(2025, 9, 6), None, 2, 0.125),
    ),
)
EMPTY = Table(
    name="Пропуски",
    title="Занятия без записи",
    note="За период все занятия внесены",
    columns=COLUMNS[:3],
    rows=(),
)
LONG_NAME = "Педагоги без назначенной нагрузки на учебный год"  # 48 characters
COUNTS = Table(
    name="Итоги",
    title="Нарушения по правилам",
    columns=(
        Column("rule", "Правило"),
        Column("breaches", "Нарушений", ColumnKind.NUMBER),
        Column("share", "Доля в срок", ColumnKind.PERCENT),
    ),
    rows=(("Своевременность записи", 5, 0.875), ("Тема занятия", 2, None)),
)
BOOK = Workbook(
    title="Ведение электронного журнала: сентябрь 2025",
    summary=(
        ("Учреждение", "МБОУ ДО «Центр детского творчества»"),
        ("Период", "01.09.2025 – 30.09.2025"),
        ("По состоянию на", AS_OF),
        ("Занятий проверено", 128),
    ),
    counts=COUNTS,
    details=(
        LESSONS,
        EMPTY,
        Table(LONG_NAME, "Первая", COLUMNS[:1], (("а",),)),
        Table(LONG_NAME, "Вторая", COLUMNS[:1], (("б",),)),
        Table("Сводка", "Тёзка сводки", COLUMNS[:1], (("в",),)),
        Table("a/b:c*?[d]\\", "Запрещённые знаки", COLUMNS[:1], (("г",),)),
    ),
)


@pytest.fixture(scope="module")
def data() -> bytes:
    return workbook_bytes(BOOK)


@pytest.fixture(scope="module")
def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_in_order_with_excel_safe_unique_names(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [
        "Сводка",
        "Занятия",
        "Пропуски",
        LONG_NAME[:31].rstrip(),
        LONG_NAME[:27].rstrip() + " (2)",
        "Сводка (2)",
        "abcd",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_summary_sheet_holds_title_pairs_and_counts(book: openpyxl.Workbook) -> None:
    ws = book["Сводка"]
    assert ws["A1"].value == BOOK.title
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    pairs = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(3, 7)]
    assert pairs[0] == BOOK.summary[0]
    assert pairs[1] == BOOK.summary[1]
    assert pairs[2] == ("По состоянию на", datetime(2025, 10, 1, 9, 15))
    assert ws["B5"].number_format == "dd.mm.yyyy hh:mm"
    assert pairs[3] == ("Занятий проверено", 128)
    assert ws["A7"].value is None  # the blank row
    assert ws["A8"].value == "Нарушения по правилам"
    header = [ws.cell(9, c) for c in range(1, 4)]
    assert [c.value for c in header] == ["Правило", "Нарушений", "Доля в срок"]
    assert all(c.font.b and c.border.bottom.style == "thin" for c in header)
    assert [[ws.cell(r, c).value for c in range(1, 4)] for r in (10, 11)] == [
        ["Своевременность записи", 5, 0.875],
        ["Тема занятия", 2, None],
    ]
    assert ws["C10"].number_format == "0.0%"
    assert ws["C11"].border.left.style == "thin"  # an empty share keeps the table's grid
    widest_label = max(len(label) for label, _ in BOOK.summary)
    assert ws.column_dimensions["A"].width > max(widest_label, len("Своевременность записи"))


def test_detail_sheet_layout(book: openpyxl.Workbook) -> None:
    ws = book["Занятия"]
    assert ws["A1"].value == LESSONS.title and ws["A1"].font.b
    assert ws["A2"].value == LESSONS.note and ws["A2"].font.i
    assert [ws.cell(3, c).value for c in range(1, 7)] == [c.label for c in COLUMNS]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:F{3 + len(LESSONS.rows)}"
    for c, column in enumerate(COLUMNS, start=1):
        letter = ws.cell(3, c).column_letter
        assert ws.column_dimensions[letter].width > len(column.label)


def test_detail_cells_keep_their_types(book: openpyxl.Workbook) -> None:
    ws = book["Занятия"]
    first = [ws.cell(4, c) for c in range(1, 7)]
    assert [c.value for c in first] == [
        "Робототехника-1",
        "Введение",
        datetime(2025, 9, 1),
        datetime(2025, 10, 1, 9, 15),  # local, naive, to the minute
        3,
        0.25,
    ]
    assert [c.number_format for c in first[2:]] == [
        "dd.mm.yyyy",
        "dd.mm.yyyy hh:mm",
        "General",
        "0.0%",
    ]
    assert ws["D5"].value == datetime(2025, 9, 3, 23, 59)
    assert ws["F5"].value is None  # a share without a denominator is empty
    assert ws["D6"].value is None and ws["E8"].value is None
    assert ws["F6"].value == 1.0 and ws["F9"].value == 0.125


def test_text_that_looks_like_a_formula_stays_text(book: openpyxl.Workbook) -> None:
    ws = book["Занятия"]
    for r, text in enumerate(HOSTILE, start=5):
        cell = ws.cell(r, 2)
        assert cell.data_type == "s", text
        assert cell.value == safe_cell(text) == "'" + text  # as the findings CSV/XLSX write it


def test_a_long_text_column_is_capped_and_wraps(book: openpyxl.Workbook) -> None:
    ws = book["Занятия"]
    assert ws.column_dimensions["B"].width < MAX_WIDTH + 4
    assert ws["B9"].value == LONG_TOPIC and ws["B9"].alignment.wrap_text
    assert not ws["A9"].alignment.wrap_text


def test_an_empty_table_says_so_without_a_filter(book: openpyxl.Workbook) -> None:
    ws = book["Пропуски"]
    assert ws["A2"].value == EMPTY.note
    assert [ws.cell(3, c).value for c in range(1, 4)] == ["Группа", "Тема", "Дата"]
    assert ws["A4"].value == "Нет записей"
    assert ws.max_row == 4
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref is None


def test_pandas_reads_every_sheet(data: bytes) -> None:
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl", header=None)
    assert next(iter(sheets)) == "Сводка"
    summary = sheets["Сводка"]
    assert "МБОУ ДО «Центр детского творчества»" in summary[1].tolist()
    assert "Своевременность записи" in summary[0].tolist()
    lessons = pd.read_excel(io.BytesIO(data), sheet_name="Занятия", header=2, engine="openpyxl")
    assert list(lessons.columns) == [c.label for c in COLUMNS]
    assert len(lessons) == len(LESSONS.rows)
    assert lessons["Дата"].iloc[0] == pd.Timestamp(2025, 9, 1)
    assert lessons["Дней"].sum() == 18


def test_document_properties_and_same_bytes_each_time(data: bytes, book: openpyxl.Workbook) -> None:
    assert book.properties.title == BOOK.title
    assert book.properties.creator == "ruobr-auditor"
    assert workbook_bytes(BOOK) == data
    created = datetime(2025, 10, 1, 9, 20, tzinfo=TZ)
    dated = openpyxl.load_workbook(io.BytesIO(workbook_bytes(BOOK, created=created)))
    assert dated.properties.created == datetime(2025, 10, 1, 2, 20)  # UTC


def test_write_to_a_stream_or_an_owner_only_file(tmp_path: Path, data: bytes) -> None:
    stream = io.BytesIO()
    write_workbook(BOOK, stream)
    assert stream.getvalue() == data
    path = tmp_path / "reports" / "журнал.xlsx"
    write_workbook(BOOK, path)
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_ten_thousand_rows(tmp_path: Path) -> None:
    rows = tuple(
        (f"Группа {i % 40}", f"Тема {i}", date(2025, 9, 1 + i % 30), AS_OF, i, i / 10_000)
        for i in range(10_000)
    )
    big = Workbook(
        "Большой", (), Table("Итоги", "Итоги", (), ()), (Table("Все", "Все", COLUMNS, rows),)
    )
    write_workbook(big, tmp_path / "big.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True)["Все"]
    assert ws.max_row == 3 + 10_000
