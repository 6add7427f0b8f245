"""Builds a store file as schema version 1 wrote it, from its literal DDL (no package code).

Version 1 is the first released schema; version 2 added ``lessons.month`` and the index
``ix_lessons_group_month``. The DDL below is what version 1 created in SQLite, so that the
migration test exercises the real upgrade path, not today's code pretending to be old.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

V1_DDL = """
CREATE TABLE meta ("key" VARCHAR(64) NOT NULL, value VARCHAR(200) NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE runs (
    id INTEGER NOT NULL, started_at DATETIME NOT NULL, finished_at DATETIME NOT NULL,
    kind VARCHAR(16) NOT NULL, source VARCHAR(500) NOT NULL, pages INTEGER NOT NULL,
    requests INTEGER NOT NULL, bytes BIGINT NOT NULL, retries INTEGER NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE departments (
    id INTEGER NOT NULL, name TEXT NOT NULL, kind VARCHAR(32) NOT NULL, head_id INTEGER,
    present BOOLEAN NOT NULL, first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE associations (
    id INTEGER NOT NULL, name TEXT NOT NULL, department_id INTEGER NOT NULL,
    present BOOLEAN NOT NULL, first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE study_groups (
    id INTEGER NOT NULL, name TEXT NOT NULL, association_id INTEGER NOT NULL,
    department_id INTEGER, teacher_id INTEGER NOT NULL, year_of_study INTEGER NOT NULL,
    present BOOLEAN NOT NULL, first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE staff (
    id INTEGER NOT NULL, full_name TEXT NOT NULL, position TEXT NOT NULL,
    department_id INTEGER, roles TEXT NOT NULL, has_account BOOLEAN NOT NULL,
    rights_roles TEXT NOT NULL, journal_group_ids TEXT NOT NULL, present BOOLEAN NOT NULL,
    first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE students (
    id INTEGER NOT NULL, full_name TEXT NOT NULL, group_ids TEXT NOT NULL,
    has_birth_date BOOLEAN NOT NULL, has_address BOOLEAN NOT NULL, has_phone BOOLEAN NOT NULL,
    has_email BOOLEAN NOT NULL, parent_count INTEGER NOT NULL,
    parents_with_account INTEGER NOT NULL, present BOOLEAN NOT NULL,
    first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE schedule_slots (
    group_id INTEGER NOT NULL, weekday INTEGER NOT NULL, start_time TIME NOT NULL,
    end_time TIME NOT NULL, present BOOLEAN NOT NULL, first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL, PRIMARY KEY (group_id, weekday, start_time));
CREATE TABLE setup (
    id INTEGER NOT NULL, year_configured BOOLEAN NOT NULL, year_start DATE, year_end DATE,
    vacations TEXT NOT NULL, notifications_configured BOOLEAN NOT NULL,
    first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE page_reads (
    id INTEGER NOT NULL, run_id INTEGER NOT NULL, group_id INTEGER NOT NULL,
    month VARCHAR(7) NOT NULL, observed_at DATETIME NOT NULL, lesson_count INTEGER NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(run_id) REFERENCES runs (id));
CREATE INDEX ix_page_reads_run ON page_reads (run_id);
CREATE INDEX ix_page_reads_page ON page_reads (group_id, month, observed_at);
CREATE TABLE lessons (
    lesson_id INTEGER NOT NULL, group_id INTEGER NOT NULL, date DATE NOT NULL,
    start_time TIME NOT NULL, end_time TIME NOT NULL, first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL, first_run_id INTEGER NOT NULL, last_run_id INTEGER NOT NULL,
    PRIMARY KEY (lesson_id), FOREIGN KEY(first_run_id) REFERENCES runs (id),
    FOREIGN KEY(last_run_id) REFERENCES runs (id));
CREATE INDEX ix_lessons_date ON lessons (date);
CREATE TABLE facts (
    id INTEGER NOT NULL, kind VARCHAR(16) NOT NULL, entity VARCHAR(64) NOT NULL,
    fact VARCHAR(32) NOT NULL, value TEXT NOT NULL, first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL, first_run_id INTEGER NOT NULL, last_run_id INTEGER NOT NULL,
    latest BOOLEAN NOT NULL, PRIMARY KEY (id), FOREIGN KEY(first_run_id) REFERENCES runs (id),
    FOREIGN KEY(last_run_id) REFERENCES runs (id));
CREATE INDEX ix_facts_entity ON facts (kind, entity, fact, first_seen_at);
CREATE UNIQUE INDEX ux_facts_latest ON facts (kind, entity, fact) WHERE latest;
CREATE TABLE field_intervals (
    id INTEGER NOT NULL, lesson_id INTEGER NOT NULL, field VARCHAR(16) NOT NULL,
    filled BOOLEAN NOT NULL, value TEXT NOT NULL, first_seen_at DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL, first_run_id INTEGER NOT NULL, last_run_id INTEGER NOT NULL,
    latest BOOLEAN NOT NULL, PRIMARY KEY (id),
    FOREIGN KEY(lesson_id) REFERENCES lessons (lesson_id),
    FOREIGN KEY(first_run_id) REFERENCES runs (id), FOREIGN KEY(last_run_id) REFERENCES runs (id));
CREATE UNIQUE INDEX ux_field_intervals_latest ON field_intervals (lesson_id, field) WHERE latest;
CREATE INDEX ix_field_intervals_lesson ON field_intervals (lesson_id, field, first_seen_at);
"""

# One sync of 2025-09-10 23:30 Kemerovo (16:30 UTC): lesson 7 of group 3, topic entered.
V1_ROWS = """
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO runs VALUES (1, '2025-09-10 16:29:00.000000', '2025-09-10 16:31:00.000000',
    'daily', 'https://ruobr.example', 1, 3, 5120, 0);
INSERT INTO page_reads VALUES (1, 1, 3, '2025-09', '2025-09-10 16:30:00.000000', 1);
INSERT INTO lessons VALUES (7, 3, '2025-09-10', '15:00:00.000000', '15:45:00.000000',
    '2025-09-10 16:30:00.000000', '2025-09-10 16:30:00.000000', 1, 1);
INSERT INTO field_intervals VALUES
    (1, 7, 'present', 1, 'true', '2025-09-10 16:30:00.000000', '2025-09-10 16:30:00.000000', 1, 1, 1),
    (2, 7, 'teacher', 1, '100', '2025-09-10 16:30:00.000000', '2025-09-10 16:30:00.000000', 1, 1, 1),
    (3, 7, 'cancelled', 0, 'false', '2025-09-10 16:30:00.000000', '2025-09-10 16:30:00.000000', 1, 1, 1),
    (4, 7, 'topic', 1, 'Сборка', '2025-09-10 16:30:00.000000', '2025-09-10 16:30:00.000000', 1, 1, 1),
    (5, 7, 'attendance', 0, 'false', '2025-09-10 16:30:00.000000', '2025-09-10 16:30:00.000000', 1, 1, 1);
"""  # noqa: E501


def make_v1_store(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(V1_DDL + V1_ROWS)
        conn.commit()
    finally:
        conn.close()
