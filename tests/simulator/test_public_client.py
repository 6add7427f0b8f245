"""The real public client, ruobr_api 2.0.2, against the simulator.

ruobr_api hard-codes ``https://api3d.ruobr.ru/`` inside ``Ruobr._get`` (api-facts §3). The
subclass below overrides only ``_get``, and only to swap the host: it runs the library's own
``_get`` with the module's ``httpx`` replaced by a shim that sends the very same request
(same method, same headers) to the simulator. The library's response parsing is untouched, so
these tests show that the simulator's bodies and errors are what the client expects.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import httpx
import pytest
import ruobr_api.__main__ as ruobr_main
from ruobr_api import AuthenticationException, NoSuccessException, Ruobr

from auditor.simulator.dataset import Dataset
from auditor.simulator.server import running_simulator

REAL_BASE = "https://api3d.ruobr.ru/"


class _Redirect:
    """Stands in for the ``httpx`` module inside ruobr_api: the same call, another host."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        assert url.startswith(REAL_BASE), url
        target = url.removeprefix(REAL_BASE)
        # trust_env=False: a developer's proxy settings must not capture 127.0.0.1.
        return httpx.get(f"{self.base_url}/api3d/{target}", trust_env=False, **kwargs)


def client_class(base_url: str) -> type[Ruobr]:
    class SimulatorRuobr(Ruobr):  # type: ignore[misc]  # ruobr_api ships no type hints
        def _get(self, target: str) -> Any:
            with mock.patch.object(ruobr_main, "httpx", _Redirect(base_url)):
                return super()._get(target)

    return SimulatorRuobr


@pytest.fixture(scope="module")
def client(tiny_dataset: Dataset, tz: ZoneInfo) -> Iterator[type[Ruobr]]:
    with running_simulator(tiny_dataset, datetime(2025, 10, 1, 12, 0, tzinfo=tz)) as (url, _):
        yield client_class(url)


def test_pupil_account(client: type[Ruobr]) -> None:
    ruobr = client("pupil1000", "tiny-pupil-pass")
    user = ruobr.get_user()
    assert ruobr.is_applicant is False
    assert (user["id"], user["last_name"], user["group"]) == (1000, "Ученикова", "Палитра-1")
    assert ruobr.get_children() == [user]


def test_parent_account(client: type[Ruobr]) -> None:
    ruobr = client("parent500", "tiny-parent-pass")
    user = ruobr.get_user()
    assert ruobr.is_applicant is True
    assert [c["id"] for c in ruobr.get_children()] == [1000]
    assert user["first_name"] == "Маша"


def test_timetable(client: type[Ruobr]) -> None:
    ruobr = client("parent500", "tiny-parent-pass")
    lessons = ruobr.get_timetable(date(2025, 9, 1), "2025-09-30")
    assert [x["id"] for x in lessons] == [9000, 9001, 9002, 9003]
    assert lessons[1]["topic"] == "Тёплые и холодные цвета"
    assert lessons[1]["task"][0]["title"] == "Принести акварель"
    assert lessons[2]["staff_id"] == 4  # the substitute
    assert lessons[3]["lesson_status_cancel"] == 1


def test_wrong_password_is_an_authentication_error(client: type[Ruobr]) -> None:
    with pytest.raises(AuthenticationException):
        client("pupil1000", "wrong").get_user()


def test_another_child_is_refused(client: type[Ruobr]) -> None:
    ruobr = client("parent500", "tiny-parent-pass")
    ruobr.get_user()
    with pytest.raises(NoSuccessException):
        ruobr._get("timetable2/?start=2025-09-01&end=2025-09-30&child=1001")
