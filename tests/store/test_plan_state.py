"""What the incremental planner learns from earlier runs."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from auditor.store import SqlStore
from tests.store.builders import DAY, at, filled, institution, lesson, own_page, page, snapshot

NOW = at("2025-09-11", "08:00")


def test_an_empty_store_knows_nothing(store: SqlStore) -> None:
    state = store.plan_state(NOW)
    assert state.last_run_at is None
    assert (state.group_ids, state.schedule, state.open_months) == ((), (), ())
    assert (state.year_start, state.year_end) == (None, None)


def test_institution_and_last_run(store: SqlStore) -> None:
    sync = snapshot(institution=institution(at(DAY, "08:00")))
    store.record(sync)
    state = store.plan_state(NOW)
    assert state.last_run_at == sync.finished_at
    assert state.group_ids == (1, 2)
    assert state.schedule == ((1, 2, time(15, 0)), (2, 4, time(16, 0)))
    assert (state.year_start, state.year_end) == (date(2025, 9, 1), date(2026, 5, 31))


def test_open_months_hold_due_lessons_with_an_empty_entry(store: SqlStore) -> None:
    shown = [
        filled(1),  # done
        lesson(2, group_id=2, topic="Есть"),  # no attendance yet: open
        lesson(3, group_id=3, cancelled=True),  # not applicable
        filled(4, group_id=4, completed=None),  # completion not visible: not judged
        lesson(5, group_id=5, day=date(2025, 9, 20)),  # not due yet
        lesson(6, group_id=6, day=date(2025, 8, 29)),  # August: open
        lesson(7, group_id=7),  # open
    ]
    store.record(snapshot(*(own_page(at(DAY, "23:30"), seen) for seen in shown)))
    assert store.plan_state(NOW).open_months == ((2, "2025-09"), (6, "2025-08"), (7, "2025-09"))

    # Lesson 7 is deleted from its page, lesson 2 gets its attendance: both close.
    store.record(
        snapshot(
            page(at(DAY, "23:50"), group_id=7),
            page(at(DAY, "23:50"), filled(2, group_id=2), group_id=2),
        )
    )
    assert store.plan_state(NOW).open_months == ((6, "2025-08"),)
    # "Due" is judged by the date of ``now``: on 2025-09-20 lesson 5 is due too.
    assert store.plan_state(at("2025-09-20", "09:00")).open_months == (
        (5, "2025-09"),
        (6, "2025-08"),
    )


def test_a_substitute_without_its_mark_keeps_the_month_open(store: SqlStore) -> None:
    store.record(snapshot(institution=institution(at(DAY, "08:00"))))  # group 1: teacher 100
    substitute = filled(1, teacher_id=101)
    store.record(snapshot(page(at(DAY, "23:30"), substitute, filled(2))))
    assert store.plan_state(NOW).open_months == ((1, "2025-09"),)
    store.record(snapshot(page(at(DAY, "23:50"), filled(1, teacher_id=101, substitution=True))))
    assert store.plan_state(NOW).open_months == ()


def test_the_planner_reads_the_open_intervals_not_the_whole_history(
    store: SqlStore, store_path: Path
) -> None:
    store.record(snapshot(page(at(DAY, "23:30"), lesson(1), filled(2))))
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, params: Any, *_rest: Any) -> None:
        if "field_intervals" in sql:
            statements.append((sql, params))

    engine = store._engine  # the SQL the store sends, to ask SQLite how it runs it
    event.listen(engine, "before_cursor_execute", keep)
    try:
        store.plan_state(NOW)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    conn = sqlite3.connect(store_path)
    try:
        plans = [
            " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in statements
        ]
    finally:
        conn.close()
    assert len(plans) == 2  # open entries, unmarked substitutions
    for plan in plans:
        assert "USING INDEX ix_field_intervals_open" in plan, plan
        assert "SCAN" not in plan.replace("SCALAR SUBQUERY", ""), plan
