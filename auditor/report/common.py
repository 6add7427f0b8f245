"""What every report for people shares: its heading, signatory, and the tables made of
findings, counts and shares.

Names of pupils never reach these tables: findings carry a pupil only as ``subject_id``, and
only the operator's setup report looks names up (``auditor.report.setup``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from auditor.audit.coverage import Coverage
from auditor.contract.findings import BREACHES, GAPS, LABELS_RU, STATUS_RU, Status
from auditor.domain import Role
from auditor.lazy import pandas as pd
from auditor.report.document import Cell, Column, ColumnKind, Shares, Table, Workbook
from auditor.report.export import ORDER, night_gaps
from auditor.russian import LESSONS, MIDNIGHTS, RUNS, count, long_date, month_name, short_moment

if TYPE_CHECKING:
    from auditor.audit.engine import AuditResult
    from auditor.contract.frames import Frames


class Kind(StrEnum):
    DAILY = "daily"
    HEAD_MONTHLY = "head-monthly"
    MONTHLY = "monthly"
    SETUP = "setup"
    AUDIT = "audit"
    REMINDER = "reminder"


class Audience(StrEnum):
    HEAD = "head"  # one department only
    DEPUTY = "deputy"  # the whole institution, counts of pupils only
    OPERATOR = "operator"  # the one reader who may see pupils' names (clause 1.7)
    TEACHER = "teacher"  # one teacher's own lessons only


# What a lesson rule's finding is about, for a line a person reads.
SUBJECT_RU = {
    "lesson-topic-same-day": "тема занятия",
    "lesson-attendance-same-day": "посещаемость",
    "substitution-marked": "отметка о замене",
    "scheduled-lesson-entered": "занятие по расписанию",
    "topic-quality": "тема и прохождение",
}
# The clauses whose findings concern teachers' lessons (a head's concern); clause 2.2's
# setup items are the operator's, clause 5.2's pupil data too.
LESSON_CLAUSES = frozenset({"1.12", "5.3"})


@dataclass(frozen=True, slots=True)
class Signatory:
    position: str
    name: str  # «Т. С. Бугова»


@dataclass(frozen=True, slots=True)
class Heading:
    institution: str
    title: str  # «Справка по итогам проверки ведения электронного журнала»
    subtitle: str  # the department, the period
    period: str  # «сентябрь 2025 г.», «15 сентября 2025 г.»
    as_of: str  # «01.10.2025 07:30»
    addressee: str = ""  # «Заведующему художественным отделом С. М. Солину»: empty if none


@dataclass(frozen=True, slots=True)
class Report:
    """One report for one reader, ready to be written in any format."""

    kind: Kind
    audience: Audience
    stem: str  # the file name without extension, e.g. "daily-2025-09-15-dept-1"
    template: str  # the body template in report_templates/
    heading: Heading
    body: Any  # the kind's own prepared context (a frozen dataclass)
    workbook: Workbook
    findings: pd.DataFrame  # the findings the reader may see, for CSV and JSON (codes)
    audit: AuditResult
    charts: Mapping[str, bytes] = field(default_factory=dict)  # name → PNG
    department_id: int | None = None


def initials(full_name: str) -> str:
    """«Бугова Татьяна Степановна» → «Т. С. Бугова» (as a signature line reads)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return " ".join(f"{p[0]}." for p in parts[1:3]) + " " + parts[0]


def staff_with_role(frames: Frames, role: Role) -> tuple[str, str] | None:
    """(full name, position) of the first staff member with ``role``, if ЭШ 2.0 shows one."""
    staff = frames.staff
    rows = staff[staff["roles"].str.split(",").map(lambda roles: role.value in roles)]
    if rows.empty:
        return None
    first = rows.iloc[0]
    return str(first["full_name"]), str(first["position"])


def signatory(frames: Frames, position: str = "", name: str = "") -> Signatory:
    """The deputy director (or the configured signer) who signs and certifies (clause 3.2)."""
    seen = staff_with_role(frames, Role.DEPUTY_DIRECTOR)
    return Signatory(
        position or (seen[1] if seen else "Заместитель директора по УВР"),
        name or (initials(seen[0]) if seen else ""),
    )


def department_head(frames: Frames, department_id: int) -> tuple[str, str] | None:
    """(full name, position) of the department's head."""
    departments = frames.departments.set_index("department_id")
    head = departments["head_id"].get(department_id)
    if head is None or pd.isna(head):
        return None
    staff = frames.staff.set_index("staff_id")
    if int(head) not in staff.index:
        return None
    return str(staff.at[int(head), "full_name"]), str(staff.at[int(head), "position"])


def department_names(frames: Frames) -> dict[int, str]:
    table = frames.departments
    return dict(zip(table["department_id"].astype(int), table["name"].astype(str), strict=True))


def local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def as_of_text(moment: datetime, tz: ZoneInfo) -> str:
    return short_moment(moment.astimezone(tz))


def coverage_line(seen: Coverage | None) -> str:
    """«60 проверок ЭШ (01.09.2025 07:00 – 30.09.2025 23:50); 1040 занятий в периоде»."""
    if seen is None:
        return ""
    first, last = seen.first_observation, seen.last_observation
    span = f" ({short_moment(first)} – {short_moment(last)})" if first and last else ""
    return f"{count(seen.runs, RUNS)} ЭШ{span}; {count(seen.lessons_judged, LESSONS)} в периоде"


def gaps_line(findings: pd.DataFrame, seen: Coverage | None) -> str:
    """Monitoring gaps in one line, apart from breaches: what could not be proved, and why
    (the polls to add). Empty when there is none."""
    gaps = int(findings["status"].isin([s.value for s in GAPS]).sum())
    nights = seen.unwatched_midnights if seen is not None else ()
    if not gaps and not nights:
        return ""
    text = f"не удалось подтвердить своевременность: {gaps} (это пробелы в проверках, не нарушения)"
    if nights:
        text += f"; {count(len(nights), MIDNIGHTS)} без проверки перед полуночью: "
        text += night_gaps(nights, shown=3)
    return text


def breaches(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["status"].isin([s.value for s in BREACHES])]


def local(moment: Any, tz: ZoneInfo) -> datetime | None:
    """An aware local datetime from a frame's moment (None for NaT)."""
    if moment is None or pd.isna(moment):
        return None
    stamp: datetime = pd.Timestamp(moment).tz_convert(tz).to_pydatetime()
    return stamp


def day_of(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    day: date = pd.Timestamp(value).date()
    return day


def time_of(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return str((pd.Timestamp(0) + pd.Timedelta(value)).strftime("%H:%M"))


FINDING_TABLE_COLUMNS: tuple[tuple[str, ColumnKind], ...] = (
    ("department", ColumnKind.TEXT),
    ("group", ColumnKind.TEXT),
    ("teacher", ColumnKind.TEXT),
    ("lesson_date", ColumnKind.DATE),
    ("lesson_time", ColumnKind.TEXT),
    ("clause", ColumnKind.TEXT),
    ("rule_id", ColumnKind.TEXT),
    ("status", ColumnKind.TEXT),
    ("item", ColumnKind.TEXT),
    ("evidence", ColumnKind.TEXT),
    ("days_late", ColumnKind.NUMBER),
    ("established_at", ColumnKind.MOMENT),
    ("closed_at", ColumnKind.MOMENT),
)


def findings_table(
    findings: pd.DataFrame,
    tz: ZoneInfo,
    titles: Mapping[str, str],
    *,
    name: str = "Нарушения",
    title: str = "Нарушения и пробелы в проверках",
    note: str = "",
) -> Table:
    """Every finding as a row people read: Russian status and rule title, local times."""
    columns = tuple(
        Column(key, "Правило" if key == "rule_id" else LABELS_RU[key], kind)
        for key, kind in FINDING_TABLE_COLUMNS
    )
    rows: list[tuple[Cell, ...]] = []
    for f in findings.itertuples(index=False):
        days_late = None if pd.isna(f.days_late) else int(f.days_late)
        rows.append(
            (
                f.department, f.group, f.teacher, day_of(f.lesson_date), time_of(f.lesson_time),
                f.clause, titles.get(f.rule_id, f.rule_id), STATUS_RU[Status(f.status)], f.item,
                f.evidence, days_late, local(f.established_at, tz), local(f.closed_at, tz),
            )
        )  # fmt: skip
    return Table(name, title, columns, tuple(rows), note or ("" if rows else "Нет записей."))


def counts_table(findings: pd.DataFrame, titles: Mapping[str, str]) -> Table:
    """Counts by rule (with its clause) and status, breaches first."""
    statuses = [s for s in ORDER if s.value in set(findings["status"])]
    columns = (
        Column("clause", "Пункт"),
        Column("rule", "Правило"),
        *(Column(s.value, STATUS_RU[s].capitalize(), ColumnKind.NUMBER) for s in statuses),
        Column("total", "Всего", ColumnKind.NUMBER),
    )
    rows: list[tuple[Cell, ...]] = []
    if not findings.empty:
        grouped = findings.groupby(["clause", "rule_id"])["status"].value_counts()
        for (clause, rule_id), part in grouped.groupby(level=[0, 1]):
            by_status = {k[2]: int(v) for k, v in part.items()}
            numbers = [by_status.get(s.value, 0) for s in statuses]
            rows.append((clause, titles.get(str(rule_id), str(rule_id)), *numbers, sum(numbers)))
    return Table("Итоги", "Число записей по правилам и статусам", columns, tuple(rows))


SHARE_COLUMNS: tuple[Column, ...] = (
    Column("held", "Занятий", ColumnKind.NUMBER),
    Column("on_time", "Вовремя", ColumnKind.NUMBER),
    Column("on_time_share", "Вовремя, %", ColumnKind.PERCENT),
    Column("late", "С опозданием", ColumnKind.NUMBER),
    Column("missing", "Не внесено", ColumnKind.NUMBER),
    Column("cannot_prove", "Не подтверждено", ColumnKind.NUMBER),
)


def share_cells(shares: Shares) -> tuple[Cell, ...]:
    return (
        shares.held, shares.on_time, shares.on_time_share, shares.late, shares.missing,
        shares.cannot_prove,
    )  # fmt: skip


def shares_table(
    name: str,
    title: str,
    leading: Sequence[Column],
    rows: Iterable[tuple[Sequence[Cell], Shares, Sequence[Cell]]],
    *,
    trailing: Sequence[Column] = (),
    note: str = "",
) -> Table:
    """A table of shares: each row's leading cells (names), its shares, its trailing counts."""
    body = tuple((*lead, *share_cells(shares), *trail) for lead, shares, trail in rows)
    return Table(name, title, (*leading, *SHARE_COLUMNS, *trailing), body, note)


def period_text(start: date, end: date) -> str:
    if start == end:
        return long_date(start)
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and start.month == end.month:
        return f"{month_name(start)} г."
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def rule_titles(result: AuditResult) -> dict[str, str]:
    return {str(rule["id"]): str(rule["title"]) for rule in result.rules_run}
