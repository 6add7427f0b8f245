"""Benchmark of the staff-page parsers on pages of the demo institution.

Renders pages in-process through the simulator (no HTTP, no sockets), as the operator sees
them at the end of the academic year, then times each parser of
:mod:`auditor.source.staff_pages` on them: every pupil-list page (100 rows each), every
group's journal for one month, and the institution pages (groups, schedule, staff,
structure, year, notifications). Each figure is the best of several rounds, in milliseconds
of this process's CPU time per page (CPU time, so that other work on the machine disturbs it
less than wall time). Run it from the repository root:

    .venv/bin/python benchmarks/parse.py [--rounds N]

Parsing must stay cheap next to the network: a month of simulated syncs reads ~10,000 pages,
most of them journal and pupil-list pages. The parsers read lxml's tree directly; for
scale, each line also shows Beautiful Soup alone on the same pages (what the parsers were
built on before): building the whole tree (``BeautifulSoup(html, "lxml")``), and reading the
page while building nothing (a strainer matching no element), the floor of any parser built
on bs4's lxml tree builder. The last line is machine-readable:

    RESULT students_ms=… journal_ms=… groups_ms=… schedule_ms=… staff_ms=… …
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bs4 import BeautifulSoup
from bs4.filter import SoupStrainer

from auditor.domain import Role
from auditor.simulator.dataset import Dataset
from auditor.simulator.generator import generate_demo
from auditor.simulator.http import SimRequest
from auditor.simulator.server import Simulator, build_simulator
from auditor.source import staff_pages as sp

NOTHING = SoupStrainer(attrs={"id": ["no-element-has-this-id"]})
AT = "2026-05-27T23:50"  # near the end of the academic year: every journal is filled
JOURNAL_MONTH = "2025-10"  # a full month of lessons, attendance and topics


def render(sim: Simulator, cookie: str, path: str, params: dict[str, str] | None = None) -> str:
    request = SimRequest("GET", path, params or {}, {"cookie": cookie}, b"")
    response = sim.handle(request)
    assert response.status == 200, (path, params, response.status)
    return response.body.decode("utf-8")


def best_ms(parse: Callable[[Any], object], pages: Sequence[Any], rounds: int) -> float:
    """The fastest round's mean time per page, in milliseconds; a round parses at least 15
    pages (a single page again and again), so that one hiccup does not make a round."""
    repeat = max(1, -(-15 // len(pages)))
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(repeat):
            for page in pages:
                parse(page)
        best = min(best, (time.process_time() - started) / (repeat * len(pages)))
    return best * 1000


def pages_of(dataset: Dataset) -> dict[str, tuple[Callable[[Any], object], list[Any]]]:
    """Each benchmark: the parser (taking one argument) and the pages it is timed on."""
    operator = next(s.id for s in dataset.staff if Role.OPERATOR in s.roles)
    sim = build_simulator(dataset, datetime.fromisoformat(AT))
    cookie = f"sessionid={sim.sessions.create(operator)}"
    one = render(sim, cookie, sp.STUDENTS_PATH, sp.students_params(1))
    total = sp.parse_students(one, 1).total_pages
    students = [
        (n, render(sim, cookie, sp.STUDENTS_PATH, sp.students_params(n)))
        for n in range(1, total + 1)
    ]
    groups_html = render(sim, cookie, sp.GROUPS_PATH)
    journals = [
        (g.id, render(sim, cookie, sp.journal_path(g.id), sp.journal_params(JOURNAL_MONTH)))
        for g in sp.parse_groups(groups_html)
    ]
    return {
        "students": (lambda p: sp.parse_students(p[1], p[0]), students),
        "journal": (lambda p: sp.parse_journal_page(p[1], p[0], JOURNAL_MONTH), journals),
        "groups": (sp.parse_groups, [groups_html]),
        "schedule": (sp.parse_schedule, [render(sim, cookie, sp.SCHEDULE_PATH)]),
        "staff": (sp.parse_staff, [render(sim, cookie, sp.STAFF_PATH)]),
        "structure": (sp.parse_structure, [render(sim, cookie, sp.STRUCTURE_PATH)]),
        "year": (sp.parse_year, [render(sim, cookie, sp.YEAR_PATH)]),
        "notifications": (sp.parse_notifications, [render(sim, cookie, sp.NOTIFICATIONS_PATH)]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per parser (best counts)")
    args = parser.parse_args()
    dataset, _key = generate_demo()
    benches = pages_of(dataset)
    results = {}
    for name, (parse, pages) in benches.items():
        parse(pages[0])  # warm caches (imports, compiled patterns) before timing
        results[name] = best_ms(parse, pages, args.rounds)
        htmls = [p[1] if isinstance(p, tuple) else p for p in pages]
        whole = best_ms(lambda html: BeautifulSoup(html, "lxml"), htmls, args.rounds)
        bare = best_ms(lambda html: BeautifulSoup(html, "lxml", parse_only=NOTHING), htmls, 3)
        print(
            f"{name:>13}: {results[name]:7.2f} ms/page over {len(pages):>3} pages of "
            f"{sum(map(len, htmls)) / len(htmls) / 1000:3.0f} kB; bs4 alone: whole tree "
            f"{whole:6.2f}, no tree {bare:6.2f}"
        )
    print("RESULT " + " ".join(f"{name}_ms={ms:.2f}" for name, ms in results.items()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
