"""``auditor demo`` end to end: a simulated month, audited, equals the answer key.

The demo institution is synced from the simulator (in its own process, over HTTP) at the
poll times of every day of September 2025, audited as of 1 October 07:30, and its findings
compared with the generator's answer key: precision and recall must both be 1.0. This is the
slowest test of the suite (about two minutes): it is the whole product on realistic data.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from auditor.demo.month import MonthResult
from auditor.demo.showcase import run_demo
from auditor.simulator.world import Lesson

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MonthResult, list[str]]:
    out = tmp_path_factory.mktemp("demo")
    stale = out / "store" / "auditor.sqlite3"
    stale.parent.mkdir()
    stale.write_bytes(b"an earlier demo's store")  # a rerun starts afresh, not on top of it
    lines: list[str] = []
    result = run_demo(out, lines.append)
    return out, result, lines


def test_findings_equal_the_answer_key(demo: tuple[Path, MonthResult, list[str]]) -> None:
    _, result, _ = demo
    score = result.score
    assert not result.audit.errors
    assert score.expected > 300, "the month should hold hundreds of planted violations"
    assert score.missed == () and score.extra == ()
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.days_late_differ == ()
    rules_found = set(result.audit.findings["rule_id"])
    for rule in (
        "lesson-topic-same-day", "lesson-attendance-same-day", "substitution-marked",
        "scheduled-lesson-entered", "topic-quality", "setup-parent-accounts",
        "setup-user-accounts", "setup-access-rights", "setup-schedule-template",
        "setup-student-data", "setup-notification-schedule",
    ):  # fmt: skip
        assert rule in rules_found, rule


def test_the_demo_prints_each_step_and_writes_its_files(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    out, result, lines = demo
    text = "\n".join(lines)
    for step in ("[1/6] generated", "[2/6] ЭШ 2.0 simulator", "[3/6] a simulated month",
                 "[4/6] audit of September", "[5/6] the reports",
                 "[6/6] the month into the archive"):  # fmt: skip
        assert step in text
    assert "precision 1.000, recall 1.000" in text
    assert sum(1 for line in lines if line.strip().startswith("30.09:")) == 1  # a line a day
    # at 18:00 the evening topic is absent from the journal, at 23:50 present
    assert "at 18:00 topic — (no journal entry yet)" in text or "at 18:00 topic — (empty)" in text
    connection = sqlite3.connect(result.store_path)
    try:
        runs = connection.execute("SELECT count(*), min(kind) FROM runs").fetchone()
    finally:
        connection.close()
    # 30 days × 2 polls (07:00, 23:50) + 07:00 on 1.10, and the reminders' 20:00 syncs on
    # the last two evenings
    assert runs[0] == result.syncs == 63
    sheet = openpyxl.load_workbook(out / "findings.xlsx").active
    assert sheet is not None and sheet.cell(1, 1).value == "Правило"
    assert sheet.max_row == len(result.audit.findings) + 1
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(document["findings"]) == len(result.audit.findings)
    schema = json.loads((ROOT / "docs" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    # the summary separates breaches from monitoring gaps
    counts = document["counts"]
    assert f"Нарушения: {counts['breaches']} " in text
    assert f"(пробелы в проверках, не нарушения): {counts['monitoring_gaps']} " in text
    assert (out / "dataset.json").exists() and (out / "answer-key.json").exists()


# ---------------------------------------------------------------------------------------
# The reports the demo writes (issue 9): their figures agree with the audit's findings.

TZ_NAME = "Asia/Novokuznetsk"


def _reports(out: Path) -> Path:
    return out / "reports"


def _pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_the_demo_writes_every_report_and_a_config_for_it(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    out, _, _ = demo
    folder = _reports(out)
    names = {p.name for p in folder.iterdir()}
    for dept in range(1, 5):
        assert f"daily-2025-10-01-dept-{dept}.html" in names
        assert f"daily-2025-10-01-dept-{dept}.txt" in names
        assert f"head-monthly-2025-09-dept-{dept}.pdf" in names
    for name in ("monthly-2025-09.pdf", "monthly-2025-09.xlsx", "monthly-2025-09.html",
                 "setup-2025-09-05-operator.pdf", "setup-2025-09-05-deputy.pdf",
                 "audit-2025-09-01-2025-09-30.json"):  # fmt: skip
        assert name in names
    for path in folder.iterdir():  # personal data: owner-only files
        assert path.stat().st_mode & 0o077 == 0, path
    from auditor.config import load_config

    config = load_config(out / "demo.toml")
    assert Path(config.store.data_dir) == (out / "store").resolve()
    assert config.institution.name.startswith("МБОУДО") or config.institution.name


def test_monthly_figures_agree_with_the_findings(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    import pandas as pd

    out, result, _ = demo
    findings = result.audit.findings
    topic = findings[findings["rule_id"] == "lesson-topic-same-day"]
    never_entered = findings[
        (findings["rule_id"] == "scheduled-lesson-entered")
        & findings["lesson_id"].isna()
        & (findings["status"] == "missing")
    ]
    due = result.audit.due_lessons
    assert due is not None
    held = len(due) + len(never_entered)
    late = int((topic["status"] == "late").sum())
    missing = int((topic["status"] == "missing").sum()) + len(never_entered)
    on_time = held - late - missing - int((topic["status"] == "cannot_prove").sum())

    book = pd.read_excel(_reports(out) / "monthly-2025-09.xlsx", sheet_name=None)
    assert next(iter(book)) == "Сводка"
    departments = book["Отделы"]
    header = departments.iloc[1].tolist()  # row 1 title, row 2 note, then the header
    table = departments.iloc[2:].set_axis(header, axis=1)
    assert int(table["Занятий"].sum()) == held
    assert int(table["Вовремя"].sum()) == on_time
    assert int(table["С опозданием"].sum()) == late
    assert int(table["Не внесено"].sum()) == missing

    share = f"{on_time / held * 100:.1f}".replace(".", ",")
    html = (_reports(out) / "monthly-2025-09.html").read_text(encoding="utf-8")
    assert f"Вовремя внесено: {share}" in html and f"({on_time} из {held})" in html
    assert "\n" not in html and "<style" not in html  # mail-ready: inlined, one line
    text = (_reports(out) / "monthly-2025-09.txt").read_text(encoding="utf-8")
    assert f"Вовремя внесено: {share}" in text
    pages = _pdf_text(_reports(out) / "monthly-2025-09.pdf")
    whole = "\n".join(pages)
    assert f"({on_time} из {held})" in whole
    assert "Копия верна" in pages[-1]
    assert "Справка по итогам проверки ведения электронного журнала" in pages[0]


def test_the_daily_digest_counts_what_is_new_since_the_previous_one(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from auditor.audit import runner
    from auditor.config import load_config
    from auditor.report.daily import daily_reports
    from auditor.store import SqlStore

    out, result, _ = demo
    config = load_config(out / "demo.toml")
    tz = ZoneInfo(TZ_NAME)
    lesson_clauses = {"1.12", "5.3"}
    with SqlStore.open_path(result.store_path) as store:
        digests = daily_reports(store, config, date(2025, 10, 1))
        now = runner.run(store, config, datetime(2025, 10, 1, 7, 30, tzinfo=tz),
                         date(2025, 9, 1), date(2025, 9, 30))  # fmt: skip
        before = runner.run(store, config, datetime(2025, 9, 30, 7, 30, tzinfo=tz),
                            date(2025, 9, 1), date(2025, 9, 30))  # fmt: skip

    def breaches(frame, dept):  # type: ignore[no-untyped-def]
        rows = frame[(frame["department_id"] == dept) & frame["clause"].isin(lesson_clauses)
                     & frame["status"].isin(["late", "missing", "violation"])]  # fmt: skip
        return {(r.rule_id, r.group_id, str(r.lesson_date), str(r.lesson_time))
                for r in rows.itertuples()}  # fmt: skip

    assert len(digests) == 4
    total_new = 0
    for digest in digests:
        dept = digest.department_id
        expected = breaches(now.findings, dept) - breaches(before.findings, dept)
        assert digest.body.new_count == len(expected), digest.stem
        assert sum(line.count for line in digest.body.teachers) == len(expected)
        total_new += len(expected)
        html = (_reports(out) / f"{digest.stem}.html").read_text(encoding="utf-8")
        if expected:
            assert f"Новых нарушений: {len(expected)}" in html
        else:
            assert "Новых нарушений нет" in html
        assert "Проверено:" in html  # an empty digest still says what was checked
    assert total_new > 0


def test_reports_keep_to_their_reader(demo: tuple[Path, MonthResult, list[str]]) -> None:
    """Clauses 1.7, 5.5: a head's reports name nobody of another department; no report but
    the operator's names a pupil (hypothesis picks the department and the report)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from auditor.simulator.dataset import load_dataset

    out, _, _ = demo
    dataset = load_dataset(out / "dataset.json")
    folder = _reports(out)
    pupils = {s.full_name for s in dataset.students}
    association_dept = {a.id: a.department_id for a in dataset.associations}
    group_dept = {g.id: association_dept[g.association_id] for g in dataset.groups}
    lessons_by_dept: dict[int, set[int]] = {}
    for lesson in dataset.lessons:  # who taught in which department (substitutes too)
        lessons_by_dept.setdefault(group_dept[lesson.group_id], set()).add(lesson.teacher_id)
    for group in dataset.groups:
        lessons_by_dept.setdefault(group_dept[group.id], set()).add(group.teacher_id)
    staff_names = {s.id: s.full_name for s in dataset.staff}

    def texts(stem: str) -> str:
        parts = [(folder / f"{stem}.html").read_text(encoding="utf-8"),
                 (folder / f"{stem}.txt").read_text(encoding="utf-8")]  # fmt: skip
        import pandas as pd

        for sheet in pd.read_excel(folder / f"{stem}.xlsx", sheet_name=None).values():
            parts.append(sheet.astype(str).to_string())
        if (folder / f"{stem}.pdf").exists():
            parts += _pdf_text(folder / f"{stem}.pdf")
        return "\n".join(parts)

    cache: dict[str, str] = {}
    departments = sorted({d.id for d in dataset.departments})

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(dept=st.sampled_from(departments), kind=st.sampled_from(["daily", "head-monthly"]))
    def check(dept: int, kind: str) -> None:
        stem = f"daily-2025-10-01-dept-{dept}" if kind == "daily" else (
            f"head-monthly-2025-09-dept-{dept}")  # fmt: skip
        text = cache.setdefault(stem, texts(stem))
        mine = lessons_by_dept.get(dept, set())
        for group in dataset.groups:
            if group_dept[group.id] != dept:
                assert not re.search(rf"(?<![\w-]){re.escape(group.name)}(?![\w-])", text)
        for staff_id, name in staff_names.items():
            if staff_id not in mine and any(staff_id in t for d, t in lessons_by_dept.items()
                                            if d != dept):  # fmt: skip
                assert name not in text, name
        assert not any(p in text for p in pupils)

    check()
    for stem in ("monthly-2025-09", "setup-2025-09-05-deputy"):  # counts, no names
        text = texts(stem)
        assert not any(p in text for p in pupils), stem
    operator = texts("setup-2025-09-05-operator")
    assert any(p in operator for p in pupils)  # the one report that lists pupils


def test_report_command_on_the_demo(demo: tuple[Path, MonthResult, list[str]]) -> None:
    """`auditor --config DIR/demo.toml report …` as the operator runs it on the demo."""
    from click.testing import CliRunner

    from auditor.cli import main

    out, _, _ = demo
    config = str(out / "demo.toml")
    target = out / "cli-reports"

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["--config", config, "report", *args])
        return result.exit_code, result.output

    code, text = run("daily", "--date", "2025-09-16", "--department", "музыки",
                     "--format", "html,csv", "--out", str(target))  # fmt: skip
    assert code == 0, text
    assert (target / "daily-2025-09-16-dept-2.html").exists()
    assert (target / "daily-2025-09-16-dept-2.txt").exists()
    csv_text = (target / "daily-2025-09-16-dept-2.csv").read_text(encoding="utf-8-sig")
    assert "lesson-" in csv_text and "Художественный отдел" not in csv_text  # codes, one dept
    # a digest with nothing new says so, and what was checked: never an empty page
    code, text = run("daily", "--date", "2025-09-16", "--department", "3", "--format", "html",
                     "--out", str(target))  # fmt: skip
    assert code == 0, text
    html = (target / "daily-2025-09-16-dept-3.html").read_text(encoding="utf-8")
    assert "Новых нарушений нет" in html and "Проверено:" in html
    code, text = run("audit", "--period", "2025-09", "--teacher", "Бегов", "--at",
                     "2025-10-01T07:30", "--format", "json,xlsx", "--out", str(target))  # fmt: skip
    assert code == 0, text
    document = json.loads((target / "audit-2025-09-01-2025-09-30.json").read_text("utf-8"))
    assert document["findings"] and {f["teacher"] for f in document["findings"]} == {
        "Бегов Артём Сергеевич"
    }
    code, text = run("daily", "--date", "2025-09-16", "--department", "нет такого")
    assert code == 2 and "--department" in text
    code, text = run("monthly", "--month", "2025-09", "--format", "docx")
    assert code == 2 and "docx" in text


def test_a_non_editable_install_renders_every_report(
    demo: tuple[Path, MonthResult, list[str]], tmp_path: Path
) -> None:
    """`pip install .` (a built wheel, not the source tree) carries report_templates: the
    installed copy prepares and writes every kind of report from the demo's store."""
    import os
    import subprocess
    import sys

    out, _, _ = demo
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--target", str(target), "--quiet", str(ROOT)],
        capture_output=True, text=True, timeout=170,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert (target / "report_templates" / "monthly.html").exists()
    script = f"""
import auditor, report_templates
assert {str(target)!r} in auditor.__file__ and {str(target)!r} in report_templates.__file__
from pathlib import Path
from datetime import date, datetime
from zoneinfo import ZoneInfo
from auditor.config import load_config
from auditor.report.build import Request, prepare
from auditor.report.common import Kind
from auditor.report.outputs import write_report
from auditor.report.render import Renderer
from auditor.store.sqlstore import open_store
config = load_config(Path({str(out / "demo.toml")!r}))
tz = ZoneInfo("Asia/Novokuznetsk")
now = datetime(2025, 10, 1, 7, 30, tzinfo=tz)
requests = [Request(Kind.DAILY, now, day=date(2025, 10, 1), department="1"),
            Request(Kind.HEAD_MONTHLY, now, month="2025-09", department="1"),
            Request(Kind.MONTHLY, now, month="2025-09"),
            Request(Kind.SETUP, datetime(2025, 9, 1, 18, 0, tzinfo=tz)),
            Request(Kind.AUDIT, now, start=date(2025, 9, 1), end=date(2025, 9, 30))]
renderer = Renderer()
with open_store(config.store, create=False) as store:
    for request in requests:
        for report in prepare(store, config, request):
            formats = ("html", "pdf", "xlsx") if request.kind is Kind.MONTHLY else ("html",)
            for path in write_report(report, formats, Path("out"), renderer, now):
                print(path.name)
"""
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    written = set(run.stdout.split())
    for name in ("daily-2025-10-01-dept-1.html", "head-monthly-2025-09-dept-1.html",
                 "monthly-2025-09.pdf", "monthly-2025-09.xlsx",
                 "setup-2025-09-01-operator.html", "audit-2025-09-01-2025-09-30.html"):  # fmt: skip
        assert name in written


def test_report_send_mails_the_files_it_wrote(
    demo: tuple[Path, MonthResult, list[str]], tmp_path: Path
) -> None:
    """`auditor report head-monthly --send`: each head gets the same PDF the command wrote
    (rendered once for both), and a second run sends nothing again."""
    from click.testing import CliRunner

    from auditor.cli import main
    from tests.smtp_server import smtp_server

    out, _, _ = demo
    with smtp_server() as (handler, port):
        config = tmp_path / "mail.toml"
        config.write_text(
            (out / "demo.toml").read_text(encoding="utf-8")
            + f'\n[mail]\nenabled = true\nhost = "127.0.0.1"\nport = {port}\n'
            'security = "none"\nsender = "auditor@example.org"\n'
            '[[directory]]\nname = "Заведующий"\nemail = "head2@example.org"\nrole = "head"\n'
            "department_id = 2\n",
            encoding="utf-8",
        )
        args = ["--config", str(config), "report", "head-monthly", "--month", "2025-09",
                "--department", "2", "--at", "2025-10-10T08:00", "--format", "pdf",
                "--out", str(tmp_path / "r"), "--send"]  # fmt: skip
        first = CliRunner().invoke(main, args)
        assert first.exit_code == 0, first.output
        second = CliRunner().invoke(main, args)
        assert "1 already in the ledger; 0 sent" in second.output, second.output
    [got] = handler.received
    assert got.recipients == ["head2@example.org"]
    pdf = next(a for a in got.message.iter_attachments() if a.get_filename().endswith(".pdf"))
    written = (tmp_path / "r" / "head-monthly-2025-09-dept-2.pdf").read_bytes()
    assert pdf.get_content() == written


def test_the_demo_mails_each_reader_what_the_scheduler_sends(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    """DIR/mail holds each message as the demo's SMTP server received it: the heads'
    digests of the last three mornings, the teachers' evening reminders of the last two
    days (each naming only the teacher's own lessons of that day, and only lessons still
    open at 20:00), the monthly reports and the setup report's two copies."""
    from email import message_from_bytes, policy
    from email.utils import parsedate_to_datetime

    from auditor.simulator.dataset import load_dataset

    out, result, lines = demo
    dataset = load_dataset(out / "dataset.json")
    tz = dataset.institution.tz
    by_email = {p.email: p for p in result.config.directory}
    rows = {d.message_id: d for d in _ledger(result)}
    kinds: dict[str, int] = {}
    seen: set[str] = set()
    for path in sorted((out / "mail").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        row = rows[message["Message-ID"]]  # every message is the ledger's, sent once
        seen.add(message["Message-ID"])
        person = by_email[row.recipient]
        kinds[row.kind] = kinds.get(row.kind, 0) + 1
        sent = parsedate_to_datetime(message["Date"]).astimezone(tz)
        if row.kind == "daily":
            assert person.role == "head" and row.period.endswith(f"dept-{person.department_id}")
            assert f"{sent:%H:%M}" == "07:30" and sent.day in (29, 30, 1)
        if row.kind == "reminder":
            assert person.role == "teacher" and f"{sent:%H:%M}" == "20:00"
            text = str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
            named = set(re.findall(r"• \d\d:\d\d, ([^:]+):", text))
            theirs = [lesson for lesson in dataset.lessons
                      if lesson.teacher_id == person.staff_id and lesson.date == sent.date()
                      and not lesson.cancelled]  # fmt: skip
            groups = {g.id: g.name for g in dataset.groups}
            assert named and named <= {groups[lesson.group_id] for lesson in theirs}
            for name in named:  # each named group had a lesson still open at 20:00
                assert any(
                    not _complete_by(lesson, sent)
                    for lesson in theirs
                    if groups[lesson.group_id] == name
                ), (person.name, name)
    heads = sum(1 for p in result.config.directory if p.role == "head")
    assert kinds["daily"] == 3 * heads and kinds["head-monthly"] == heads
    assert kinds["monthly"] == 1 and kinds["setup"] == 2 and kinds["reminder"] >= 10
    assert sum(kinds.values()) == len(list((out / "mail").glob("*.eml"))) == len(seen)
    assert any("messages received by the demo's SMTP server" in line for line in lines)


def _ledger(result: MonthResult) -> list:  # type: ignore[type-arg]
    from auditor.contract.deliveries import DeliveryState
    from auditor.store import SqlStore

    with SqlStore.open_path(result.store_path) as store:
        rows = store.deliveries()
    assert all(row.state is DeliveryState.SENT for row in rows)
    return rows


def _complete_by(lesson: Lesson, moment: datetime) -> bool:
    """Entered with a topic and attendance by ``moment``."""
    parts = [lesson.entered_at, lesson.topic.first_set_at(),
             lesson.absent_student_ids.first_set_at()]  # fmt: skip
    return all(part is not None and part <= moment for part in parts)


def test_the_demo_archives_its_month_on_two_media(
    demo: tuple[Path, MonthResult, list[str]],
) -> None:
    """Clauses 3.1, 3.2: DIR/archive-1 and DIR/archive-2 hold the same signed entry, which
    verifies and replays through the CLI on DIR/demo.toml; the certified справка carries the
    entry's manifest hash on every page."""
    import hashlib
    import io

    import pypdf
    from click.testing import CliRunner

    from auditor.cli import main

    out, _, lines = demo
    config = str(out / "demo.toml")
    first, second = (
        sorted(p.name for p in (out / d).iterdir()) for d in ("archive-1", "archive-2")
    )
    assert first == second == ["000001-month-2025-09"]
    manifest = (out / "archive-1" / first[0] / "manifest.json").read_bytes()
    assert manifest == (out / "archive-2" / first[0] / "manifest.json").read_bytes()
    digest = hashlib.sha256(manifest).hexdigest()
    assert any(digest in line and "verify: ok" in line for line in lines)
    verified = CliRunner().invoke(main, ["--config", config, "archive", "verify"])
    assert verified.exit_code == 0 and "archive ok" in verified.output, verified.output
    replayed = CliRunner().invoke(main, ["--config", config, "replay", "1"])
    assert replayed.exit_code == 0 and "identical (402 findings)" in replayed.output
    (pdf,) = (out / "certified").glob("monthly-2025-09-certified-*.pdf")
    pages = [
        " ".join(p.extract_text().split())
        for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages
    ]
    assert len(pages) > 1 and all(digest in page for page in pages)
