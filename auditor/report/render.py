"""Reports to HTML through the Jinja2 templates of ``report_templates/``.

The templates lay out a prepared :class:`~auditor.report.common.Report` and compute
nothing: every figure is in the report already. Autoescape is on for every template (a topic
or a name is whatever someone typed into ЭШ 2.0) and an undefined name is an error, not an
empty string. Two media share one body template: ``mail`` (bounded lists, the charts as
``cid:`` references to image parts of the message, sized for a mail column; ``mail.css`` is
inlined by :func:`auditor.report.mail.mail_html`) and ``print`` (full lists, the charts as
``data:`` URIs, the page model of ``print.css``).
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any, Literal

import jinja2

from auditor.report.common import Report
from auditor.report.document import Cell, ColumnKind
from auditor.russian import BREACHES, DAYS, LESSONS, Forms, count, long_date, short_moment

Medium = Literal["mail", "print"]


@dataclass(frozen=True, slots=True)
class ArchiveMark:
    """The archive entry a certified copy comes from (``auditor archive certify``)."""

    entry: str  # «000003-month-2025-09»
    manifest_sha256: str  # the SHA-256 of the entry's manifest.json (what verify checks)


FORMS: dict[str, Forms] = {"breaches": BREACHES, "days": DAYS, "lessons": LESSONS}


def percent(share: float | None) -> str:
    """«87,5 %» (a Russian decimal comma; a dash where there is no denominator)."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"


def cell(value: Cell, kind: str = ColumnKind.TEXT.value) -> str:
    """One table cell as text; the template's autoescape escapes it."""
    if value is None:
        return ""
    if kind == ColumnKind.PERCENT and isinstance(value, float):
        return percent(value)
    if isinstance(value, datetime):
        return short_moment(value)
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def plural(number: int, forms: str) -> str:
    return count(number, FORMS[forms])


def png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# The domain of the charts' Content-IDs: the same whoever sends the mail, since one body
# is rendered for every reader (and for the written file).
CID_DOMAIN = "ruobr-auditor.local"
MAIL_IMAGE_WIDTH = 696  # CSS px: the 720 px column of mail.css less its padding
_NOT_ATOM = re.compile(r"[^A-Za-z0-9-]+")


def content_id(stem: str, chart: str) -> str:
    """The Content-ID (RFC 2392, without its angle brackets) of a report's chart in a mail:
    ``trend.monthly-2025-09@ruobr-auditor.local``, the same for the same report each time,
    one per chart. A ``cid:`` URL and an addr-spec at once: only letters, digits, ``-`` and
    dots, so it needs neither quoting nor URL encoding."""
    return f"{_NOT_ATOM.sub('-', chart)}.{_NOT_ATOM.sub('-', stem)}@{CID_DOMAIN}"


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


@dataclass(frozen=True, slots=True)
class Picture:
    """A chart as a template places it: its source, and in a mail its size in CSS px (the
    width of the mail column, the height keeping the aspect ratio; mail.css lets it shrink
    on a narrow screen). In print the stylesheet sizes it: no size here."""

    src: str
    width: int | None = None
    height: int | None = None


def pictures(report: Report, medium: Medium) -> dict[str, Picture]:
    """The report's charts as the ``medium`` refers to them: ``data:`` URIs in print,
    ``cid:`` URLs (:func:`content_id`) in a mail."""
    if medium == "print":
        return {name: Picture(png_uri(png)) for name, png in report.charts.items()}
    out = {}
    for name, png in report.charts.items():
        width, height = png_size(png)
        shown = min(width, MAIL_IMAGE_WIDTH)
        out[name] = Picture(
            "cid:" + content_id(report.stem, name), shown, round(height * shown / width)
        )
    return out


class Renderer:
    """One Jinja2 environment (templates compiled once) for every report of a process."""

    def __init__(self, mail_rows: int = 15) -> None:
        self.mail_rows = mail_rows  # rows of a list in a mail body (reports.mail_rows)
        root = resources.files("report_templates")
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(root)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(cell=cell, percent=percent, plural=plural, long_date=long_date)

    def html(self, report: Report, medium: Medium, archived: ArchiveMark | None = None) -> str:
        """``archived``: the archive entry a certified print copy is made from (clause 3.2):
        its name and manifest hash are printed on every page."""
        template = self.env.get_template(report.template)
        context: dict[str, Any] = {
            "r": report,
            "h": report.heading,
            "b": report.body,
            "medium": medium,
            "layout": f"_{medium}.html",
            # Lists in a mail body stop here (the XLSX attachment has them whole).
            "limit": self.mail_rows if medium == "mail" else None,
            "charts": pictures(report, medium),
            "archived": archived,
        }
        return template.render(context)
