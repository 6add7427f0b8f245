"""Recording audits: the run and every finding it produced, in one transaction."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from auditor.contract.findings import STORED_FIELDS, AuditRecord
from auditor.store import schema


def _plain(value: Any) -> Any:
    """pandas scalars to what the database takes (NA to None, Timestamps to datetimes)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def record_audit(conn: Connection, audit: AuditRecord) -> int:
    findings = audit.findings
    inserted = conn.execute(
        insert(schema.audit_runs).values(
            judged_at=audit.judged_at,
            period_start=audit.start,
            period_end=audit.end,
            rules=",".join(audit.rules),
            findings=len(findings),
            errors="\n".join(audit.errors),
            params=json.dumps(dict(audit.params), ensure_ascii=False, sort_keys=True),
        )
    ).inserted_primary_key
    assert inserted is not None
    audit_id = int(inserted[0])
    rows = [
        {"audit_id": audit_id, **{f.name: _plain(getattr(row, f.name)) for f in STORED_FIELDS}}
        for row in findings.itertuples(index=False)
    ]
    for row in rows:
        row["item"] = row["item"] or ""
        row["evidence"] = row["evidence"] or ""
    if rows:
        conn.execute(insert(schema.audit_findings), rows)
    return audit_id


def prune_audits(conn: Connection, keep: int) -> int:
    """Keep the ``keep`` newest recorded audits (0: keep all); return how many went."""
    if keep <= 0:
        return 0
    runs = schema.audit_runs
    kept = select(runs.c.id).order_by(runs.c.id.desc()).limit(keep).scalar_subquery()
    old = [row[0] for row in conn.execute(select(runs.c.id).where(runs.c.id.not_in(kept)))]
    if old:
        conn.execute(delete(schema.audit_findings).where(schema.audit_findings.c.audit_id.in_(old)))
        conn.execute(delete(runs).where(runs.c.id.in_(old)))
    return len(old)


def audit_count(conn: Connection) -> int:
    return len(conn.execute(select(schema.audit_runs.c.id)).all())
