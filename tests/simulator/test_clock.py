"""The simulator serves everything as it stood at its clock's moment."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from bs4 import BeautifulSoup

from auditor.simulator.clock import SimClock
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, build_simulator, running_simulator

JOURNAL = "/groups/100/journal/?month=2025-09"
OPERATOR = 1


@pytest.fixture(scope="module")
def served(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(tiny_dataset, datetime(2025, 9, 15, 18, 0)) as pair:
        yield pair


def page_at(served: tuple[str, Simulator], moment: str, path: str) -> BeautifulSoup:
    """``path`` as the operator sees it at local time ``moment``, set via the control API."""
    base, sim = served
    clock = requests.post(f"{base}/__sim__/clock", json={"now": moment, "running": False})
    assert clock.status_code == 200
    cookies = {"sessionid": sim.sessions.create(OPERATOR)}
    response = requests.get(f"{base}{path}", cookies=cookies, allow_redirects=False)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def lesson_cell(soup: BeautifulSoup, lesson_id: int, name: str) -> str | None:
    cell = soup.select_one(f"tr.lesson[data-lesson-id='{lesson_id}'] td.{name}")
    return None if cell is None else cell.get_text(strip=True)


def test_lesson_9001_topic_absent_at_1800_and_present_at_2200(
    served: tuple[str, Simulator],
) -> None:
    evening = page_at(served, "2025-09-15T18:00", JOURNAL)
    night = page_at(served, "2025-09-15T22:00", JOURNAL)
    assert lesson_cell(evening, 9001, "topic") is None  # entered at 21:40: no row yet
    assert lesson_cell(night, 9001, "topic") == "Тёплые и холодные цвета"
    # Everything else on the page is the same at both moments.
    assert [r["data-lesson-id"] for r in evening.select("tr.lesson")] == ["9000"]
    assert [r["data-lesson-id"] for r in night.select("tr.lesson")] == ["9000", "9001"]
    assert lesson_cell(evening, 9000, "topic") == lesson_cell(night, 9000, "topic")


def test_fields_change_at_their_own_moments(served: tuple[str, Simulator]) -> None:
    before = page_at(served, "2025-09-17T08:00", JOURNAL)
    after = page_at(served, "2025-09-17T08:15", JOURNAL)  # attendance marked at 08:10
    assert lesson_cell(before, 9001, "attendance") == ""
    assert lesson_cell(after, 9001, "attendance") == "все присутствовали"
    entered = page_at(served, "2025-09-22T17:00", JOURNAL)
    marked = page_at(served, "2025-09-23T09:30", JOURNAL)  # the substitution mark, next day
    assert lesson_cell(entered, 9002, "substitution") == ""
    assert lesson_cell(marked, 9002, "substitution") == "замена"


def test_objects_created_later_are_absent_before(served: tuple[str, Simulator]) -> None:
    early = page_at(served, "2025-08-24T12:00", "/groups/")
    assert early.select("tr.group") == []
    later = page_at(served, "2025-08-25T09:00", "/groups/")  # created exactly then
    assert len(later.select("tr.group")) == 2
    assert page_at(served, "2025-08-29T12:00", "/schedule/").select("tr.slot") == []
    assert len(page_at(served, "2025-08-30T12:00", "/schedule/").select("tr.slot")) == 1
    unset = page_at(served, "2025-08-27T12:00", "/year/")
    assert unset.select_one("#year-not-configured") is not None
    assert "Структура учебного года не настроена" in unset.get_text()
    assert page_at(served, "2025-08-28T10:00", "/year/").select("tr.period")


def test_parent_account_appears_when_created(served: tuple[str, Simulator]) -> None:
    selector = "li.parent[data-parent-id='500']"
    before = page_at(served, "2025-09-02T18:59", "/students/").select_one(selector)
    after = page_at(served, "2025-09-02T19:00", "/students/").select_one(selector)
    assert before is not None and before["data-has-account"] == "0"
    assert after is not None and after["data-has-account"] == "1"


def test_journal_of_a_group_not_created_yet_is_404(served: tuple[str, Simulator]) -> None:
    base, sim = served
    sim.clock.set(datetime.fromisoformat("2025-08-01T12:00:00+07:00"))
    cookies = {"sessionid": sim.sessions.create(OPERATOR)}
    response = requests.get(f"{base}/groups/100/journal/", cookies=cookies)
    assert response.status_code == 404


def test_naive_start_is_read_in_the_institution_time_zone(tiny_dataset: Dataset) -> None:
    sim = build_simulator(tiny_dataset, datetime(2025, 9, 15, 22, 0))
    assert sim.now() == datetime(2025, 9, 15, 22, 0, tzinfo=ZoneInfo("Asia/Novokuznetsk"))
    assert sim.now().utcoffset() is not None and sim.now().isoformat().endswith("+07:00")


def test_running_clock_advances_with_real_time() -> None:
    start = datetime.fromisoformat("2025-09-15T21:39:59+07:00")
    frozen = SimClock(start)
    running = SimClock(start, running=True)
    time.sleep(0.05)
    assert frozen.now() == start
    assert running.now() > start and running.running


def test_running_clock_moves_the_journal(tiny_dataset: Dataset) -> None:
    start = datetime.fromisoformat("2025-09-15T21:39:59.900+07:00")
    with running_simulator(tiny_dataset, start, running=True) as (base, sim):
        time.sleep(0.15)  # past 21:40:00, when lesson 9001 is entered
        cookies = {"sessionid": sim.sessions.create(OPERATOR)}
        page = requests.get(f"{base}{JOURNAL}", cookies=cookies).text
        assert 'data-lesson-id="9001"' in page
