"""The department head's daily digest (clause 2.3): what changed since the previous one.

Prepared as of the digest time of a working day (``reports.digest_time``, 07:30 by default)
over the academic year's lessons up to the day before. "Since the previous digest" compares
two judgements of the same observations: as of now, and as of the previous working day's
digest time. Both are recomputed from the store, so a digest never depends on whether the
previous one was produced or delivered, and the same digest can be prepared again.

- **new**: breaches (late, missing, violation) that the previous judgement did not have;
- **still open**: entries missing already at the previous digest, with the days since the
  deadline;
- **fixed**: entries missing at the previous digest and made since (or no longer due).

Only the department's teachers' lessons appear (clauses 1.12 and 5.3); setup items are the
operator's. No pupil is named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from auditor.audit import runner
from auditor.audit.engine import AuditResult, calendar_from_frames
from auditor.config import Config
from auditor.contract.findings import STATUS_RU, Status
from auditor.domain import academic_year_start
from auditor.errors import NoObservationsError
from auditor.lazy import pandas as pd
from auditor.report import tally
from auditor.report.common import (
    LESSON_CLAUSES,
    SUBJECT_RU,
    Audience,
    Heading,
    Kind,
    Report,
    as_of_text,
    breaches,
    counts_table,
    coverage_line,
    department_head,
    department_names,
    findings_table,
    gaps_line,
    initials,
    local,
    local_moment,
    rule_titles,
)
from auditor.report.document import Workbook
from auditor.russian import BREACHES, LESSONS, count, long_date, short_moment
from auditor.store.interface import AuditStore
from rules.registry import ALL_RULES

# What identifies one entry's finding across two judgements (its status and kind change:
# missing becomes late once the entry is made).
# A scheduled lesson entered late gets a lesson id it lacked while missing, so a lesson is
# known by its group, date and time; a setup item by its subject and text.
IDENTITY = ["rule_id", "group_id", "lesson_date", "lesson_time", "subject_id"]
# A digest shows the lesson clauses' findings only: the setup rules (half of a judgement's
# time) are not run for it.
LESSON_RULES = tuple(rule.id for rule in ALL_RULES if rule.clause in LESSON_CLAUSES)


@dataclass(frozen=True, slots=True)
class TeacherLine:
    teacher: str
    count: int
    what: str  # «тема занятия — не заполнено: 2; посещаемость — с опозданием: 1»
    where: str  # «Радуга-1А (02.09, 03.09); Радуга-1Б (03.09)»


@dataclass(frozen=True, slots=True)
class ItemLine:
    teacher: str
    group: str
    lesson: str  # «02.09.2025 15:30»
    what: str  # «посещаемость — не заполнено»
    days: int  # days open (still open) or 0
    at: str  # when it was fixed («03.09.2025 23:50»), for fixed items


@dataclass(frozen=True, slots=True)
class DailyBody:
    department: str
    day: str  # «15 сентября 2025 г.»
    since: str  # the previous digest's moment, or "" for the first one
    new_count: int
    new_text: str  # «3 нарушения»
    teachers: tuple[TeacherLine, ...]
    open_count: int
    still_open: tuple[ItemLine, ...]
    fixed_count: int
    fixed: tuple[ItemLine, ...]
    gaps: str  # monitoring gaps in one line ("" when none)
    checked: str  # what was checked


def previous_working_day(day: date, is_working_day: Callable[[date], bool]) -> date:
    """The last working day before ``day`` (Friday for a Monday), within a month."""
    before = day - timedelta(days=1)
    for _ in range(31):
        if is_working_day(before):
            return before
        before -= timedelta(days=1)
    return day - timedelta(days=1)


def judge_day(
    store: AuditStore, config: Config, day: date, since: date | None = None
) -> tuple[AuditResult, AuditResult | None]:
    """The judgement as of ``day``'s digest time and as of the previous working day's, or
    as of ``since``'s (the scheduler's catch-up after a downtime: the digest of the day it
    came back covers everything since the last digest it sent, not one day only)."""
    tz = config.institution.tz
    now = local_moment(day, config.reports.digest_clock, tz)
    end = day - timedelta(days=1)
    start = min(academic_year_start(end), end)
    loaded = store.load_frames(start, end)
    extra = [date.fromisoformat(d) for d in config.institution.extra_holidays]
    calendar = calendar_from_frames(loaded, extra)
    before_day = since if since is not None and since < day else None
    previous = local_moment(
        before_day or previous_working_day(day, calendar.is_working_day),
        config.reports.digest_clock,
        tz,
    )
    # The enabled ones (as today.py asks): only_rules alone would run a switched-off rule.
    rules = [r.id for r in runner.rule_settings(config).rules if r.id in LESSON_RULES]
    current = runner.judge(loaded, config, now, start, end, only_rules=rules)
    try:
        before = runner.judge(loaded, config, previous, start, end, only_rules=rules)
    except NoObservationsError:
        before = None  # the first digest: everything found is new
    return current, before


def daily_reports(
    store: AuditStore,
    config: Config,
    day: date,
    department_ids: Sequence[int] | None = None,
) -> list[Report]:
    """One digest per department (or the given ones), as of ``day``'s digest time."""
    current, before = judge_day(store, config, day)
    assert current.frames is not None
    names = department_names(current.frames)
    chosen = list(names) if department_ids is None else list(department_ids)
    return [daily_report(config, current, before, dept, names[dept]) for dept in chosen]


def _identity(frame: pd.DataFrame) -> pd.Series:
    parts = [frame[name].astype(object).fillna("").map(str) for name in IDENTITY]
    key = parts[0]
    for part in parts[1:]:
        key = key + "|" + part
    return key


def _department_lessons(findings: pd.DataFrame, department_id: int) -> pd.DataFrame:
    mine = findings[
        (findings["department_id"] == department_id) & findings["clause"].isin(LESSON_CLAUSES)
    ]
    return mine.assign(identity=_identity(mine)) if len(mine) else mine.assign(identity="")


def daily_report(
    config: Config,
    current: AuditResult,
    before: AuditResult | None,
    department_id: int,
    department: str,
) -> Report:
    tz = config.institution.tz
    now_rows = _department_lessons(current.findings, department_id)
    old_rows = (
        _department_lessons(before.findings, department_id)
        if before is not None
        else now_rows.iloc[0:0]
    )
    now_breaches, old_breaches = breaches(now_rows), breaches(old_rows)
    new = now_breaches[~now_breaches["identity"].isin(set(old_breaches["identity"]))]
    old_missing = old_rows[old_rows["status"] == Status.MISSING.value]
    now_missing = now_rows[now_rows["status"] == Status.MISSING.value]
    still_open = now_missing[now_missing["identity"].isin(set(old_missing["identity"]))]
    fixed_ids = set(old_missing["identity"]) - set(now_missing["identity"])
    fixed_now = now_rows[now_rows["identity"].isin(fixed_ids)].drop_duplicates("identity")
    fixed_gone = old_missing[
        old_missing["identity"].isin(fixed_ids - set(fixed_now["identity"]))
    ]  # no longer found at all (e.g. the lesson was cancelled)
    still_open = still_open.sort_values("established_at")

    entries = tally.entries(current)
    mine = entries[entries["department_id"] == department_id]
    day = current.now.astimezone(tz).date()
    assert current.frames is not None
    head = department_head(current.frames, department_id)
    body = DailyBody(
        department=department,
        day=long_date(day),
        since=as_of_text(before.now, tz) if before is not None else "",
        new_count=len(new),
        new_text=count(len(new), BREACHES),
        teachers=teacher_lines(new),
        open_count=len(still_open),
        still_open=tuple(_item(row, tz, current.now) for row in still_open.itertuples()),
        fixed_count=len(fixed_now) + len(fixed_gone),
        fixed=tuple(_item(row, tz, None) for row in fixed_now.itertuples())
        + tuple(_item(row, tz, None, gone=True) for row in fixed_gone.itertuples()),
        gaps=gaps_line(now_rows, current.coverage),
        checked=(
            f"{count(len(mine), LESSONS)} отдела с {current.start:%d.%m.%Y} по "
            f"{current.end:%d.%m.%Y} с истёкшим сроком внесения; "
            f"{coverage_line(current.coverage)}"
        ),
    )
    titles = rule_titles(current)
    detail = now_rows.drop(columns="identity")
    workbook = Workbook(
        title=f"Ежедневная сводка: {department}, {long_date(day)}",
        summary=(
            ("Учреждение", config.institution.name),
            ("Отдел", department),
            ("По состоянию на", current.now.astimezone(tz)),
            ("Предыдущая сводка", before.now.astimezone(tz) if before is not None else None),
            ("Новых нарушений", body.new_count),
            ("Не заполнено до сих пор", body.open_count),
            ("Исправлено", body.fixed_count),
            ("Пробелы в проверках", body.gaps or "нет"),
        ),
        counts=counts_table(detail, titles),
        details=(
            findings_table(
                new.drop(columns="identity"), tz, titles, name="Новые", title="Новые нарушения"
            ),
            findings_table(
                still_open.drop(columns="identity"), tz, titles,
                name="Не заполнено", title="Не заполнено до сих пор",
            ),
            findings_table(
                fixed_now.drop(columns="identity"), tz, titles,
                name="Исправлено", title="Исправлено со времени предыдущей сводки",
            ),
            findings_table(
                detail, tz, titles, name="Все записи", title="Все записи отдела за учебный год"
            ),
        ),
    )  # fmt: skip
    addressee = ""
    if head is not None:
        addressee = f"{head[1]} {initials(head[0])}"
    return Report(
        kind=Kind.DAILY,
        audience=Audience.HEAD,
        stem=f"daily-{day:%Y-%m-%d}-dept-{department_id}",
        template="daily.html",
        heading=Heading(
            institution=config.institution.name,
            title="Ежедневная сводка по ведению электронного журнала",
            subtitle=department,
            period=long_date(day),
            as_of=as_of_text(current.now, tz),
            addressee=addressee,
        ),
        body=body,
        workbook=workbook,
        findings=detail,
        audit=current,
        department_id=department_id,
    )


def teacher_lines(new: pd.DataFrame) -> tuple[TeacherLine, ...]:
    """One line per teacher, most breaches first: what, and which groups and dates."""
    if new.empty:
        return ()
    lines = []
    rows = new.assign(teacher=new["teacher"].where(new["teacher"] != "", "педагог не указан"))
    for teacher, part in rows.groupby("teacher", sort=False):
        what = part.groupby(["rule_id", "status"], sort=True).size()
        what_text = "; ".join(
            f"{SUBJECT_RU.get(str(rule), str(rule))} — {STATUS_RU[Status(str(status))]}"
            + (f" ×{n}" if n > 1 else "")
            for (rule, status), n in what.items()
        )
        where = []
        for group, lessons in part.groupby("group", sort=True):
            days = sorted({d for d in pd.to_datetime(lessons["lesson_date"]).dropna()})
            where.append(f"{group} ({', '.join(f'{d:%d.%m}' for d in days)})")
        lines.append(TeacherLine(str(teacher), len(part), what_text, "; ".join(where)))
    return tuple(sorted(lines, key=lambda line: (-line.count, line.teacher)))


def _item(row: Any, tz: ZoneInfo, now: datetime | None, *, gone: bool = False) -> ItemLine:
    lesson_date = row.lesson_date
    lesson_time = row.lesson_time
    lesson = ""
    if not pd.isna(lesson_date):
        lesson = f"{pd.Timestamp(lesson_date):%d.%m.%Y}"
        if not pd.isna(lesson_time):
            lesson += f" {(pd.Timestamp(0) + pd.Timedelta(lesson_time)):%H:%M}"
    rule = str(row.rule_id)
    status = Status(str(row.status))
    established = local(row.established_at, tz)
    closed = local(row.closed_at, tz)
    days = (now.astimezone(tz) - established).days if now and established else 0
    return ItemLine(
        teacher=str(row.teacher),
        group=str(row.group),
        lesson=lesson,
        what=f"{SUBJECT_RU.get(rule, rule)} — {STATUS_RU[status]}",
        days=days,
        at="больше не требуется" if gone else (f"внесено {short_moment(closed)}" if closed else ""),
    )
