"""Every rule module is registered once, with a unique id and a clause of the regulation."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pandas as pd

import rules
from auditor.audit.clauses import CLAUSES, clause_title
from auditor.audit.engine import run_audit
from auditor.contract.findings import Outcome
from rules.base import Rule
from rules.registry import ALL_RULES, rule_by_id
from tests.rules.world import World, context


def rule_modules() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(rules.__path__)]
    return [n for n in names if not n.startswith("_") and n not in ("base", "registry")]


def declaring_modules() -> dict[str, Rule]:
    """Every module under rules/ that declares a RULE, with it."""
    found = {}
    for name in rule_modules():
        declared = getattr(importlib.import_module(f"rules.{name}"), "RULE", None)
        if declared is not None:  # otherwise a shared helper module (e.g. lesson_field)
            assert isinstance(declared, Rule)
            found[name] = declared
    return found


def test_every_rule_module_declares_one_rule_registered_once() -> None:
    declared = declaring_modules()
    for name, rule in declared.items():
        assert sum(r is rule for r in ALL_RULES) == 1, f"rules.{name} registered ≠ once"
    assert len(ALL_RULES) == len(declared), "a registered rule is declared by no module"


def test_ids_unique_and_clauses_real() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids))
    for rule in ALL_RULES:
        assert re.fullmatch(r"[a-z0-9-]+", rule.id)
        assert rule.clause in CLAUSES, rule.id
        assert rule.title and rule.explanation and rule.example
        assert rule.check.__module__.startswith("rules."), "a rule's check lives in rules/"
    for name, rule in declaring_modules().items():
        module = importlib.import_module(f"rules.{name}")
        assert module.__doc__ and rule.clause in module.__doc__, "docstring cites the clause"
        rule.default_params()  # parameters have defaults


def test_the_clause_catalogue_is_well_formed() -> None:
    # The catalogue is the project's own list of the regulation's clauses (the regulation
    # itself is the institution's document and not shipped): numbers like "1.12", titles
    # in Russian, every section of the regulation the auditor enforces present.
    for number, title in CLAUSES.items():
        assert re.fullmatch(r"[1-5]\.\d{1,2}", number), number
        assert re.search("[а-я]", title) and title == title.strip(), number
    assert {number.split(".")[0] for number in CLAUSES} == {"1", "2", "3", "5"}
    assert clause_title("1.12").startswith("занятия и отсутствующие")


def test_unknown_rule_id_names_the_known_ones() -> None:
    try:
        rule_by_id("nope")
    except KeyError as exc:
        assert "lesson-topic-same-day" in str(exc)
    else:
        raise AssertionError("expected KeyError")


def test_a_broken_rule_becomes_an_error_outcome_and_others_still_run() -> None:
    def explode(frames: object, params: object, ctx: object) -> pd.DataFrame:
        raise ZeroDivisionError("boom")

    broken = Rule(
        id="broken", clause="1.12", title="t", explanation="e", severity=ALL_RULES[0].severity,
        params_type=ALL_RULES[0].params_type, check=explode, example="x",
    )  # fmt: skip
    w = World()
    w.lesson(1, "2025-10-13")
    w.poll("2025-10-13 23:50", {1: {}})
    w.poll("2025-10-15 07:00", {1: {}})
    result = run_audit(w.frames(), [broken, *ALL_RULES], context("2025-10-20 12:00"))
    assert [o.rule_id for o in result.errors] == ["broken"]
    assert "ZeroDivisionError: boom" in result.errors[0].error
    ok = [o for o in result.outcomes if o.outcome is Outcome.OK]
    assert len(ok) == len(ALL_RULES)
    topic = result.findings[result.findings["rule_id"] == "lesson-topic-same-day"]
    assert list(topic["status"]) == ["missing"]
    assert topic["group"].iloc[0] == "Группа-100" and topic["department"].iloc[0]
    finding = result.findings.iloc[0]
    assert finding["clause"] and finding["evidence"]
