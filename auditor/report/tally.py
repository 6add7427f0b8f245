"""How each lesson due in a period was entered: the figures behind every report's shares.

The rules report only what offends (late, missing, cannot prove); a share needs the lessons
that were fine too. A lesson is due once its deadline (00:00 local after its day) has
passed and it was held (not cancelled). Its entry status is its topic's (clause 1.12: the
topic is what the teacher enters "по факту в день проведения"; a row entered late has its
topic first seen late too): the topic rule's finding where there is one, on time where there
is none. A scheduled lesson never entered at all (no row in the journal) is due and missing.
Attendance and substitution are counted apart, per teacher.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from auditor.contract.findings import Status
from auditor.lazy import pandas as pd
from auditor.report.document import Shares

if TYPE_CHECKING:
    from auditor.audit.engine import AuditResult

TOPIC_RULE = "lesson-topic-same-day"
SCHEDULED_RULE = "scheduled-lesson-entered"
ATTENDANCE_RULE = "lesson-attendance-same-day"
SUBSTITUTION_RULE = "substitution-marked"
ENTRY_STATUSES = (Status.ON_TIME, Status.LATE, Status.MISSING, Status.CANNOT_PROVE)
ENTRY_COLUMNS = ("lesson_id", "group_id", "teacher_id", "department_id", "date", "month", "status")


def shares_known(result: AuditResult) -> bool:
    """Shares need the topic rule's judgement of every due lesson."""
    return result.due_lessons is not None and any(
        rule["id"] == TOPIC_RULE for rule in result.rules_run
    )


def entries(result: AuditResult) -> pd.DataFrame:
    """One row per due lesson (``ENTRY_COLUMNS``); ``month`` is "YYYY-MM" of its date."""
    if result.due_lessons is None or result.frames is None:
        raise ValueError("the audit was not run by auditor.audit.runner (no due lessons)")
    findings = result.findings
    topic = findings[findings["rule_id"] == TOPIC_RULE]
    status_of = topic.drop_duplicates("lesson_id").set_index("lesson_id")["status"]
    due = result.due_lessons.copy()
    due["status"] = (
        due["lesson_id"].map(status_of).astype(object).fillna(Status.ON_TIME.value).astype("str")
    )
    scheduled = findings[
        (findings["rule_id"] == SCHEDULED_RULE)
        & findings["lesson_id"].isna()
        & (findings["status"] == Status.MISSING.value)
    ]
    never_entered = pd.DataFrame(
        {
            "lesson_id": scheduled["lesson_id"].astype("Int64"),
            "group_id": scheduled["group_id"].astype("int64"),
            "teacher_id": scheduled["teacher_id"].astype("Int64"),
            "date": scheduled["lesson_date"],
            "status": Status.MISSING.value,
        }
    )
    due["lesson_id"] = due["lesson_id"].astype("Int64")
    due["teacher_id"] = due["teacher_id"].astype("Int64")
    rows = pd.concat([due, never_entered], ignore_index=True) if len(never_entered) else due
    groups = result.frames.groups.set_index("group_id")
    rows["department_id"] = rows["group_id"].map(groups["department_id"]).astype("Int64")
    # A lesson whose teacher is unknown counts for the group's assigned teacher.
    rows["teacher_id"] = rows["teacher_id"].fillna(
        rows["group_id"].map(groups["teacher_id"]).astype("Int64")
    )
    rows["date"] = pd.to_datetime(rows["date"])
    rows["month"] = rows["date"].dt.strftime("%Y-%m")
    return rows[list(ENTRY_COLUMNS)].reset_index(drop=True)


UNKNOWN = -1  # the key of lessons whose department or teacher is not known


def shares_by(rows: pd.DataFrame, key: str) -> dict[int, Shares]:
    """The shares of each id in column ``key`` (``UNKNOWN`` for a missing id)."""
    if rows.empty:
        return {}
    ids = rows[key].astype("Int64").fillna(UNKNOWN).astype("int64")
    counts = rows.assign(_key=ids).groupby("_key")["status"].value_counts().unstack(fill_value=0)
    return {int(index): _shares(row.to_dict()) for index, row in counts.iterrows()}


def total(rows: pd.DataFrame) -> Shares:
    return _shares(rows["status"].value_counts().to_dict())


def _shares(by_status: Mapping[Hashable, int]) -> Shares:
    parts = {s: int(by_status.get(s.value, 0)) for s in ENTRY_STATUSES}
    return Shares(
        held=sum(parts.values()),
        on_time=parts[Status.ON_TIME],
        late=parts[Status.LATE],
        missing=parts[Status.MISSING],
        cannot_prove=parts[Status.CANNOT_PROVE],
    )


def issues_by_teacher(findings: pd.DataFrame, rule_id: str) -> dict[int, int]:
    """Breaches of one rule (late or missing) per teacher id."""
    rows = findings[
        (findings["rule_id"] == rule_id)
        & findings["status"].isin([Status.LATE.value, Status.MISSING.value])
        & findings["teacher_id"].notna()
    ]
    return {int(k): int(v) for k, v in rows["teacher_id"].value_counts().items()}
