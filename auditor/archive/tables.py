"""Frames as CSV and back, with their exact dtypes (the contract's declarations).

Each cell is written in a form a person can read and a spreadsheet can open: integers in
decimal, an empty cell for a missing id or moment, flags as ``true``/``false``, moments in
ISO 8601 UTC, dates as ``YYYY-MM-DD``, times of day as ``HH:MM:SS``. Reading back with the
same dtypes gives the same frame (``tests/test_archive.py`` checks every frame).
"""

from __future__ import annotations

import io

import pandas as pd

UTC = "datetime64[ns, UTC]"
DATE = "datetime64[ns]"
TOD = "timedelta64[ns]"


def to_csv(frame: pd.DataFrame, dtypes: dict[str, str]) -> bytes:
    """``frame``'s columns of ``dtypes``, in that order, as UTF-8 CSV with a header."""
    out = pd.DataFrame({name: _cells(frame[name], dtype) for name, dtype in dtypes.items()})
    text: str = out.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def from_csv(data: bytes, dtypes: dict[str, str]) -> pd.DataFrame:
    """The frame ``to_csv`` wrote, with exactly the columns and dtypes of ``dtypes``."""
    raw = pd.read_csv(
        io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8"
    )
    missing = [name for name in dtypes if name not in raw.columns]
    if missing:
        raise ValueError(f"columns missing: {', '.join(missing)}")
    data_ = {name: _parse(raw[name], dtype) for name, dtype in dtypes.items()}
    return pd.DataFrame(data_, columns=list(dtypes)).reset_index(drop=True)


def _cells(series: pd.Series, dtype: str) -> pd.Series:
    values = series.reset_index(drop=True)
    if dtype == "bool":
        return values.map({True: "true", False: "false"}).astype(str)
    if dtype == UTC:
        moments = pd.Series(values, dtype=UTC)
        return moments.map(lambda t: "" if pd.isna(t) else t.isoformat())
    if dtype == DATE:
        days = pd.Series(values, dtype=DATE)
        return days.map(lambda t: "" if pd.isna(t) else t.isoformat().removesuffix("T00:00:00"))
    if dtype == TOD:
        offsets = pd.Series(values, dtype=TOD)
        return offsets.map(_clock)
    if dtype in ("int64", "Int64"):
        return values.astype("Int64").astype(str).replace("<NA>", "")
    return values.astype(object).where(values.notna(), "").astype(str)


def _clock(offset: pd.Timedelta) -> str:
    if pd.isna(offset):
        return ""
    total = int(offset.value)  # nanoseconds
    seconds, nanos = divmod(total, 1_000_000_000)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{text}.{nanos:09d}" if nanos else text


def _parse(cells: pd.Series, dtype: str) -> pd.Series:
    values = cells.reset_index(drop=True)
    empty = values == ""
    if dtype == "bool":
        return values.map({"true": True, "false": False}).astype("bool")
    if dtype == UTC:
        return pd.Series(
            pd.to_datetime(values.where(~empty), utc=True, format="ISO8601"), dtype=UTC
        )
    if dtype == DATE:
        return pd.Series(pd.to_datetime(values.where(~empty), format="ISO8601"), dtype=DATE)
    if dtype == TOD:
        return pd.Series(pd.to_timedelta(values.where(~empty)), dtype=TOD)
    if dtype == "int64":
        return values.astype("int64")
    if dtype == "Int64":
        return pd.Series(pd.to_numeric(values.where(~empty)), dtype="Int64")
    return values.astype(dtype)
