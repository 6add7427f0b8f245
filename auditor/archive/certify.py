"""Certified print copies (clause 3.2): a month's reports made again from its archive
entry, after the entry is verified, with the entry and its manifest's SHA-256 on every
page. A reader compares that hash with ``auditor archive verify`` (or with ``sha256sum
manifest.json`` on either medium): the printed figures are the archived ones.

The reports are judged from the entry's own data with its archived rule parameters (as
``auditor replay`` does), so the copy holds the month's figures as archived; the trend over
earlier months is not in a month's entry and shows this month only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from auditor.archive import layout
from auditor.archive.replay import load_entry, replay_config
from auditor.archive.signing import load_verifier
from auditor.archive.verify import verify_destinations
from auditor.audit.runner import judge
from auditor.config import Config
from auditor.errors import ArchiveError
from auditor.report.common import department_names
from auditor.report.files import write_private
from auditor.report.monthly import deputy_report, head_report, month_data
from auditor.report.outputs import pdf_bytes
from auditor.report.render import ArchiveMark, Renderer


def certify_month(
    entry: Path, config: Config, out_dir: Path, *, departments: bool = True
) -> list[Path]:
    """The справка and (``departments``) every department's monthly report of a month
    entry, as certified PDFs in ``out_dir``; refused when the entry does not verify."""
    problems = [
        p for p in verify_destinations([entry.parent], load_verifier(config.archive.key))
        if p.entry in ("", entry.name)
    ]  # fmt: skip
    if problems:
        raise ArchiveError(
            f"{entry.name} does not verify, so no copy of it can be certified: {problems[0]}",
            hint="`auditor archive verify` lists every problem; certify from the other copy",
        )
    audit, frames, _ = load_entry(entry)
    if audit.get("kind") != "month":
        raise ArchiveError(f"{entry.name} is not a month's entry", hint="certify a month entry")
    archived = replay_config(audit)
    settings = replace(config, institution=archived.institution, rules=archived.rules)
    as_of = datetime.fromisoformat(audit["as_of"])
    result = judge(frames, settings, as_of, frames.start, frames.end, only_rules=audit["rules"])
    month = f"{frames.start:%Y-%m}"
    mark = ArchiveMark(entry.name, layout.sha256((entry / layout.MANIFEST).read_bytes()))
    data = month_data(result, month)
    assert result.frames is not None
    reports = [deputy_report(settings, result, month, charts=True, data=data)] + [
        head_report(settings, result, month, number, name, data=data)
        for number, name in department_names(result.frames).items()
        if departments
    ]
    renderer = Renderer(config.reports.mail_rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for report in reports:
        path = out_dir / f"{report.stem}-certified-{entry.name}.pdf"
        write_private(path, pdf_bytes(report, renderer, mark))
        written.append(path)
    return written
