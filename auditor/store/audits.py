"""Recording audits: the run and every finding it produced, in one transaction."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from auditor.contract.findings import DTYPES as FINDING_DTYPES
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


def recorded_audits(conn: Connection) -> list[tuple[int, AuditRecord]]:
    """Every recorded audit, oldest first, without its findings (an empty frame)."""
    runs = schema.audit_runs
    found = []
    for row in conn.execute(select(runs).order_by(runs.c.id)).mappings():
        found.append((int(row["id"]), _record(row, _findings([]))))
    return found


def recorded_audit(conn: Connection, audit_id: int) -> AuditRecord | None:
    """One recorded audit with its findings (the stored fields of the contract)."""
    runs, table = schema.audit_runs, schema.audit_findings
    row = conn.execute(select(runs).where(runs.c.id == audit_id)).mappings().first()
    if row is None:
        return None
    columns = [table.c[f.name] for f in STORED_FIELDS]
    query = select(*columns).where(table.c.audit_id == audit_id).order_by(table.c.id)
    return _record(row, _findings([tuple(r) for r in conn.execute(query)]))


def _record(row: Any, findings: pd.DataFrame) -> AuditRecord:
    return AuditRecord(
        judged_at=row["judged_at"],
        start=row["period_start"],
        end=row["period_end"],
        rules=tuple(filter(None, str(row["rules"]).split(","))),
        errors=tuple(filter(None, str(row["errors"]).split("\n"))),
        findings=findings,
        params=json.loads(row["params"] or "{}"),
    )


def _findings(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[f.name for f in STORED_FIELDS], dtype=object)
    data = {}
    for f in STORED_FIELDS:
        values = frame[f.name]
        if f.kind == "moment":
            data[f.name] = pd.Series(pd.to_datetime(values, utc=True), dtype=FINDING_DTYPES[f.kind])
        elif f.kind == "date":
            data[f.name] = pd.Series(pd.to_datetime(values), dtype=FINDING_DTYPES[f.kind])
        else:
            data[f.name] = values.astype(FINDING_DTYPES[f.kind])
    return pd.DataFrame(data, columns=[f.name for f in STORED_FIELDS])
