"""The incremental planner (pure) and the fail-fast page pool."""

from __future__ import annotations

import threading
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from auditor.store.interface import PlanState
from auditor.sync.plan import months_between, plan_journals, window_days, year_months
from auditor.sync.pool import Counter, run_all

TZ = ZoneInfo("Asia/Novokuznetsk")
MON = datetime(2025, 10, 13, 18, 0, tzinfo=TZ)  # a Monday


def state(**kwargs: object) -> PlanState:
    base: dict[str, object] = {
        "last_run_at": datetime(2025, 10, 12, 23, 50, tzinfo=TZ),
        "group_ids": (1, 2, 3),
        "schedule": ((1, 0, time(15)), (2, 2, time(15)), (3, 6, time(10))),
        "year_start": date(2025, 9, 1),
        "year_end": date(2026, 5, 31),
        "open_months": (),
        # every recent day of every group has its lesson in the journal already
        "recent_lesson_days": tuple(
            (g, MON.date() - timedelta(days=n)) for g in (1, 2, 3) for n in range(1, 15)
        ),
    }
    return PlanState(**(base | kwargs))  # type: ignore[arg-type]


def test_a_recent_scheduled_lesson_not_seen_yet_keeps_its_month_read() -> None:
    seen = tuple(
        (g, MON.date() - timedelta(days=n))
        for g in (1, 2, 3)
        for n in range(1, 15)
        if (g, n) != (2, 5)  # group 2's Wednesday lesson of 08.10 is not in the journal yet
    )
    plan = plan_journals(
        state(recent_lesson_days=seen), now=MON, full=False, groups=[1, 2, 3], schedule=[],
        year_start=None, year_end=None,
    )  # fmt: skip
    assert (2, "2025-10") in plan.months


def test_window_is_at_least_yesterday_and_today() -> None:
    assert window_days(None, MON) == (date(2025, 10, 12), date(2025, 10, 13))
    last = datetime(2025, 10, 13, 7, 0, tzinfo=TZ)
    assert window_days(last, MON) == (date(2025, 10, 12), date(2025, 10, 13))
    long_ago = datetime(2025, 10, 9, 23, 50, tzinfo=TZ)
    assert window_days(long_ago, MON)[0] == date(2025, 10, 9)


def test_window_uses_local_days() -> None:
    utc_evening = datetime(2025, 10, 10, 18, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 next day local
    assert window_days(utc_evening, MON)[0] == date(2025, 10, 11)


def test_daily_reads_groups_with_a_slot_in_the_window() -> None:
    plan = plan_journals(
        state(), now=MON, full=False, groups=[1, 2, 3], schedule=[], year_start=None, year_end=None
    )
    # Sunday (group 3) and Monday (group 1); group 2 meets on Wednesdays.
    assert plan.months == ((1, "2025-10"), (3, "2025-10"))
    assert plan.groups_with_lessons == {1, 3} and not plan.full


def test_daily_adds_open_months_new_groups_and_this_runs_schedule() -> None:
    plan = plan_journals(
        state(open_months=((2, "2025-09"), (1, "2025-10"), (2, "2025-11"), (9, "2025-09"))),
        now=MON,
        full=False,
        groups=[1, 2, 3, 4, 5],
        schedule=[(4, 0)],  # group 4's slot is new today; group 5 has none at all
        year_start=None,
        year_end=None,
    )
    assert plan.months == (
        (2, "2025-09"),  # open (group 9 is gone; 2025-11 is in the future)
        (1, "2025-10"),
        (3, "2025-10"),
        (4, "2025-10"),
        (5, "2025-10"),
    )
    assert (plan.reopened, plan.new_groups, plan.unscheduled) == (1, 0, {5})


def test_window_across_a_month_boundary_reads_both_months() -> None:
    first = datetime(2025, 11, 2, 9, 0, tzinfo=TZ)  # Sunday; window Oct 31 (Fri) - Nov 2
    plan = plan_journals(
        state(
            last_run_at=datetime(2025, 10, 31, 9, 0, tzinfo=TZ),
            schedule=((1, 4, time(15)), (3, 6, time(10))),
        ),
        now=first,
        full=False,
        groups=[1, 3],
        schedule=[],
        year_start=None,
        year_end=None,
    )
    assert plan.months == ((1, "2025-10"), (3, "2025-11"))


def test_full_reads_every_month_of_the_year_so_far() -> None:
    plan = plan_journals(
        state(),
        now=MON,
        full=True,
        groups=[1, 2],
        schedule=[],
        year_start=date(2025, 9, 1),
        year_end=None,
    )
    assert plan.full and plan.months == (
        (1, "2025-09"),
        (2, "2025-09"),
        (1, "2025-10"),
        (2, "2025-10"),
    )


def test_empty_store_means_full() -> None:
    plan = plan_journals(
        PlanState(None, (), (), None, None, ()),
        now=MON,
        full=False,
        groups=[1],
        schedule=[],
        year_start=None,
        year_end=None,
    )
    assert plan.full and plan.months == ((1, "2025-09"), (1, "2025-10"))


def test_year_months() -> None:
    assert months_between(date(2025, 11, 5), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    end = date(2026, 5, 31)
    assert year_months(date(2025, 9, 1), end, date(2026, 7, 1))[-1] == "2026-05"
    # A year configured for the autumn, read in August: just the current month.
    assert year_months(date(2025, 9, 1), date(2026, 5, 31), date(2025, 8, 20)) == ["2025-08"]
    assert year_months(None, None, date(2026, 3, 3))[0] == "2025-09"


def test_pool_keeps_order_and_counts() -> None:
    seen: list[tuple[int, int]] = []

    class Recorder:
        def update(self, done: int, total: int) -> None:
            seen.append((done, total))

    tasks = [lambda n=n: n * n for n in range(10)]
    assert run_all(tasks, concurrency=3, counter=Counter(Recorder())) == [n * n for n in range(10)]
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)


def test_pool_stops_at_the_first_failure() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def task(n: int) -> int:
        with lock:
            started.append(n)
        if n == 2:
            raise ValueError("broken page")
        clock.sleep(0.01)
        return n

    with pytest.raises(ValueError, match="broken page"):
        run_all([lambda n=n: task(n) for n in range(200)], concurrency=2)
    assert len(started) < 200  # the rest were cancelled


def test_old_open_months_are_reread_once_a_week_each() -> None:
    old = tuple((g, m) for g in (1, 2, 3) for m in ("2025-09", "2025-10", "2025-11"))
    reads: dict[tuple[int, str], int] = {}
    for offset in range(7):
        now = datetime(2026, 2, 2 + offset, 23, 50, tzinfo=TZ)
        plan = plan_journals(
            state(
                last_run_at=now - timedelta(days=1),
                schedule=(),
                open_months=(*old, (1, "2026-01")),
            ),
            now=now,
            full=False,
            groups=[1, 2, 3],
            schedule=[(g, 6) for g in (1, 2, 3)],  # Sundays only, so windows add little
            year_start=None,
            year_end=None,
        )
        for key in plan.months:
            reads[key] = reads.get(key, 0) + 1
        assert (1, "2026-01") in plan.months  # last month's gap: every day
    assert all(reads[key] == 1 for key in old)  # older gaps: once in the week each


def test_people_pages_are_read_twice_a_day() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from auditor.sync.run import reads_people

    tz = ZoneInfo("Asia/Novokuznetsk")

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=tz)

    assert reads_people(None, at("2025-09-08 12:00"))  # never read
    assert reads_people(at("2025-09-07 23:50"), at("2025-09-08 07:00"))  # first run of a day
    assert not reads_people(at("2025-09-08 07:00"), at("2025-09-08 12:00"))
    assert not reads_people(at("2025-09-08 07:00"), at("2025-09-08 18:00"))
    assert reads_people(at("2025-09-08 07:00"), at("2025-09-08 23:50"))  # the evening poll
    assert not reads_people(at("2025-09-08 22:10"), at("2025-09-08 23:50"))
    # a moment in UTC: the local day decides (00:10 local is 17:10 UTC the day before)
    utc_seen = at("2025-09-08 23:50").astimezone(ZoneInfo("UTC"))
    assert reads_people(utc_seen, at("2025-09-09 00:10"))
