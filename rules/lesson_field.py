"""The same-day rule, shared by the topic and attendance rules (clause 1.12).

Both judge one field of every held lesson by :func:`auditor.audit.deadlines.judge_field` and report
late, missing and cannot-prove lessons with their evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.audit.deadlines import judge_field
from auditor.contract.findings import Status
from auditor.lazy import pandas as pd
from rules._evidence import field_evidence
from rules._lessons import prepared_lessons
from rules.base import RuleContext, result_frame

if TYPE_CHECKING:
    from auditor.contract.frames import Frames

REPORTED = (Status.LATE.value, Status.MISSING.value, Status.CANNOT_PROVE.value)


def check_field(
    frames: Frames,
    ctx: RuleContext,
    intervals: pd.DataFrame,
    *,
    absent: str,
    seen: str,
    report_cannot_prove: bool = True,
) -> pd.DataFrame:
    lessons = prepared_lessons(frames, ctx)
    judged = judge_field(
        lessons,
        intervals,
        lessons["absent_until"],
        pd.Timestamp(ctx.now),
        ctx.tz,
    )
    reported = REPORTED if report_cannot_prove else REPORTED[:2]
    keep = judged["status"].isin(reported).to_numpy()
    judged, lessons = judged[keep], lessons[keep]
    status = judged["status"].astype("str")
    late = status == Status.LATE.value
    return result_frame(
        {
            "status": status.to_numpy(),
            "kind": status.to_numpy(),
            "lesson_id": lessons["lesson_id"].to_numpy(),
            "group_id": lessons["group_id"].to_numpy(),
            "teacher_id": lessons["teacher_id"].to_numpy(),
            "evidence": field_evidence(
                status, judged["last_empty_at"], judged["first_filled_at"],
                judged["days_late"], ctx.tz,
                absent=absent, seen=seen,
            ).to_numpy(),
            "days_late": judged["days_late"],
            # Late is established when the entry was first seen; missing since the deadline.
            # (Moments stay Series: .to_numpy() on aware datetimes makes slow objects.)
            "established_at": judged["first_filled_at"].where(
                late, lessons["deadline"].where(status == Status.MISSING.value)
            ),
            "closed_at": judged["first_filled_at"].where(late),
        }
    )  # fmt: skip
