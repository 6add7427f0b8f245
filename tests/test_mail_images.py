"""Charts inline in the mails, by Content-ID: sent to a real SMTP server on 127.0.0.1 and
read back with the standard library's parser, as a mail client would.

The sample reports (tests/report_samples.py) are mailed once per module: a monthly справка
with two charts, a setup report with its burn-down, an audit without any chart.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

import pytest

from auditor.report.mail import mail_html
from auditor.report.outputs import Rendered, mail_body, write_report
from auditor.report.render import Renderer, png_uri
from auditor.store import SqlStore
from tests.report_samples import (
    EVIL,
    NOW,
    audit_report,
    burndown_png,
    monthly_charts,
    monthly_report,
    setup_report,
)
from tests.smtp_server import smtp_server
from tests.test_delivery import config_for, send_all

PNG = b"\x89PNG\r\n\x1a\n"
# RFC 2392 / RFC 5322: a dot-atom local part and domain, no quoting needed in a cid: URL.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
CONTENT_ID = re.compile(rf"<({ATOM}(?:\.{ATOM})*@{ATOM}(?:\.{ATOM})*)>")


@pytest.fixture(scope="module")
def arrived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EmailMessage]:
    """The three sample reports as they arrived, by report stem."""
    tmp = tmp_path_factory.mktemp("mail")
    reports = [monthly_report(), setup_report(), audit_report()]
    with smtp_server() as (handler, port):
        config = config_for(port, tmp)
        with SqlStore.open_path(tmp / "data" / "auditor.sqlite3") as store:
            run = send_all(config, store, reports)
    assert len(run.sent) == 3 and not run.failed  # type: ignore[attr-defined]
    by_subject = {report.heading.title: report.stem for report in reports}
    out = {}
    for got in handler.received:
        message = got.message
        title = str(message["Subject"]).split(":")[0]
        out[by_subject[title]] = message
    return out


def shape(part: EmailMessage) -> object:
    """The MIME tree as nested (type, [children]) with leaves as their content type."""
    if part.is_multipart():
        return (part.get_content_type(), [shape(p) for p in part.iter_parts()])  # type: ignore[arg-type]
    return part.get_content_type()


def cid_sources(html: str) -> list[str]:
    return re.findall(r'<img [^>]*src="cid:([^"]+)"', html)


def test_the_monthly_mail_carries_its_charts_inline_by_content_id(
    arrived: dict[str, EmailMessage],
) -> None:
    message = arrived["monthly-2025-10"]
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert shape(message) == (
        "multipart/mixed",
        [
            ("multipart/related",
             [("multipart/alternative", ["text/plain", "text/html"]), "image/png", "image/png"]),
            "application/pdf",
            xlsx,
        ],
    )  # fmt: skip
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    assert related.get_param("type") == "multipart/alternative"  # RFC 2387: the root's type
    html_part = message.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    images = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    ids = []
    for image in images:
        match = CONTENT_ID.fullmatch(image["Content-ID"])
        assert match, image["Content-ID"]
        ids.append(match.group(1))
        assert image.get_content_disposition() == "inline"
        assert image.get_filename() == f"monthly-2025-10-{match.group(1).split('.')[0]}.png"
    # the HTML shows exactly the images the message carries, in the order it shows them
    assert cid_sources(html) == ids
    assert ids == [
        "trend.monthly-2025-10@ruobr-auditor.local",
        "departments.monthly-2025-10@ruobr-auditor.local",
    ]
    # each a valid PNG, byte-equal to what the charts module drew
    drawn = monthly_charts()
    for image, name in zip(images, ("trend", "departments"), strict=True):
        data = image.get_content()
        assert data.startswith(PNG) and data == drawn[name]
    # sized for a mail column, with Russian alt text
    assert re.search(r'<img src="cid:trend\.[^"]+" alt="График: доля занятий, внесённых '
                     r'вовремя, по месяцам" width="696" height="348"', html)  # fmt: skip
    assert "data:" not in html and "http" not in html.replace("http-equiv", "")


def test_the_setup_mail_shows_its_burn_down(arrived: dict[str, EmailMessage]) -> None:
    message = arrived["setup-2025-09-05-operator"]
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert [p["Content-ID"] for p in images] == [
        "<burndown.setup-2025-09-05-operator@ruobr-auditor.local>"
    ]
    assert images[0].get_content() == burndown_png()
    html_part = message.get_body(("html",))
    assert html_part is not None
    assert cid_sources(html_part.get_content()) == [
        "burndown.setup-2025-09-05-operator@ruobr-auditor.local"
    ]


def test_a_mail_without_charts_keeps_its_structure(arrived: dict[str, EmailMessage]) -> None:
    message = arrived["audit-2025-09-01-2025-09-30"]
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert shape(message) == (
        "multipart/mixed", [("multipart/alternative", ["text/plain", "text/html"]), xlsx]
    )  # fmt: skip
    assert not any(p.get_content_type() == "multipart/related" for p in message.walk())
    assert not any(p["Content-ID"] for p in message.walk())


def test_the_text_alternative_holds_no_html_and_no_image(
    arrived: dict[str, EmailMessage],
) -> None:
    for stem, message in arrived.items():
        text_part = message.get_body(("plain",))
        assert text_part is not None
        text = text_part.get_content().replace(EVIL, "")  # the audit's untrusted topic
        assert not re.search(r"<[a-z/!]", text), stem
        assert "cid:" not in text and "base64" not in text and "data:" not in text, stem
    text = arrived["monthly-2025-10"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # at most the alt text, in brackets, where the chart stands
    assert "[График: доля занятий, внесённых вовремя, по месяцам]" in text
    assert "[График: своевременность по отделам]" in text


def test_content_ids_are_the_same_for_the_same_report_and_one_per_chart() -> None:
    renderer = Renderer()
    first, again = mail_body(monthly_report(), renderer), mail_body(monthly_report(), renderer)
    assert first == again
    cids = [image.cid for image in first.images]
    assert len(set(cids)) == len(cids) == 2
    setup = mail_body(setup_report(), renderer)
    assert not {image.cid for image in setup.images} & set(cids)


def test_a_report_without_charts_mails_no_image() -> None:
    body = mail_body(monthly_report(with_charts=False), Renderer())
    assert body.images == () and "<img" not in body.html and "[График" not in body.text


@pytest.mark.parametrize(
    "img",
    [
        '<img src="https://example.org/chart.png" alt="">',
        '<img src="http://127.0.0.1:1/chart.png" alt="">',
        '<img src="//example.org/chart.png" alt="">',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
        '<img src="chart.png" alt="">',
        '<img src="/charts/trend.png" alt="">',
        '<img src="file:///etc/hostname" alt="">',
        '<img alt="без источника">',
        '<img src="cid:other@ruobr-auditor.local" alt="">',  # not an image of this message
        '<img src="cid:trend@ruobr-auditor.local" srcset="https://example.org/x.png 2x">',
        '<img src="cid:trend@ruobr-auditor.local" style="background: url(//example.org/x)">',
    ],
)
def test_a_mail_body_shows_only_images_of_its_own_message(img: str) -> None:
    with pytest.raises(ValueError, match=r"<img|url|outside"):
        mail_html(f"<html><body><p>Справка</p>{img}</body></html>",
                  cids={"trend@ruobr-auditor.local"})  # fmt: skip


def test_a_cid_image_of_the_message_is_allowed() -> None:
    html = mail_html(
        '<html><body><p>Справка</p><img src="cid:trend@ruobr-auditor.local" alt="График" '
        'width="696"></body></html>',
        cids={"trend@ruobr-auditor.local"},
    )
    assert '<img src="cid:trend@ruobr-auditor.local" alt="График" width="696"' in html
    with pytest.raises(ValueError, match="<img"):  # without the message's Content-IDs
        mail_html('<html><body><img src="cid:trend@ruobr-auditor.local"></body></html>')


def test_the_written_html_file_shows_the_charts_to_a_browser(tmp_path: Path) -> None:
    report = monthly_report()
    made = Rendered(report, Renderer())
    [html_path, text_path] = write_report(report, ["html"], tmp_path, made.renderer, NOW,
                                          rendered=made)  # fmt: skip
    html = html_path.read_text("utf-8")
    assert "cid:" not in html and "\n" not in html
    for png in monthly_charts().values():
        assert f'src="{png_uri(png)}"' in html
    assert text_path.read_text("utf-8") == made.mail.text
    # the mail itself still refers to its parts
    assert cid_sources(made.mail.html) == [image.cid for image in made.mail.images]
