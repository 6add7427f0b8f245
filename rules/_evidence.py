"""Evidence sentences in Russian, built column-wise (a million rows must stay fast)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from auditor.lazy import numpy as np
from auditor.lazy import pandas as pd
from auditor.russian import DAYS, count


def local_text(moments: pd.Series, tz: ZoneInfo) -> pd.Series:
    """«23:50 12.10.2025» for each UTC moment; "" for NaT.

    Formatted once per distinct moment (findings share the poll times they cite)."""
    codes, uniques = pd.factorize(moments)
    texts = pd.DatetimeIndex(uniques).tz_convert(tz).strftime("%H:%M %d.%m.%Y")
    spread = np.append(np.asarray(texts, dtype=object), "")[codes]
    return pd.Series(spread, index=moments.index, dtype="str")


def field_evidence(
    status: pd.Series,
    last_empty: pd.Series,
    first_filled: pd.Series,
    days_late: pd.Series,
    tz: ZoneInfo,
    *,
    absent: str,
    seen: str,
) -> pd.Series:
    """The observations behind each judgement of one field, naming the field, e.g.

    * late: «темы нет в 07:00 13.10.2025; тема впервые видна в 12:00 13.10.2025 (на 1 день
      позже дня занятия)», or «(внесена между … и …)» when the two looks fall on different
      days and the day of the entry is not known;
    * missing: «темы нет и в последней проверке, 07:00 15.10.2025»;
    * cannot prove: the last look without it and the first with it, and why that proves
      nothing (the gap between them holds the midnight).
    """
    empty_at = local_text(last_empty, tz)
    filled_at = local_text(first_filled, tz)
    exact = days_text(days_late)
    between = "внесено между " + empty_at + " и " + filled_at
    late = (
        absent + " в " + empty_at + "; " + seen + " в " + filled_at + " ("
        + exact.where(exact != "", between) + ")"
    )  # fmt: skip
    missing = absent + " и в последней проверке, " + empty_at
    gap = "; между ними полночь без проверки: вовремя ли внесено, не доказать"
    unproven = (absent + " в " + empty_at + "; " + seen + " в " + filled_at + gap).where(
        empty_at != "",
        seen + " в " + filled_at + "; раньше журнал группы за этот месяц не проверялся: "
        "вовремя ли внесено, не доказать",
    )
    unproven = unproven.where(
        filled_at != "", absent + " в " + empty_at + "; после дня занятия журнал не проверялся"
    )
    return (
        late.where(status == "late", missing.where(status == "missing", unproven))
        .fillna("")
        .astype("str")
    )


def days_text(days: pd.Series) -> pd.Series:
    """«на 2 дня позже дня занятия» for each whole number of days ("" for NA)."""

    def one(n: object) -> str:
        if n is None or pd.isna(n):
            return ""
        number = int(n)  # type: ignore[call-overload]
        return f"на {count(number, DAYS)} позже дня занятия"

    return days.map(one).astype("str")
