"""Judged setup items as result rows, with their evidence in Russian (clauses 2.2, 5.2).

E.g. «на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) у учащегося нет родителя с
учётной записью; учётная запись родителя появилась в 07:00 15.09.2025».
"""

from __future__ import annotations

from typing import TypeAlias

from auditor.audit.calendar import local_date
from auditor.audit.deadlines import local_dates
from auditor.contract.findings import Status
from auditor.lazy import numpy as np
from auditor.lazy import pandas as pd
from rules._evidence import local_text
from rules.base import RuleContext, empty_result, result_frame

Text: TypeAlias = "pd.Series | str"
Ids: TypeAlias = "pd.Series | None"


def setup_result(
    judged: pd.DataFrame,
    ctx: RuleContext,
    *,
    what: Text,
    fixed: str,
    item: Text,
    subject_id: Ids = None,
    group_id: Ids = None,
    teacher_id: Ids = None,
    unmet_kind: str = "unmet",
    prefix: Text = "",
) -> pd.DataFrame:
    """``what``: the unmet state («у учащегося нет …»); ``fixed``: «… появилась»."""
    if judged.empty:
        return empty_result()
    status = judged["status"]
    due_day = local_dates(judged["due"], ctx.tz) - pd.Timedelta(days=1)
    late = status == Status.LATE.value
    days = (local_dates(judged["done_at"], ctx.tz) - due_day).dt.days.where(late)
    kinds = {
        Status.PENDING.value: "pending",
        Status.VIOLATION.value: unmet_kind,
        Status.LATE.value: "late",
        Status.CANNOT_PROVE.value: "cannot_prove",
    }
    closed = judged["done_at"].where(late | (status == Status.CANNOT_PROVE.value))
    return result_frame(
        {
            "status": status.to_numpy(),
            "kind": status.map(kinds).to_numpy(),
            "subject_id": _ids(subject_id, judged),
            "group_id": _ids(group_id, judged),
            "teacher_id": _ids(teacher_id, judged),
            "item": _texts(item, judged),
            "evidence": (prefix + _evidence(judged, ctx, what, fixed, due_day)).to_numpy(),
            "days_late": days.astype("Int64").to_numpy(),
            "established_at": judged["due"].to_numpy(),
            "closed_at": closed.to_numpy(),
        }
    )


def _evidence(
    judged: pd.DataFrame, ctx: RuleContext, what: Text, fixed: str, due_day: pd.Series
) -> pd.Series:
    tz = ctx.tz
    checked = local_text(judged["checked_at"], tz)
    latest = local_text(judged["latest_at"], tz)
    first_after = "проверок до срока не было; в первой проверке после срока, " + checked + ", "
    opening = ("на " + local_text(judged["due"], tz) + " (последняя проверка " + checked + ") "
               + what).where(judged["before"].astype(bool), first_after + what)  # fmt: skip
    late = opening + "; " + fixed + " в " + local_text(judged["done_at"], tz)
    later = (judged["latest_at"] > judged["checked_at"]).fillna(False).astype(bool)
    unmet = opening + ("; не исправлено и в последней проверке, " + latest).where(later, "")
    unproven = first_after + "требование уже выполнено"
    left = (due_day - pd.Timestamp(local_date(ctx.now, tz))).dt.days
    until = (" до срока " + due_day.dt.strftime("%d.%m.%Y") + " осталось "
             + left.astype("str") + " дн.")  # fmt: skip
    waiting = "на " + checked + " " + what + ";" + until
    status = judged["status"]
    text = np.select(
        [
            status == Status.PENDING.value,
            status == Status.LATE.value,
            status == Status.CANNOT_PROVE.value,
        ],
        [waiting, late, unproven],
        default=unmet,
    )
    return pd.Series(text, index=judged.index, dtype="str")


def _ids(ids: Ids, judged: pd.DataFrame) -> np.ndarray:
    if ids is None:
        ids = pd.Series(pd.NA, index=judged.index, dtype="Int64")
    values: np.ndarray = pd.to_numeric(ids, errors="coerce").astype("Int64").to_numpy()
    return values


def _texts(texts: Text, judged: pd.DataFrame) -> np.ndarray:
    if isinstance(texts, str):
        return np.full(len(judged), texts, dtype=object)
    values: np.ndarray = texts.reindex(judged.index).fillna("").astype("str").to_numpy()
    return values
