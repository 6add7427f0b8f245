"""The formats of the reports for people: the printable PDF (WeasyPrint with print.css), the
HTML mail body (CSS inlined, one line, nothing external) and its plain-text alternative.

The PDF fixture is a «справка» of four pages (tests/data/spravka.html), rendered once: a
WeasyPrint render takes about a second.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest

from auditor.report.mail import mail_css, mail_html, plain_text
from auditor.report.pdf import ExternalResourceError, data_only_fetcher, render_pdf

SPRAVKA = Path(__file__).parent / "data" / "spravka.html"
INSTITUTION = "МБОУ «Средняя общеобразовательная школа № 17» г. Кемерово"
PERIOD = "Октябрь 2026 г."
A4 = (595.28, 841.89)  # points


def words(text: str) -> str:
    """``text`` with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def spravka_pdf() -> bytes:
    return render_pdf(SPRAVKA.read_text("utf-8"))


@pytest.fixture(scope="module")
def pages(spravka_pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(spravka_pdf))
    return [words(page.extract_text()) for page in reader.pages]


def test_the_spravka_runs_over_several_a4_pages(spravka_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(spravka_pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=1)
    assert reader.metadata is not None
    assert reader.metadata.title == "Справка по итогам проверки ведения электронного журнала"


def test_every_page_has_the_running_header_and_its_number_of_all(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        assert INSTITUTION in text
        assert PERIOD in text
        assert f"Стр. {number} из {len(pages)}" in text
    # The running header is moved out of the flow: once per page, not once more on page 1.
    assert pages[0].count(INSTITUTION) == 1


def test_the_table_header_repeats_on_every_page_the_table_reaches(pages: list[str]) -> None:
    table_pages = [text for text in pages if "Естественнонаучный" in text or "Итого" in text]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "№ Педагог Отдел Проведено Вовремя" in text
    # The totals (a <tfoot>) close the table once, not at the foot of every page.
    assert sum(text.count("Итого") for text in pages) == 1


def test_the_copy_mark_closes_the_last_page(pages: list[str]) -> None:
    *earlier, last = pages
    assert "Копия верна" in last
    assert not any("Копия верна" in text for text in earlier)
    mark = last[last.index("Копия верна") :]
    assert "Заместитель директора по УВР ____________ / И. О. Фамилия /" in mark
    assert "“___” ________ 20__ г." in mark


def test_russian_text_and_escaped_markup_come_out_as_written(pages: list[str]) -> None:
    document = " ".join(pages)
    assert "Справка по итогам проверки ведения электронного журнала" in pages[0]
    assert "Фёдорова Елена Викторовна" in document
    assert "Итого 3536 3194 251 43 48" in document
    # Jinja escaped the journal's text: it is printed, never interpreted.
    assert "«<script>alert(1)</script> <b>Сборка модели</b>»" in document


def test_the_chart_is_embedded_from_its_data_uri(spravka_pdf: bytes) -> None:
    first = pypdf.PdfReader(io.BytesIO(spravka_pdf)).pages[0]
    assert len(first.images) >= 1


def test_the_fetcher_serves_data_uris_and_refuses_the_network() -> None:
    fetcher = data_only_fetcher()
    assert fetcher("data:text/plain;base64,0J/RgNC40LLQtdGC").read() == "Привет".encode()
    with pytest.raises(ExternalResourceError, match=r"only data: URIs.*127\.0\.0\.1:1/x\.png"):
        fetcher("http://127.0.0.1:1/x.png")


@pytest.mark.parametrize(
    "reference",
    [
        '<img src="http://127.0.0.1:1/x.png" alt="">',
        '<img src="file:///etc/hostname" alt="">',
        '<img src="chart.png" alt="">',  # relative: WeasyPrint alone would only log it
        '<link rel="stylesheet" href="http://127.0.0.1:1/a.css">',
        "<style>p { background: url(//127.0.0.1:1/b.png) }</style>",
    ],
)
def test_a_report_that_refers_outside_itself_is_refused(reference: str) -> None:
    with pytest.raises(ExternalResourceError, match="only data: URIs"):
        render_pdf(f"<html><body><p>Справка</p>{reference}</body></html>")


def test_the_same_html_gives_the_same_bytes_and_a_date_only_when_asked() -> None:
    html = "<html><head><title>Отчёт</title></head><body><p>Один лист</p></body></html>"
    assert render_pdf(html) == render_pdf(html)
    created = datetime(2026, 11, 2, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    metadata = pypdf.PdfReader(io.BytesIO(render_pdf(html, created=created))).metadata
    assert metadata is not None
    assert metadata["/CreationDate"] == "D:20261102093000+07'00"


# The mail body.

MAIL = """<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <title>Сводка</title>
  <style>h1 { color: #123456; }</style>
</head>
<body>
<div class="mail">
  <h1>Сводка за 12.10.2026</h1>
  <div class="lead"><p><span class="figure">3</span> <span class="label">новых
    нарушения</span></p></div>
  <!-- the rows:
       top five -->
  <table>
    <thead><tr><th>Педагог</th><th class="num">Занятий</th></tr></thead>
    <tbody>
      <tr><td>Иванова Анна Сергеевна</td><td class="num">3</td></tr>
      <tr><td>Тема: &lt;b&gt;Сборка&lt;/b&gt;</td><td class="num">12</td></tr>
    </tbody>
  </table>
  <div class="gap">Не подтвердить: 2 занятия (пробел наблюдения).</div>
  <pre>строка 1
строка 2</pre>
  <p><a href="https://school.ruobr.ru/journal">Журнал</a></p>
</div>
</body>
</html>
"""


def test_the_mail_stylesheet_holds_only_what_can_be_inlined() -> None:
    css = mail_css()
    assert "</" not in css  # it is put into a <style> element before inlining
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for construct in ("url(", "@import", "@media", ":hover", "var("):
        assert construct not in rules, construct


@pytest.fixture(scope="module")
def mailed() -> str:
    return mail_html(MAIL)


def test_the_mail_body_carries_its_css_inline(mailed: str) -> None:
    assert "<style" not in mailed and "mail.css" not in mailed
    assert '<td class="num" style="' in mailed
    assert "text-align: right" in mailed
    assert "background-color: #f7f8fa" in mailed  # the zebra rows of mail.css
    # The template's own <style> comes after mail.css and wins.
    assert '<h1 style="font-size: 20px;line-height: 1.3;margin: 0 0 8px;color: #123456;">' in mailed


def test_the_mail_body_is_one_line_that_reads_the_same(mailed: str) -> None:
    assert "\n" not in mailed and "\r" not in mailed
    assert ">новых нарушения</span>" in mailed
    assert "строка 1<br>строка 2</pre>" in mailed
    assert "<!--" not in mailed
    assert "Тема: &lt;b&gt;Сборка&lt;/b&gt;" in mailed  # still text, not markup
    assert '<a href="https://school.ruobr.ru/journal"' in mailed


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        ('<img src="http://127.0.0.1:1/x.png" alt="">', "<img>"),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="">', "<img>"),
        ('<link rel="stylesheet" href="https://example.org/a.css">', "<link>"),
        ('<script src="//example.org/a.js"></script>', "<script>"),
        ('<table background="http://127.0.0.1:1/bg.png"><tr><td>1</td></tr></table>', "outside"),
        ('<p style="background: url(//127.0.0.1:1/x.png)">текст</p>', "url()"),
        ("<style>@import 'https://example.org/a.css';</style>", "@import"),
    ],
)
def test_the_mail_body_refers_to_nothing_outside_itself(fragment: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        mail_html(f"<html><body><p>Сводка</p>{fragment}</body></html>")


def test_a_mail_body_above_the_bound_is_refused() -> None:
    rows = "".join(f"<tr><td>Педагог {n}</td><td class='num'>{n}</td></tr>" for n in range(60))
    html = f"<html><body><table>{rows}</table></body></html>"
    assert "Педагог 59" in mail_html(html)
    with pytest.raises(ValueError, match=r"above the bound of 5000: show the top rows"):
        mail_html(html, max_bytes=5000)


# The plain-text alternative.

PLAIN = """<html><body>
<h1>Сводка за 12.10.2026</h1>
<p>Новых нарушений: <b>3</b>.<br>Журнал:
   <a href="https://school.ruobr.ru/">ЭШ&nbsp;2.0</a> &amp; почта
   <a href="mailto:zam@school.ru">zam@school.ru</a>.</p>
<h2>По педагогам</h2>
<table>
  <caption>Незаполненные занятия</caption>
  <thead><tr><th>Педагог</th><th>Группа</th><th class="num">Занятий</th></tr></thead>
  <tbody>
    <tr><td>Иванова Анна Сергеевна</td><td>Робототехника-2</td><td class="num">3</td></tr>
    <tr><td>Петров Пётр</td><td>Шахматы</td><td class="num">12</td></tr>
    <tr class="total"><td colspan="2">Итого</td><td class="num">15</td></tr>
  </tbody>
</table>
<ul>
  <li>Заполнить темы до 14.10.2026.</li>
  <li>Проверить посещаемость.</li>
</ul>
</body></html>"""

PLAIN_TEXT = """\
Сводка за 12.10.2026
====================

Новых нарушений: 3.
Журнал: ЭШ\u00a02.0 (https://school.ruobr.ru/) & почта zam@school.ru.

По педагогам
------------

Незаполненные занятия
Педагог                 Группа           Занятий
----------------------  ---------------  -------
Иванова Анна Сергеевна  Робототехника-2        3
Петров Пётр             Шахматы               12
Итого                                         15

• Заполнить темы до 14.10.2026.
• Проверить посещаемость.
"""


def test_plain_text_lays_out_headings_paragraphs_tables_and_lists() -> None:
    assert plain_text(PLAIN) == PLAIN_TEXT


def test_a_table_too_wide_for_columns_is_written_row_by_row() -> None:
    topic = "Сборка модели манипулятора на платформе Arduino, программирование датчиков"
    html = f"""<table>
      <tr><th>Педагог</th><th>Дата</th><th>Тема занятия</th></tr>
      <tr><td>Иванова Анна Сергеевна</td><td>14.10.2026</td><td>{topic}</td></tr>
      <tr><td>Петров Пётр</td><td>15.10.2026</td><td></td></tr>
    </table>"""
    assert plain_text(html) == (
        "Педагог: Иванова Анна Сергеевна\n"
        "Дата: 14.10.2026\n"
        f"Тема занятия: {topic}\n"
        "\n"
        "Педагог: Петров Пётр\n"
        "Дата: 15.10.2026\n"
    )


def test_row_spans_and_dashes_keep_the_columns_aligned() -> None:
    html = """<table>
      <tr><th>Отдел</th><th>Педагог</th><th>Опозданий</th></tr>
      <tr><td rowspan="2">Гуманитарный</td><td>Волков А. А.</td><td>1</td></tr>
      <tr><td>Волкова Н. Ю.</td><td>12</td></tr>
      <tr><td>Физико-математический</td><td>Козлов А. А.</td><td>—</td></tr>
    </table>
    <dl><dt>Срок</dt><dd>до 14.10.2026</dd></dl>"""
    assert plain_text(html) == (
        "Отдел                  Педагог        Опозданий\n"
        "---------------------  -------------  ---------\n"
        "Гуманитарный           Волков А. А.           1\n"
        "                       Волкова Н. Ю.         12\n"
        "Физико-математический  Козлов А. А.           —\n"
        "\n"
        "Срок\n"
        "  до 14.10.2026\n"
    )


def test_plain_text_of_the_spravka_keeps_everything_but_the_markup() -> None:
    text = plain_text(SPRAVKA.read_text("utf-8"))
    assert text.startswith(f"{INSTITUTION} {PERIOD}\n\n")
    assert "Справка по итогам проверки ведения электронного журнала\n=====" in text
    assert "\nЦель проверки\n-------------\n" in text
    assert "[Доля занятий, заполненных вовремя, по отделам]" in text  # the chart's alt
    assert "Педагог: Фёдорова Елена Викторовна\nОтдел: Физико-математический\n" in text
    assert "«<script>alert(1)</script> <b>Сборка модели</b>»" in text  # decoded, as text
    assert "\n• Заведующим отделами ежедневно контролировать заполнение журнала (п. 2.3).\n" in text
    assert text.endswith("Копия верна\n\nЗаместитель директора по УВР ____________ / И. О. "
                         "Фамилия /\n\n“___” ________ 20__ г.\n")  # fmt: skip
    assert "<p" not in text and "&lt;" not in text and "class=" not in text


def test_a_certified_copy_carries_its_archive_entry_on_every_page() -> None:
    """Clause 3.2: a printed copy made from the archive names the entry and the SHA-256 of
    its manifest on each page (what `auditor archive verify` checks), and in «Копия верна»."""
    import io

    import pypdf

    from auditor.report.outputs import pdf_bytes
    from auditor.report.render import ArchiveMark, Renderer
    from tests.report_samples import monthly_report

    digest = "0123456789abcdef" * 4
    data = pdf_bytes(monthly_report(), Renderer(), ArchiveMark("000003-month-2025-09", digest))
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"запись 000003-month-2025-09, SHA-256 манифеста {digest}" in text, text
        assert f"Стр. {number} из {len(pages)}" in text
    assert "Сверено с архивной записью 000003-month-2025-09" in pages[-1]
    plain = pdf_bytes(monthly_report(), Renderer())
    assert b"SHA-256" not in plain and "Копия из архива" not in "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(plain)).pages
    )
