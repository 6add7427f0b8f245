"""Loading the rule engine's input from the store: the frames of :mod:`auditor.contract.frames`.

One query per stored frame, all in one read transaction (a consistent view even while a
sync writes). Every column has an explicit dtype, also when a frame is empty, so rules can
rely on ``.dt`` and comparisons. docs/store.md documents every column; keep them in step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, and_, func, select

from auditor.contract.frames import SPECS, Frames, typed
from auditor.contract.values import PRESENT, TRUE
from auditor.store import schema


def load_frames(conn: Connection, start: date, end: date) -> Frames:
    frames = {
        name: typed(conn.execute(query).all(), SPECS[name])
        for name, query in _queries(start, end).items()
    }
    return Frames(
        start=start,
        end=end,
        student_groups=_links(frames["students"], "student_id", "group_ids", "student_groups"),
        staff_groups=_links(frames["staff"], "staff_id", "journal_group_ids", "staff_groups"),
        **frames,
    )


def _queries(start: date, end: date) -> dict[str, Select[Any]]:
    s = schema
    lessons, iv = s.lessons, s.field_intervals
    in_period = and_(lessons.c.date >= start, lessons.c.date <= end)
    present = iv.alias("present")
    months = (start.strftime("%Y-%m"), end.strftime("%Y-%m"))
    return {
        "lessons": select(
            *(lessons.c[name] for name in SPECS["lessons"] if name != "present"),
            # "present" (last in the spec): the lesson's latest presence observation.
            func.coalesce(present.c.value, "") == TRUE,
        )
        .outerjoin(
            present,
            and_(
                present.c.lesson_id == lessons.c.lesson_id,
                present.c.latest,
                present.c.field == PRESENT,
            ),
        )
        .where(in_period)
        .order_by(lessons.c.lesson_id),
        "field_intervals": select(*_columns(iv, SPECS["field_intervals"], id_as="interval_id"))
        .join(lessons, lessons.c.lesson_id == iv.c.lesson_id)
        .where(in_period)
        .order_by(iv.c.lesson_id, iv.c.field, iv.c.first_seen_at, iv.c.id),
        "page_reads": select(*_columns(s.page_reads, SPECS["page_reads"], id_as="read_id"))
        .where(s.page_reads.c.month >= months[0], s.page_reads.c.month <= months[1])
        .order_by(s.page_reads.c.group_id, s.page_reads.c.month, s.page_reads.c.observed_at),
        "runs": select(*_columns(s.runs, SPECS["runs"], id_as="run_id")).order_by(s.runs.c.id),
        "departments": _current(s.departments, "departments", "department_id"),
        "associations": _current(s.associations, "associations", "association_id"),
        "groups": _current(s.study_groups, "groups", "group_id"),
        "staff": _current(s.staff, "staff", "staff_id"),
        "students": _current(s.students, "students", "student_id"),
        "schedule": select(*(s.schedule_slots.c[n] for n in SPECS["schedule"])).order_by(
            *s.schedule_slots.primary_key.columns
        ),
        "setup": select(*(s.setup.c[n] for n in SPECS["setup"])),
        "facts": select(*_columns(s.facts, SPECS["facts"], id_as="interval_id")).order_by(
            s.facts.c.kind, s.facts.c.entity, s.facts.c.fact, s.facts.c.first_seen_at
        ),
    }


def _columns(table: Any, spec: dict[str, str], *, id_as: str) -> list[Any]:
    return [table.c.id.label(id_as) if name == id_as else table.c[name] for name in spec]


def _current(table: Any, name: str, id_as: str) -> Select[Any]:
    return select(*_columns(table, SPECS[name], id_as=id_as)).order_by(table.c.id)


def _links(frame: pd.DataFrame, owner: str, ids: str, name: str) -> pd.DataFrame:
    """One row per (owner, group) from a comma-separated id column."""
    pairs = [
        (int(key), int(group))
        for key, text in zip(frame[owner], frame[ids], strict=True)
        if isinstance(text, str) and text
        for group in text.split(",")
    ]
    return typed(pairs, SPECS[name])
