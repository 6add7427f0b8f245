"""Jinja2 rendering of the staff web app's templates (``templates/staff/``).

Autoescape is on and undefined names fail loudly (StrictUndefined): a template that refers to
a missing context key is a bug in the simulator, not an empty cell on a page.

Table rows are most of every big page (100 pupils a page, a month of lessons), and most of
them look the same from one poll to the next. So a page hands its rows over as :class:`Rows`
(keys, no HTML): each row is rendered by its macro in ``rows.html`` and the HTML is kept by
its key. The key holds everything the row shows that depends on the served moment or the
viewer, so a kept row is byte for byte what rendering it again would give.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

# Rendered rows kept per simulator. Distinct keys are bounded by the dataset (each lesson or
# pupil has a few states over a year), so this is a safety cap, not a working set.
ROW_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Rows:
    """Table rows for a template: each rendered by ``macro`` of ``rows.html``, then kept.

    ``keys`` are immutable and hashable; ``build`` turns a key into the macro's argument (by
    default the key is the argument). A row's HTML is kept by (macro, key), so the key must
    determine the row: ``build`` may read the key and the immutable dataset, nothing else.
    The template receives the rows as one piece of markup, false when there are none.
    """

    macro: str
    keys: Sequence[Hashable]
    build: Callable[[Any], object] | None = None


class SafeHtml:
    """Markup for a template, handed over without a copy.

    Jinja passes what it outputs through ``markupsafe.escape``, which copies a ``Markup``
    into a new ``Markup``; for Cyrillic text that copy costs ~2 ns a character (0.2 ms for a
    page of pupils). An object whose ``__html__`` returns a plain ``str`` is copied in ~3 µs.
    """

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __html__(self) -> str:
        return self._text

    def __bool__(self) -> bool:
        return bool(self._text)


class Renderer:
    def __init__(self) -> None:
        self._env = Environment(
            loader=PackageLoader("auditor.simulator", "templates/staff"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # The templates are package data and never change while a simulator runs;
            # reloading would cost a stat() of each template on every page.
            auto_reload=False,
        )
        self._macros = self._env.get_template("rows.html").module
        self._kept: dict[tuple[str, Hashable], str] = {}
        self._lock = threading.Lock()  # server threads share the kept rows

    def render(self, template: str, context: dict[str, object]) -> str:
        values = {k: self.rows(v) if isinstance(v, Rows) else v for k, v in context.items()}
        return self._env.get_template(template).render(values)

    def rows(self, rows: Rows) -> SafeHtml:
        kept, macro = self._kept, rows.macro
        pieces = []
        for key in rows.keys:
            html = kept.get((macro, key))
            if html is None:
                html = self._render_row(rows, key)
            pieces.append(html)
        # Each piece came out of an autoescaping macro, so the whole is safe markup.
        return SafeHtml("".join(pieces))

    def _render_row(self, rows: Rows, key: Hashable) -> str:
        render: Any = getattr(self._macros, rows.macro)
        html = str(render(key if rows.build is None else rows.build(key)))
        with self._lock:
            if len(self._kept) >= ROW_CACHE_SIZE:
                self._kept.clear()
            self._kept[(rows.macro, key)] = html
        return html
