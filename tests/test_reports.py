"""Reports for people, in isolation: templates escape untrusted text, refuse undefined
names, and are installed with the package (a non-editable install renders them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pandas as pd
import pytest

from auditor.report.adhoc import AuditBody
from auditor.report.common import Audience, Heading, Kind, Report
from auditor.report.document import Column, ColumnKind, Table, Workbook
from auditor.report.render import Renderer, cell, percent

TZ = ZoneInfo("Asia/Novokuznetsk")
EVIL_TOPIC = '<script>alert("x")</script><b>жирный</b>'
FORMULA_TOPIC = '=HYPERLINK("http://evil.example/","нажми")'


def _report(topic: str = EVIL_TOPIC) -> Report:
    findings = Table(
        "Записи", "Все записи аудита",
        (Column("group", "Группа"), Column("evidence", "Доказательства"),
         Column("day", "Дата", ColumnKind.DATE), Column("at", "Когда", ColumnKind.MOMENT)),
        (("Радуга-1А", f"тема: «{topic}»", date(2025, 9, 2),
          datetime(2025, 9, 2, 23, 50, tzinfo=TZ)),),
    )  # fmt: skip
    counts = Table("Итоги", "Итоги", (Column("n", "Всего", ColumnKind.NUMBER),), ((1,),))
    body = AuditBody("всё учреждение", "1 проверка", 1, (("не заполнено", 1),), "", counts,
                     findings, ())  # fmt: skip
    return Report(
        kind=Kind.AUDIT, audience=Audience.OPERATOR, stem="audit-test", template="audit.html",
        heading=Heading("ЦТ <тест>", "Аудит", "всё учреждение", "сентябрь 2025 г.",
                        "01.10.2025 07:30"),
        body=body, workbook=Workbook("t", (), counts, (findings,)),
        findings=pd.DataFrame(), audit=None,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize("medium", ["mail", "print"])
def test_untrusted_text_is_escaped_in_html(medium: str) -> None:
    html = Renderer().html(_report(), medium)  # type: ignore[arg-type]
    assert "<script>" not in html and "<b>жирный" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;жирный" in html
    assert "ЦТ &lt;тест&gt;" in html
    assert "02.09.2025 23:50" in html and "<td>02.09.2025</td>" in html


def test_untrusted_text_stays_text_in_the_pdf() -> None:
    import io

    from pypdf import PdfReader

    from auditor.report.outputs import pdf_bytes

    data = pdf_bytes(_report(), Renderer())
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert '<script>alert("x")</script><b>жирный</b>' in text.replace("\n", "")


def test_formula_text_is_neutralised_in_the_workbook(tmp_path: Path) -> None:
    import openpyxl

    from auditor.report.outputs import xlsx_bytes

    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes(_report(FORMULA_TOPIC)))
    sheet = openpyxl.load_workbook(path)["Записи"]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    cell_text = next(v for v in values if "HYPERLINK" in v)
    assert not cell_text.startswith("=")  # «тема: «=HYPERLINK…»» starts with text anyway
    bare = Table("T", "T", (Column("t", "Тема"),), ((FORMULA_TOPIC,),))
    path.write_bytes(xlsx_bytes(replace(_report(), workbook=Workbook("t", (), bare, (bare,)))))
    sheet = openpyxl.load_workbook(path)["T"]
    topics = [
        c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)
    ]
    assert topics and all(c.data_type == "s" and not str(c.value).startswith("=") for c in topics)


def test_a_template_refuses_an_undefined_name() -> None:
    report = _report()
    broken = replace(report, body=replace(report.body, counts=object()))
    with pytest.raises(jinja2.UndefinedError):
        Renderer().html(broken, "mail")


def test_cells_and_shares_read_as_russian() -> None:
    assert percent(0.875) == "87,5\u00a0%" and percent(None) == "—"
    assert cell(datetime(2025, 10, 1, 7, 5, tzinfo=TZ)) == "01.10.2025 07:05"
    assert cell(date(2025, 10, 1)) == "01.10.2025" and cell(None) == ""
    assert cell(0.5, "percent") == "50,0\u00a0%"
