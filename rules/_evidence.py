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
    tz: ZoneInfo,
    *,
    absent: str,
    seen: str,
) -> pd.Series:
    """E.g. «темы нет в 23:50 12.10.2025; тема впервые видна в 07:05 13.10.2025»."""
    empty_at = local_text(last_empty, tz)
    filled_at = local_text(first_filled, tz)
    late = absent + " в " + empty_at + "; " + seen + " в " + filled_at
    missing = absent + " и в последней проверке, " + empty_at
    unproven = (
        "нет проверки между окончанием дня занятия и первым появлением записи ("
        + filled_at.where(filled_at != "", "ещё не видна")
        + ")"
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
