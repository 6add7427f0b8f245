"""``run_sync``, the one sync call of the CLI, the demo and the scheduler."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.config import Config, load_config
from auditor.errors import ConfigError
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import Simulator, running_simulator
from auditor.store import SqlStore
from auditor.sync.service import chosen_sources, run_sync

TZ = ZoneInfo("Asia/Novokuznetsk")
ENV = {"TINY_PW": "tiny-operator-pass"}


@pytest.fixture
def served(tiny_dataset: Dataset) -> Iterator[tuple[str, Simulator]]:
    with running_simulator(tiny_dataset, datetime(2025, 10, 1, 22, 0, tzinfo=TZ)) as pair:
        yield pair


def config_for(folder: Path, base_url: str, extra: str = "") -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "auditor.toml"
    path.write_text(
        f'[source]\nbase_url = "{base_url}"\nusername = "operator"\npassword_env = "TINY_PW"\n'
        f'min_interval_s = 0.0\n[store]\ndata_dir = "{folder / "data"}"\n{extra}',
        encoding="utf-8",
    )
    return load_config(path)


def months_read(served: tuple[str, Simulator], folder: Path, extra: str) -> list[str]:
    base_url, sim = served
    config = config_for(folder, base_url, extra)
    months: list[str] = []
    with SqlStore.open_path(folder / "store.sqlite3") as store:
        for moment in ("2025-10-01T22:00", "2025-10-07T07:00", "2025-10-08T07:00"):
            at = datetime.fromisoformat(moment).replace(tzinfo=TZ)
            sim.clock.set(at)
            (outcome,) = run_sync(config, store, clock=lambda at=at: at, environ=ENV)
            assert outcome.plan is not None
            months = [f"{g}/{m}" for g, m in outcome.plan.months]
    return months


def test_the_planner_uses_the_configured_extra_days_off(
    served: tuple[str, Simulator], tmp_path: Path
) -> None:
    # Monday 6.10 has a slot of group 100 and no lesson: on 8.10 the planner re-reads
    # October to catch a late entry, unless 6.10 is one of the institution's days off.
    plain = months_read(served, tmp_path / "a", "")
    off = months_read(served, tmp_path / "b", '[institution]\nextra_holidays = ["2025-10-06"]\n')
    assert "100/2025-10" in plain
    assert "100/2025-10" not in off


def test_a_source_the_config_cannot_serve_is_a_config_error(tmp_path: Path) -> None:
    config = config_for(tmp_path, "http://127.0.0.1:9")
    with pytest.raises(ConfigError, match="mobile_accounts"):
        chosen_sources(config, "mobile")
    assert chosen_sources(config).staff and not chosen_sources(config).mobile
