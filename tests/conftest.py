"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.simulator.dataset import Dataset, load_dataset

DATA = Path(__file__).parent / "data"
KEMEROVO = ZoneInfo("Asia/Novokuznetsk")


@pytest.fixture(scope="session")
def tiny_dataset_path() -> Path:
    """A hand-written dataset (tests/data/tiny_dataset.json): 2 groups, 4 lessons."""
    return DATA / "tiny_dataset.json"


@pytest.fixture(scope="session")
def tiny_dataset(tiny_dataset_path: Path) -> Dataset:
    return load_dataset(tiny_dataset_path)


@pytest.fixture(scope="session")
def tz() -> ZoneInfo:
    return KEMEROVO
