"""Starting the CLI is cheap: help, `rules list` and loading a rule import no pandas and no
SQLAlchemy (commands import what they use when they run; benchmarks/startup.py times it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas.core.api", "numpy._core", "sqlalchemy", "requests", "bs4", "openpyxl")

PROBE = """
import sys
from click.testing import CliRunner
from auditor.cli import main
result = CliRunner().invoke(main, {args!r})
assert result.exit_code == 0, result.output
print(",".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["rules", "list"], ["rules", "explain", "substitution-marked"]]
)
def test_the_cli_starts_without_heavy_imports(args: list[str]) -> None:
    code = PROBE.format(args=args, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at start: {out.stdout.strip()}"


def test_loading_every_rule_loads_no_store_and_no_sqlalchemy() -> None:
    code = (
        "import sys, rules.registry\n"
        "print(','.join(m for m in ('sqlalchemy', 'auditor.store') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
