"""A prepared report written in the formats asked for: HTML (mail-ready, with its
plain-text alternative), PDF, XLSX, and the findings contract's CSV and JSON.

The mail body is HTML, its plain-text alternative, and the charts it shows inline: image
parts of the message that ``<img src="cid:…">`` refers to. The ``.html`` file written for a
browser is the same body with each ``cid:`` reference replaced by the image's ``data:``
URI (a browser cannot resolve a Content-ID outside a message): it shows what the mail shows.

Every file is created owner-only (0600): reports name staff, the operator's name pupils.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from auditor.report.common import Report
from auditor.report.files import write_private
from auditor.report.machine import Meta
from auditor.report.render import ArchiveMark, Renderer, content_id, png_uri

T = TypeVar("T")
FORMATS = ("html", "pdf", "xlsx", "csv", "json")
# A mail body stays small: the lists are cut to reports.mail_rows; this is the backstop.
MAIL_MAX_BYTES = 150_000


@dataclass(frozen=True, slots=True)
class InlineImage:
    """A picture of the mail body: an image part of the message, shown where the HTML says
    ``<img src="cid:{cid}">``."""

    cid: str  # RFC 2392, without angle brackets: the part's Content-ID is f"<{cid}>"
    filename: str  # what a client offers to save it as: «monthly-2025-09-trend.png»
    png: bytes


@dataclass(frozen=True, slots=True)
class MailBody:
    """A report as a mail body: inlined HTML on one line, its plain-text alternative, and
    the images the HTML shows (in the order it shows them; none: a plain alternative)."""

    html: str
    text: str
    images: tuple[InlineImage, ...] = ()

    def standalone_html(self) -> str:
        """The HTML for a browser, outside any message: each image as a ``data:`` URI."""
        html = self.html
        for image in self.images:
            html = html.replace(f'src="cid:{image.cid}"', f'src="{png_uri(image.png)}"')
        return html


def mail_body(report: Report, renderer: Renderer) -> MailBody:
    """The mail body of ``report``: its charts inline by Content-ID, when the template shows
    them in a mail (the mail's HTML refers to exactly the images it carries)."""
    from auditor.report.mail import cid_references, mail_html, plain_text

    images = {
        content_id(report.stem, name): InlineImage(
            content_id(report.stem, name), f"{report.stem}-{name}.png", png
        )
        for name, png in report.charts.items()
    }
    html = mail_html(renderer.html(report, "mail"), max_bytes=MAIL_MAX_BYTES, cids=images)
    shown = tuple(images[cid] for cid in cid_references(html))
    return MailBody(html, plain_text(html), shown)


def pdf_bytes(report: Report, renderer: Renderer, archived: ArchiveMark | None = None) -> bytes:
    """The printable copy; ``archived``: certified from that archive entry (clause 3.2)."""
    from auditor.report.pdf import render_pdf

    data: bytes = render_pdf(renderer.html(report, "print", archived))
    return data


def xlsx_bytes(report: Report) -> bytes:
    from auditor.report.workbook import write_workbook

    out = io.BytesIO()
    write_workbook(report.workbook, out)
    return out.getvalue()


def machine_bytes(report: Report, fmt: str, institution: str, generated_at: datetime) -> bytes:
    """The findings the reader may see, in the contract's codes (CSV or JSON)."""
    from auditor.report import export

    meta = Meta(institution, generated_at.tzinfo, generated_at)  # type: ignore[arg-type]
    out = io.BytesIO()
    export.FILE_FORMATS[fmt](report.audit, report.findings, meta, out)
    return out.getvalue()


class Rendered:
    """One report's formats for people, each rendered at most once: the files written and
    the mails sent of one report share them (a PDF takes a good part of a second)."""

    def __init__(self, report: Report, renderer: Renderer) -> None:
        self.report = report
        self.renderer = renderer
        self._made: dict[str, object] = {}

    def _once(self, name: str, make: Callable[[], T]) -> T:
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]  # type: ignore[return-value]

    @property
    def mail(self) -> MailBody:
        """The mail body: inlined HTML on one line, its plain-text alternative, its images."""
        return self._once("mail", lambda: mail_body(self.report, self.renderer))

    @property
    def pdf(self) -> bytes:
        return self._once("pdf", lambda: pdf_bytes(self.report, self.renderer))

    @property
    def xlsx(self) -> bytes:
        return self._once("xlsx", lambda: xlsx_bytes(self.report))


def write_report(
    report: Report,
    formats: Sequence[str],
    out_dir: Path,
    renderer: Renderer,
    generated_at: datetime,
    *,
    rendered: Rendered | None = None,
) -> list[Path]:
    """Write ``report`` as each format into ``out_dir``; the paths written, in order.
    ``rendered``: the formats already rendered for it (by a mail of the same report)."""
    made = rendered or Rendered(report, renderer)
    written = []
    for fmt in formats:
        path = out_dir / f"{report.stem}.{fmt}"
        if fmt == "html":  # the mail body, its images as data: URIs for a browser
            write_private(path, made.mail.standalone_html().encode("utf-8"))
            written.append(path)
            path = out_dir / f"{report.stem}.txt"
            data = made.mail.text.encode("utf-8")
        elif fmt == "pdf":
            data = made.pdf
        elif fmt == "xlsx":
            data = made.xlsx
        else:
            data = machine_bytes(report, fmt, report.heading.institution, generated_at)
        write_private(path, data)
        written.append(path)
    return written
