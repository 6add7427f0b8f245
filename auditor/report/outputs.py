"""A prepared report written in the formats asked for: HTML (mail-ready, with its
plain-text alternative), PDF, XLSX, and the findings contract's CSV and JSON.

Every file is created owner-only (0600): reports name staff, the operator's name pupils.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from auditor.report.common import Report
from auditor.report.files import write_private
from auditor.report.machine import Meta
from auditor.report.render import Renderer

T = TypeVar("T")
FORMATS = ("html", "pdf", "xlsx", "csv", "json")
# A mail body stays small: the lists are cut to reports.mail_rows; this is the backstop.
MAIL_MAX_BYTES = 150_000


def mail_parts(report: Report, renderer: Renderer) -> tuple[str, str]:
    """The mail body: inlined HTML without newlines, and its plain-text alternative."""
    from auditor.report.mail import mail_html, plain_text

    html = mail_html(renderer.html(report, "mail"), max_bytes=MAIL_MAX_BYTES)
    return html, plain_text(html)


def pdf_bytes(report: Report, renderer: Renderer) -> bytes:
    from auditor.report.pdf import render_pdf

    data: bytes = render_pdf(renderer.html(report, "print"))
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
    def mail(self) -> tuple[str, str]:
        """The mail body (inlined HTML on one line) and its plain-text alternative."""
        return self._once("mail", lambda: mail_parts(self.report, self.renderer))

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
        if fmt == "html":
            html, text = made.mail
            write_private(path, html.encode("utf-8"))
            written.append(path)
            path = out_dir / f"{report.stem}.txt"
            data = text.encode("utf-8")
        elif fmt == "pdf":
            data = made.pdf
        elif fmt == "xlsx":
            data = made.xlsx
        else:
            data = machine_bytes(report, fmt, report.heading.institution, generated_at)
        write_private(path, data)
        written.append(path)
    return written
