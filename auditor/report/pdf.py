"""Printable reports: a rendered HTML page laid out as an A4 PDF by WeasyPrint.

The page model (margins, the running header, «Стр. N из M», tables whose header repeats on
every page, the «Копия верна» block) is ``report_templates/print.css``; its opening comment
lists the classes a template uses. A report fetches nothing: charts are embedded as
``data:`` URIs, and any other reference (``http:``, ``file:``, a relative path) stops the
rendering with :class:`ExternalResourceError`, so a report never reaches the network or
reads a file, and never goes out silently without a picture.

WeasyPrint is imported on first use: loading it takes about a second, and most commands
never print.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# WeasyPrint logs each layout step and page at INFO: two dozen lines per PDF under
# --log-level info. Its warnings (an unsupported CSS property) still come through.
_QUIET = ("weasyprint.progress",)


class ExternalResourceError(ValueError):
    """A report refers to something outside itself (a web address, a file): a template bug."""


def print_css() -> str:
    """The print stylesheet shipped with the templates (``report_templates/print.css``)."""
    return resources.files("report_templates").joinpath("print.css").read_text("utf-8")


def refuse_unless_data(url: str) -> None:
    """Raise :class:`ExternalResourceError` unless ``url`` is a ``data:`` URI."""
    if not url.strip().lower().startswith("data:"):
        raise ExternalResourceError(
            f"a report may embed only data: URIs, not {url[:80]!r}: put images in as base64 "
            "data: URIs (as the charts are) and styles in the stylesheet, never a link"
        )


def data_only_fetcher() -> URLFetcher:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and refuses everything else.

    Refusals are fatal (``fail_on_errors``): WeasyPrint would otherwise log a warning and
    print the page without the image.
    """
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]  # an untyped base class
        def fetch(self, url: str, headers: Any = None) -> Any:
            refuse_unless_data(url)
            return super().fetch(url, headers)

    fetcher: URLFetcher = DataOnlyFetcher(allowed_protocols=("data",), fail_on_errors=True)
    return fetcher


class _RelativeReferences(logging.Filter):
    """Collects the relative references WeasyPrint drops (it has no base URL to resolve
    them against, so it only logs an error and prints the page without them)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "Relative URI reference without a base URI" in message:
            self.found.append(message)
        return True


@contextmanager
def _refusing_relative_references() -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    references = _RelativeReferences()
    logger.addFilter(references)
    try:
        yield
    finally:
        logger.removeFilter(references)
    if references.found:
        more = f" (and {len(references.found) - 1} more)" if len(references.found) > 1 else ""
        raise ExternalResourceError(
            f"a report may embed only data: URIs, not relative references: "
            f"{references.found[0]}{more}"
        )


def quiet_weasyprint() -> None:
    """WeasyPrint's progress messages off; before its import, which already parses the
    default stylesheets."""
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def render_pdf(html: str, *, created: datetime | None = None) -> bytes:
    """``html`` (a whole rendered document) as PDF bytes, laid out by ``print.css``.

    ``created``, if given, is written as the PDF's creation and modification date; without
    it the file carries no date, so the same HTML always gives the same bytes.
    """
    quiet_weasyprint()
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = data_only_fetcher()
    try:
        with _refusing_relative_references():
            stylesheet = weasyprint.CSS(string=print_css(), url_fetcher=fetcher)
            page = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
            document = page.render(stylesheets=[stylesheet])
    except FatalURLFetchingError as err:  # a BaseException: never let it escape
        cause = err.__cause__
        if isinstance(cause, ExternalResourceError):
            raise ExternalResourceError(str(cause)) from None
        raise ExternalResourceError(f"{err}: {cause}") from None
    if created is not None:
        stamp = created.isoformat(timespec="seconds")
        document.metadata.created = document.metadata.modified = stamp
    pdf: bytes = document.write_pdf()
    return pdf
