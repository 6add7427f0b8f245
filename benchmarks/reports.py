"""Benchmark: preparing and rendering the demo institution's reports.

Renders every department head's daily digest (HTML mail + plain text + XLSX) for each
working day of a month, plus the monthly reports (the deputy director's справка with its
charts and every head's monthly report) as HTML, XLSX and PDF. Target: 10 s on the 2-core
machine for one morning's digests plus the monthly set. Needs a demo store; run the demo
first, then, from the repository root:

    .venv/bin/auditor demo --out /tmp/demo
    .venv/bin/python benchmarks/reports.py /tmp/demo

The last line is machine-readable:

    RESULT digests=… seconds=… digests_s=… monthly_s=… month_of_digests_s=… pdf_pages=…
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

# This folder holds a script named rules.py, which would shadow the `rules` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

from pypdf import PdfReader  # noqa: E402

from auditor.config import load_config  # noqa: E402
from auditor.report.build import Request, prepare  # noqa: E402
from auditor.report.common import Kind  # noqa: E402
from auditor.report.monthly import monthly_reports  # noqa: E402
from auditor.report.outputs import write_report  # noqa: E402
from auditor.report.render import Renderer  # noqa: E402
from auditor.store import SqlStore  # noqa: E402


def main(demo_dir: Path) -> None:
    config = load_config(demo_dir / "demo.toml")
    tz = config.institution.tz
    now = datetime(2025, 10, 1, 7, 30, tzinfo=tz)
    store_path = Path(config.store.data_dir) / "auditor.sqlite3"
    out = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    renderer = Renderer(config.reports.mail_rows)
    with SqlStore.open_path(store_path) as store:
        began = time.perf_counter()
        digests = prepare(store, config, Request(Kind.DAILY, now, day=date(2025, 10, 1)))
        for report in digests:
            write_report(report, ("html", "xlsx"), out, renderer, now)
        digests_s = time.perf_counter() - began

        began = time.perf_counter()
        deputy, heads = monthly_reports(store, config, "2025-09", now)  # one audit for all
        monthly = [deputy, *heads]
        pages = 0
        for report in monthly:
            for path in write_report(report, ("html", "xlsx", "pdf"), out, renderer, now):
                if path.suffix == ".pdf":
                    pages += len(PdfReader(path).pages)
        monthly_s = time.perf_counter() - began

        began = time.perf_counter()  # every working morning of September
        mornings = 0
        day = date(2025, 9, 2)
        while day <= date(2025, 9, 30):
            if day.weekday() < 5:
                for report in prepare(store, config, Request(Kind.DAILY, now, day=day)):
                    write_report(report, ("html",), out, renderer, now)
                    mornings += 1
            day += timedelta(days=1)
        month_s = time.perf_counter() - began
    total = digests_s + monthly_s
    print(f"one morning's {len(digests)} digests: {digests_s:.2f} s; monthly set "
          f"({len(monthly)} reports, {pages} PDF pages): {monthly_s:.2f} s; "
          f"{mornings} digests of September's mornings: {month_s:.2f} s")  # fmt: skip
    print(
        f"RESULT digests={len(digests)} seconds={total:.2f} digests_s={digests_s:.2f} "
        f"monthly_s={monthly_s:.2f} month_of_digests_s={month_s:.2f} pdf_pages={pages}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output"))
