"""Same-day deadlines judged from observations: the shared core of the lesson-field rules.

This implements ``shared/DESIGN.md`` ("Observations and deadlines") over the store's frames,
vectorised so that a million lessons take seconds. For a field F of lesson L held on local
date D, with its deadline at 00:00 local of D+1:

* **on time**: some observation before the deadline shows F filled;
* **late**: some observation at or after the deadline shows F empty, and a later one filled;
* **missing**: the latest observation, at or after the deadline, shows F empty;
* **cannot prove**: no observation before the deadline shows F filled and none at or after
  it shows F empty (the entry fell in a gap between polls that contains midnight);
* **not due**: the deadline has not passed; **not applicable**: a cancelled lesson.

"Observations" of L are the reads of L's journal page by completed runs. Before L's row first
appeared on its page, every read of that page saw all of L's fields empty.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from auditor.contract.findings import Status
from auditor.lazy import numpy as np
from auditor.lazy import pandas as pd

UTC = "UTC"


def deadlines_utc(dates: pd.Series, tz: ZoneInfo) -> pd.Series:
    """00:00 local of the day after each (naive, local) date, as UTC moments."""
    midnight = (dates + pd.Timedelta(days=1)).dt.tz_localize(tz, nonexistent="shift_forward")
    return midnight.dt.tz_convert(UTC)


def local_dates(moments: pd.Series, tz: ZoneInfo) -> pd.Series:
    """The institution's local calendar date of UTC moments (naive midnight datetimes)."""
    return moments.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


def _month_numbers(dates: pd.Series) -> np.ndarray:
    """year * 12 + month of naive dates, computed on the numbers (no strings)."""
    months: np.ndarray = dates.to_numpy(dtype="datetime64[M]").astype("int64")
    return months


def _page_keys_of_reads(page_reads: pd.DataFrame) -> np.ndarray:
    """One integer per journal page (group, month) read: integer keys join much faster."""
    codes, uniques = pd.factorize(page_reads["month"])
    month_numbers = pd.to_datetime(pd.Series(uniques, dtype="str"), format="%Y-%m")
    numbers = np.append(_month_numbers(month_numbers), -1)[codes]
    keys: np.ndarray = page_reads["group_id"].to_numpy(dtype="int64") * 100_000 + numbers
    return keys


def last_read_before_first_seen(lessons: pd.DataFrame, page_reads: pd.DataFrame) -> pd.Series:
    """For each lesson, the last read of its page before its row first appeared (or NaT).

    Indexed like ``lessons``. A lesson's page is its group's journal for its date's month.
    Both sides become one sortable integer, (dense page number, milliseconds), so that a
    single binary search over the sorted reads answers every lesson at once. (Two reads of
    one page within a millisecond do not happen: a sync reads each page once.)
    """
    lesson_pages = lessons["group_id"].to_numpy(dtype="int64") * 100_000 + _month_numbers(
        lessons["date"]
    )
    read_pages = _page_keys_of_reads(page_reads)
    wanted = pd.Series(read_pages).isin(lesson_pages).to_numpy()  # these lessons' pages
    page_reads, read_pages = page_reads[wanted], read_pages[wanted]
    dense, _pages = pd.factorize(np.concatenate([read_pages, lesson_pages]))
    dense = dense.astype("int64")
    read_dense, lesson_dense = dense[: len(read_pages)], dense[len(read_pages) :]
    epoch = np.datetime64("2020-01-01T00:00:00", "ns")
    reads_at = _utc64(page_reads["observed_at"])
    read_ms = (reads_at - epoch) // np.timedelta64(1, "ms")
    seen = _utc64(lessons["first_seen_at"])
    seen_ms = (seen - epoch) // np.timedelta64(1, "ms")
    read_keys = (read_dense << 38) + read_ms  # 2**38 ms is 8.7 years
    order = np.argsort(read_keys)  # keys are unique: no two reads of a page share a ms
    sorted_keys = read_keys[order]
    lesson_keys = (lesson_dense << 38) + seen_ms
    # side="left": only reads strictly before first seen (the read that first showed the
    # row is not one that missed it)
    at = np.searchsorted(sorted_keys, lesson_keys, side="left") - 1
    valid = (at >= 0) & ~np.isnat(seen)
    at_safe = np.where(valid, at, 0)
    valid &= (sorted_keys[at_safe] >> 38) == lesson_dense  # the same page
    found = np.where(valid, reads_at[order][at_safe], np.datetime64("NaT", "ns"))
    return pd.Series(found, index=lessons.index).dt.tz_localize(UTC)


def split_by_field(intervals: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The intervals of each field, in one pass (comparing strings per field is slow)."""
    return {str(name): part for name, part in intervals.groupby("field", sort=False)}


def latest_values(field_intervals: pd.DataFrame) -> pd.Series:
    """The latest observed value per lesson id, of one field's intervals."""
    rows = field_intervals[field_intervals["latest"]]
    return rows.set_index("lesson_id")["value"]


STATUS_ORDER = [
    Status.NOT_APPLICABLE.value,
    Status.ON_TIME.value,
    Status.NOT_DUE.value,
    Status.LATE.value,
    Status.MISSING.value,
    Status.CANNOT_PROVE.value,
]


def judge_field(
    lessons: pd.DataFrame,
    rows: pd.DataFrame,
    absent_until: pd.Series,
    now: pd.Timestamp,
    tz: ZoneInfo,
) -> pd.DataFrame:
    """Judge one field of every lesson; one row per lesson, indexed like ``lessons``.

    ``rows`` are that field's intervals (``filled`` says whether each value is an entry);
    ``lessons`` needs lesson_id, date, cancelled and deadline (UTC); ``absent_until`` is
    :func:`last_read_before_first_seen` for the same lessons. Returns the columns status,
    first_filled_at, last_empty_at (the last observation that saw F empty before it was first
    filled, or the latest one if never), days_late (exact when both fall on one local day)
    and days_late_min.
    """
    ids = lessons["lesson_id"]
    filled = rows[rows["filled"]]
    first_filled = filled.groupby("lesson_id")["first_seen_at"].min()
    first_filled_at = _utc64(first_filled.reindex(ids))

    empty = rows[~rows["filled"]].merge(
        first_filled.rename("fill_at"), left_on="lesson_id", right_index=True, how="left"
    )
    before_fill = empty[empty["fill_at"].isna() | (empty["last_seen_at"] < empty["fill_at"])]
    last_empty_seen = before_fill.groupby("lesson_id")["last_seen_at"].max().reindex(ids)
    last_empty = pd.concat(
        [last_empty_seen.reset_index(drop=True), absent_until.reset_index(drop=True)], axis=1
    ).max(axis=1)
    last_empty_at = _utc64(last_empty)

    deadline = _utc64(lessons["deadline"])
    has_fill = ~np.isnat(first_filled_at)
    has_empty = ~np.isnat(last_empty_at)
    on_time = has_fill & (first_filled_at < deadline)
    empty_after = has_empty & (last_empty_at >= deadline)
    codes = np.select(
        [
            lessons["cancelled"].to_numpy(dtype=bool),
            on_time,
            deadline > _utc64(pd.Series([now]))[0],
            has_fill & empty_after,
            ~has_fill & empty_after,
        ],
        [STATUS_ORDER.index(s) for s in STATUS_ORDER[:5]],
        default=STATUS_ORDER.index(Status.CANNOT_PROVE.value),
    )
    # a categorical: a million statuses without a million strings
    status = pd.Categorical.from_codes(codes, categories=STATUS_ORDER)
    result = pd.DataFrame(
        {
            "status": pd.Series(status, index=lessons.index),
            "first_filled_at": pd.Series(first_filled_at, index=lessons.index).dt.tz_localize(UTC),
            "last_empty_at": pd.Series(last_empty_at, index=lessons.index).dt.tz_localize(UTC),
        }
    )
    late = codes == STATUS_ORDER.index(Status.LATE.value)
    days_late = np.full(len(lessons), np.nan)
    days_min = np.full(len(lessons), np.nan)
    if late.any():  # day arithmetic only for the late ones
        fill_day = local_dates(result["first_filled_at"][late], tz)
        empty_day = local_dates(result["last_empty_at"][late], tz)
        lesson_day = lessons["date"][late]
        exact = ((fill_day - lesson_day).dt.days).where(fill_day == empty_day)
        days_late[late] = exact.to_numpy(dtype=float, na_value=np.nan)
        days_min[late] = (empty_day - lesson_day).dt.days.to_numpy(dtype=float)
    result["days_late"] = pd.array(days_late, dtype="Float64").astype("Int64")
    result["days_late_min"] = pd.array(days_min, dtype="Float64").astype("Int64")
    return result


def _utc64(moments: pd.Series) -> np.ndarray:
    """Aware moments as naive-UTC datetime64[ns] (NaT stays NaT), for fast comparisons."""
    series = pd.Series(moments)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert(UTC).dt.tz_localize(None)
    else:
        series = pd.to_datetime(series, utc=True).dt.tz_localize(None)
    values: np.ndarray = series.to_numpy(dtype="datetime64[ns]")
    return values
