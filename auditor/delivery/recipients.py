"""Who receives a report: by role, from the configured staff directory only.

Mail goes to nobody the directory does not list, whatever ЭШ 2.0 shows: the directory is
the institution's own decision of who reads what (clauses 1.7, 2.3, 2.4).
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.config import Person
from auditor.report.common import Audience, Kind, Report


def recipients(report: Report, directory: Sequence[Person]) -> list[Person]:
    """The people ``report`` goes to (possibly none: then it is only written as files)."""
    if report.kind in (Kind.DAILY, Kind.HEAD_MONTHLY):
        return [
            p for p in directory
            if p.role == "head" and p.department_id == report.department_id
        ]  # fmt: skip
    if report.kind is Kind.MONTHLY:
        return [p for p in directory if p.role == "deputy_director"]
    if report.kind is Kind.SETUP:
        role = "operator" if report.audience is Audience.OPERATOR else "deputy_director"
        return [p for p in directory if p.role == role]
    if report.kind is Kind.AUDIT:
        return [p for p in directory if p.role == "operator"]
    staff_id = getattr(report.body, "staff_id", None)  # a teacher's reminder
    return [p for p in directory if p.role == "teacher" and p.staff_id == staff_id]
