"""The parse memo: identical bytes of a page are parsed once, and syncing with it records
exactly what syncing without it records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from auditor.demo.replay import poll_moments, replay, simulator_config
from auditor.simulator.dataset import Dataset
from auditor.simulator.server import running_simulator
from auditor.source.parse_memo import ParseMemo
from auditor.store import SqlStore
from tests.source.simsync import dump


def test_the_same_bytes_are_parsed_once_per_page() -> None:
    memo, calls = ParseMemo(), []

    def parser(html: str) -> tuple[str, ...]:
        calls.append(html)
        return tuple(html.split())

    assert memo.parse("/groups/", None, "a b", parser) == ("a", "b")
    assert memo.parse("/groups/", None, "a b", parser) == ("a", "b")
    assert memo.parse("/groups/", None, "a b c", parser) == ("a", "b", "c")  # changed
    assert memo.parse("/students/", {"page": "2"}, "a b c", parser) == ("a", "b", "c")
    assert memo.parse("/students/", {"page": "3"}, "a b c", parser) == ("a", "b", "c")
    assert len(calls) == 4 and (memo.hits, memo.misses) == (1, 4)


def test_a_replay_with_the_memo_records_what_one_without_it_records(
    tiny_dataset: Dataset, tmp_path: Path
) -> None:
    tz = tiny_dataset.institution.tz
    moments = list(poll_moments(date(2025, 9, 14), date(2025, 9, 16), tz))
    dumps = []
    with running_simulator(tiny_dataset, moments[0]) as (url, sim):
        config, environ = simulator_config(url, tiny_dataset)
        for name, memo in (("with", True), ("without", False)):
            path = tmp_path / f"{name}.sqlite3"
            with SqlStore.open_path(path) as store:
                if memo:
                    replay(sim.clock.set, config, environ, store, moments)
                else:
                    for moment in moments:  # a fresh memo for every sync: no reuse
                        replay(sim.clock.set, config, environ, store, [moment])
            dumps.append(dump(path))
    assert len(dumps[0]) > 100 and dumps[0] == dumps[1]
