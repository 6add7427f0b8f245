"""The "changed layout" fault: the same page with different markup.

A site redesign breaks a scraper keyed to the old markup even though the data did not
change. This transform rewrites a rendered staff page so that every hook a parser may rely
on moves, while the text stays the same:

* every ``id`` is renamed (the main tables by :data:`RENAMED_IDS`, the rest get ``ui-``);
* every class is prefixed with ``ui-`` (``tr.lesson`` becomes ``tr.ui-lesson``);
* ``data-<thing>-id`` attributes lose the ``-id`` suffix (``data-lesson-id`` becomes
  ``data-lesson``); other data attributes stay;
* the cells of every table row come in reverse order (columns are reordered).

The ``<title>`` and the link targets stay, as they would on a real redesign.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

RENAMED_IDS = {
    "journal": "lessons-grid",
    "groups": "group-list",
    "students": "pupil-list",
    "staff": "employee-list",
    "schedule": "timetable",
    "departments": "divisions",
    "associations": "unions",
    "periods": "terms",
    "vacations": "holidays",
    "pagination": "pager",
    "main-menu": "sidebar",
}


def _rename_attributes(tag: Tag) -> None:
    element_id = tag.get("id")
    if isinstance(element_id, str):
        tag["id"] = RENAMED_IDS.get(element_id, f"ui-{element_id}")
    classes = tag.get("class")
    if classes:
        tag["class"] = " ".join(f"ui-{name}" for name in classes)
    for name in [a for a in tag.attrs if a.startswith("data-") and a.endswith("-id")]:
        tag[name.removesuffix("-id")] = tag.attrs.pop(name)


def _reverse_cells(row: Tag) -> None:
    cells = row.find_all(["td", "th"], recursive=False)
    cell_ids = {id(cell) for cell in cells}  # Tag equality is structural; identity is meant
    for child in list(row.children):
        if id(child) in cell_ids or (isinstance(child, NavigableString) and not child.strip()):
            child.extract()
    for cell in reversed(cells):
        row.append(cell)


def change_layout(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        _rename_attributes(tag)
    for table in soup.find_all("table"):
        for row in table.find_all("tr"):
            _reverse_cells(row)
    return str(soup)
