"""Reports to HTML through the Jinja2 templates of ``report_templates/``.

The templates lay out a prepared :class:`~auditor.report.common.Report` and compute
nothing: every figure is in the report already. Autoescape is on for every template (a topic
or a name is whatever someone typed into ЭШ 2.0) and an undefined name is an error, not an
empty string. Two media share one body template: ``mail`` (bounded lists, no images;
``mail.css`` is inlined by :func:`auditor.report.mail.mail_html`) and ``print`` (full
lists, charts, the page model of ``print.css``).
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from importlib import resources
from typing import Any, Literal

import jinja2

from auditor.report.common import Report
from auditor.report.document import Cell, ColumnKind
from auditor.russian import BREACHES, DAYS, LESSONS, Forms, count, long_date, short_moment

Medium = Literal["mail", "print"]
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
        self.env.filters.update(
            cell=cell, percent=percent, plural=plural, long_date=long_date, png_uri=png_uri
        )

    def html(self, report: Report, medium: Medium) -> str:
        template = self.env.get_template(report.template)
        context: dict[str, Any] = {
            "r": report,
            "h": report.heading,
            "b": report.body,
            "medium": medium,
            "layout": f"_{medium}.html",
            # Lists in a mail body stop here (the XLSX attachment has them whole).
            "limit": self.mail_rows if medium == "mail" else None,
            "charts": report.charts if medium == "print" else {},
        }
        return template.render(context)
