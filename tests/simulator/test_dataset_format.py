"""The documented JSON formats: the dataset and the answer key (docs/dataset-format.md)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import DatasetError, ExitCode
from auditor.simulator.answer_key import AnswerKey
from auditor.simulator.dataset import (
    Dataset,
    dataset_from_json,
    dataset_to_json,
    load_dataset,
    save_dataset,
)
from auditor.simulator.generator import generate_demo

DOC = Path(__file__).parents[2] / "docs" / "dataset-format.md"


@pytest.fixture(scope="module")
def demo() -> tuple[Dataset, AnswerKey]:
    return generate_demo()


@pytest.fixture()
def tiny_raw(tiny_dataset_path: Path) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(tiny_dataset_path.read_text(encoding="utf-8"))
    return raw


def _text(raw: dict[str, Any]) -> str:
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def test_demo_round_trips(demo: tuple[Dataset, AnswerKey]) -> None:
    dataset = demo[0]
    raw = dataset_to_json(dataset)
    again = dataset_from_json(json.loads(_text(raw)))
    assert again == dataset
    assert _text(dataset_to_json(again)) == _text(raw)


def test_demo_round_trips_through_a_file(demo: tuple[Dataset, AnswerKey], tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    save_dataset(demo[0], path)
    assert load_dataset(path) == demo[0]


def test_tiny_hand_written_file_round_trips(
    tiny_raw: dict[str, Any], tiny_dataset: Dataset
) -> None:
    assert dataset_to_json(tiny_dataset) == tiny_raw
    assert dataset_from_json(tiny_raw) == tiny_dataset


def test_malformed_file_lists_every_problem_with_its_path(tiny_raw: dict[str, Any]) -> None:
    raw = copy.deepcopy(tiny_raw)
    del raw["institution"]
    raw["groups"][0]["teacher_id"] = "three"
    raw["lessons"][1]["date"] = "2025-13-01"
    raw["lessons"][0]["entered_at"] = "2025-09-08T16:40:00"  # no UTC offset
    raw["lessons"][0]["colour"] = "red"
    raw["staff"][0]["rights"][0] = {"at": "2025-08-20T09:00:00+07:00"}
    raw["lessons"][1]["topic"].insert(0, {"at": "2025-09-16T09:00:00+07:00", "value": "Позже"})
    with pytest.raises(DatasetError) as caught:
        dataset_from_json(raw, source="broken.json")
    message = str(caught.value)
    for path in (
        "institution: required key is missing",
        "groups[0].teacher_id: expected int",
        "lessons[1].date: expected date",
        "lessons[0].entered_at: datetime needs a UTC offset",
        "lessons[0].colour: unknown key",
        "staff[0].rights[0]: expected an object with 'at' and 'value'",
        "lessons[1].topic: History changes must be in time order",
    ):
        assert path in message, path
    assert message.startswith("broken.json: ")
    assert caught.value.exit_code is ExitCode.DATASET
    assert "docs/dataset-format.md" in caught.value.hint


def test_broken_references_are_reported(tiny_raw: dict[str, Any]) -> None:
    raw = copy.deepcopy(tiny_raw)
    raw["groups"][1]["teacher_id"] = 999
    raw["lessons"][2]["id"] = 9000
    raw["credentials"][1]["login"] = "OPERATOR"
    with pytest.raises(DatasetError) as caught:
        dataset_from_json(raw)
    message = str(caught.value)
    assert "groups[1].teacher_id: no staff member with id 999" in message
    assert "lessons[2].id: duplicate id 9000" in message
    assert "credentials[1].login: duplicate login 'OPERATOR'" in message


def test_wrong_format_and_version(tiny_raw: dict[str, Any]) -> None:
    raw = dict(tiny_raw, format="something-else", version=2)
    with pytest.raises(DatasetError, match=r"format: must be .*version: must be 1"):
        dataset_from_json(raw)
    with pytest.raises(DatasetError, match="top level must be a JSON object"):
        dataset_from_json([1, 2])


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": ', encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid JSON: line 2"):
        load_dataset(bad)


# -- the answer key --------------------------------------------------------------------------


def test_answer_key_round_trips(demo: tuple[Dataset, AnswerKey], tmp_path: Path) -> None:
    key = demo[1]
    assert AnswerKey.from_json(json.loads(json.dumps(key.to_json()))) == key
    path = tmp_path / "key.json"
    key.save(path)
    assert AnswerKey.load(path) == key
    raw = key.to_json()
    assert raw["format"] == "ruobr-auditor-answer-key" and raw["version"] == 1
    assert raw["seed"] == 2025 and raw["year"] == 2025
    first = raw["violations"][0]
    assert set(first) >= {"rule", "clause", "kind", "due", "done_at", "days_late", "lesson_id"}


def test_malformed_answer_key(demo: tuple[Dataset, AnswerKey]) -> None:
    raw = demo[1].to_json()
    raw["violations"][0]["rule"] = "no-such-rule"
    with pytest.raises(DatasetError, match="unknown rule id"):
        AnswerKey.from_json(raw)
    raw = demo[1].to_json()
    raw["violations"][0]["clause"] = "9.9"
    with pytest.raises(DatasetError, match=r"violations\[0\]\.clause"):
        AnswerKey.from_json(raw)
    with pytest.raises(DatasetError, match="format must be"):
        AnswerKey.from_json({"format": "ruobr-auditor-dataset"})


def test_the_documentation_names_every_field() -> None:
    """docs/dataset-format.md must not fall behind the dataclasses it documents."""
    from dataclasses import fields

    from auditor.simulator import dataset as ds_module
    from auditor.simulator import world as model
    from auditor.simulator.answer_key import Violation

    text = DOC.read_text(encoding="utf-8")
    classes = [
        ds_module.Dataset,
        ds_module.Credential,
        model.Institution,
        model.AcademicYear,
        model.Period,  # re-exported from auditor.domain
        model.NotificationSchedule,
        model.Department,
        model.Association,
        model.Group,
        model.ScheduleSlot,
        model.StaffMember,
        model.Account,
        model.AccessRights,
        model.Student,
        model.Parent,
        model.Lesson,
        Violation,
    ]
    for cls in classes:
        for f in fields(cls):
            assert f"`{f.name}`" in text, f"{cls.__name__}.{f.name} is not documented"
