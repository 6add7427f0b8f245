"""``auditor demo`` (README Quick start's first command) runs offline, fast, and now syncs."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from auditor.demo import run_demo


def test_demo_syncs_into_a_store_and_stays_fast(tmp_path: Path) -> None:
    stale = tmp_path / "store" / "auditor.sqlite3"
    stale.parent.mkdir()
    stale.write_bytes(b"an earlier demo's store")  # a rerun starts afresh, not on top of it
    lines: list[str] = []
    began = time.monotonic()
    run_demo(tmp_path, lines.append)
    assert time.monotonic() - began < 60
    text = "\n".join(lines)
    assert "[4/4] sync into the store" in text
    syncs = [line.strip() for line in lines if " sync of http://127.0.0.1:" in line]
    assert [s.split(" ", 1)[0] for s in syncs] == ["Full", "Daily", "Daily", "Daily"]
    assert all(" pages in " in s and "first-seen entries" in s for s in syncs)
    assert "23:50 (run 3)" in syncs[2]
    # The demo lesson's topic was entered in the evening: first seen by the 23:50 sync.
    assert any("the demo lesson: topic of lesson" in x and x.endswith(" 23:50") for x in lines)
    store = tmp_path / "store" / "auditor.sqlite3"
    connection = sqlite3.connect(store)
    try:
        assert connection.execute("SELECT count(*) FROM runs").fetchone()[0] == 4
    finally:
        connection.close()
