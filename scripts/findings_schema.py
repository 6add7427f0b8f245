"""Write docs/findings.schema.json from the findings contract (run after changing it).

    .venv/bin/python scripts/findings_schema.py

tests/test_findings_contract.py fails while the file in the repository differs.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.report.machine import findings_schema

PATH = Path(__file__).resolve().parents[1] / "docs" / "findings.schema.json"


def schema_text() -> str:
    return json.dumps(findings_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {PATH}")
