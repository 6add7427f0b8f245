"""Jinja2 rendering of the staff web app's templates (``templates/staff/``).

Autoescape is on and undefined names fail loudly (StrictUndefined): a template that refers to
a missing context key is a bug in the simulator, not an empty cell on a page.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


class Renderer:
    def __init__(self) -> None:
        self._env = Environment(
            loader=PackageLoader("auditor.simulator", "templates/staff"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, template: str, context: dict[str, object]) -> str:
        return self._env.get_template(template).render(context)
