"""The monthly reports: the department head's report to the deputy director (clause 2.4, due
on the 10th) and the deputy director's «справка по итогам проверки» (clause 2.3).

Both rest on one audit of the academic year up to the end of the month, as of the report's
moment: the month's shares come from its lessons, the trend and "against the previous
month" from the earlier months of the same audit. On time is a fact fixed at the deadline,
so an earlier month's on-time share does not depend on when it is judged; its late and
missing parts do (a missing entry made later turns late).

The shape follows shared/reports/readers.md: purpose, dates, method, object, results per
department and teacher, notable cases, conclusions, recommendations, signature.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from auditor.audit import runner
from auditor.audit.engine import AuditResult
from auditor.config import Config
from auditor.contract.findings import Status
from auditor.domain import academic_year_start, month_bounds
from auditor.lazy import pandas as pd
from auditor.report import tally
from auditor.report.common import (
    LESSON_CLAUSES,
    Audience,
    Heading,
    Kind,
    Report,
    Signatory,
    as_of_text,
    counts_table,
    coverage_line,
    department_head,
    department_names,
    findings_table,
    gaps_line,
    initials,
    rule_titles,
    shares_table,
    signatory,
)
from auditor.report.document import Cell, Column, ColumnKind, MonthShares, Shares, Table, Workbook
from auditor.russian import (
    ASSOCIATIONS,
    DEPARTMENTS,
    GROUPS,
    LESSONS,
    TEACHERS,
    count,
    long_date,
    month_name,
)
from auditor.store.interface import AuditStore

# A department or teacher entering at least this share of lessons on time keeps the journal
# properly; below it the conclusions name them. (The regulation sets no figure: every lesson
# is due the same day; this only sorts the conclusions.)
GOOD_SHARE = 0.95
# Recommendations give teachers this many days to fill in what is missing.
FILL_IN_DAYS = 3
SETUP_CLAUSE = "2.2"


@dataclass(frozen=True, slots=True)
class MonthlyBody:
    month: str  # «сентябрь 2025 г.»
    purpose: str
    dates: str
    method: str
    scope: str  # what was checked: departments, groups, lessons
    total: Shares
    previous: Shares | None
    change: str  # «+2,5 п. п. к августу 2025 г.» or ""
    shares: tuple[Table, ...]  # per department / teacher / group (in print, in full)
    attention: Table | None  # teachers below GOOD_SHARE, least on time first (mail body)
    issues: Table  # substitution and attendance per teacher
    movers: tuple[str, ...]  # teachers who improved or worsened since the previous month
    notable: tuple[str, ...]
    conclusions: tuple[str, ...]
    recommendations: tuple[str, ...]
    setup: Table | None  # open setup items (deputy director's report only)
    coverage: str
    gaps: str
    signer: Signatory
    known: bool  # the shares could be computed (the topic rule ran)


def judge_month(store: AuditStore, config: Config, month: str, now: datetime) -> AuditResult:
    """One audit of the academic year up to the end of ``month`` (YYYY-MM), as of ``now``."""
    first, last = month_bounds(month)
    return runner.run(store, config, now, academic_year_start(first), last)


def month_findings(result: AuditResult, month: str) -> pd.DataFrame:
    """The month's findings: lesson findings by lesson date; setup findings (no lesson
    date) are the state as of the report."""
    findings = result.findings
    first, last = month_bounds(month)
    dates = pd.to_datetime(findings["lesson_date"])
    in_month = dates.between(pd.Timestamp(first), pd.Timestamp(last))
    return findings[in_month | dates.isna()]


def previous_month(month: str) -> str:
    first, _ = month_bounds(month)
    before = first - timedelta(days=1)
    return f"{before:%Y-%m}"


def _issues(findings: pd.DataFrame) -> dict[int, tuple[int, int, int]]:
    """Per teacher: unmarked or late substitutions, attendance late, attendance missing."""
    subst = tally.issues_by_teacher(findings, tally.SUBSTITUTION_RULE)
    attendance = findings[findings["rule_id"] == tally.ATTENDANCE_RULE]
    late = tally.issues_by_teacher(
        attendance[attendance["status"] == "late"], tally.ATTENDANCE_RULE
    )
    missing = tally.issues_by_teacher(
        attendance[attendance["status"] == "missing"], tally.ATTENDANCE_RULE
    )
    ids = set(subst) | set(late) | set(missing)
    return {i: (subst.get(i, 0), late.get(i, 0), missing.get(i, 0)) for i in ids}


ISSUE_COLUMNS = (
    Column("substitution", "Замена не отмечена или поздно", ColumnKind.NUMBER),
    Column("attendance_late", "Посещаемость с опозданием", ColumnKind.NUMBER),
    Column("attendance_missing", "Посещаемость не отмечена", ColumnKind.NUMBER),
)


def _names(frame: pd.DataFrame, id_col: str, name_col: str) -> dict[int, str]:
    return dict(zip(frame[id_col].astype(int), frame[name_col].astype(str), strict=True))


def _share_rows(
    by: dict[int, Shares],
    names: dict[int, str],
    trailing: dict[int, tuple[int, int, int]] | None = None,
) -> list[tuple[Sequence[Cell], Shares, Sequence[Cell]]]:
    """Rows of a shares table, the least on time first (they need attention)."""
    rows: list[tuple[Sequence[Cell], Shares, Sequence[Cell]]] = []
    for key, shares in by.items():
        trail: Sequence[Cell] = () if trailing is None else trailing.get(key, (0, 0, 0))
        rows.append(((names.get(key, "не указан"),), shares, trail))
    return sorted(rows, key=lambda row: (row[1].on_time_share or 0.0, str(row[0][0])))


def change_text(now: Shares, before: Shares | None, before_month: str) -> str:
    if before is None or not before.held or not now.held:
        return ""
    delta = ((now.on_time_share or 0.0) - (before.on_time_share or 0.0)) * 100
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    first, _ = month_bounds(before_month)
    return f"{sign}{abs(delta):.1f} п. п. к {month_name(first)} г.".replace(".", ",", 1)


def movers(
    now_rows: pd.DataFrame, before_rows: pd.DataFrame, staff: dict[int, str]
) -> tuple[str, ...]:
    """Teachers whose on-time share moved by 10 points or more since the previous month."""
    if before_rows.empty:
        return ()
    now_by, before_by = (
        tally.shares_by(now_rows, "teacher_id"),
        tally.shares_by(before_rows, "teacher_id"),
    )
    lines = []
    for key, shares in now_by.items():
        old = before_by.get(key)
        if old is None or not old.held or not shares.held or key == tally.UNKNOWN:
            continue
        delta = ((shares.on_time_share or 0) - (old.on_time_share or 0)) * 100
        if abs(delta) >= 10:
            verb = "улучшил(а)" if delta > 0 else "ухудшил(а)"
            lines.append(
                (
                    -abs(delta),
                    f"{staff.get(key, '?')} {verb} долю занятий, внесённых вовремя: "
                    f"{_pct(old.on_time_share)} → {_pct(shares.on_time_share)}",
                )
            )
    return tuple(text for _, text in sorted(lines))


def notable(rows: pd.DataFrame, findings: pd.DataFrame, staff: dict[int, str]) -> tuple[str, ...]:
    """The cases worth a sentence: the most missing entries, the latest entry."""
    out = []
    missing = rows[rows["status"] == Status.MISSING.value]["teacher_id"].value_counts()
    for teacher, number in missing.head(3).items():
        out.append(
            f"{staff.get(int(teacher), '?')}: не внесено {count(int(number), LESSONS)} "
            "(тема или запись занятия) на дату отчёта."
        )
    late = findings[
        findings["clause"].isin(LESSON_CLAUSES) & findings["days_late"].notna()
    ].sort_values("days_late", ascending=False)
    if not late.empty:
        top = late.iloc[0]
        out.append(
            f"Наибольшее опоздание: {top['teacher'] or 'педагог не указан'}, группа "
            f"«{top['group']}», занятие {pd.Timestamp(top['lesson_date']):%d.%m.%Y} — внесено на "
            f"{int(top['days_late'])} дн. позже дня занятия."
        )
    return tuple(out)


def conclusions(by_name: Sequence[tuple[str, Shares]], what: str, total: Shares) -> tuple[str, ...]:
    good = [name for name, s in by_name if s.held and (s.on_time_share or 0) >= GOOD_SHARE]
    poor = [
        f"{name} ({_pct(s.on_time_share)})"
        for name, s in by_name
        if s.held and (s.on_time_share or 0) < GOOD_SHARE
    ]
    out = []
    if total.held:
        out.append(
            f"Занятий с истёкшим сроком внесения: {total.held}; внесено вовремя: "
            f"{total.on_time} ({_pct(total.on_time_share)}); с опозданием: {total.late}; "
            f"не внесено: {total.missing}; не удалось подтвердить: {total.cannot_prove}."
        )
    if good:
        out.append(f"Журнал ведут надлежащим образом ({what}): {', '.join(good)}.")
    if poor:
        out.append(f"Не обеспечено своевременное заполнение журнала ({what}): {', '.join(poor)}.")
    return tuple(out)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"


def recommendations(
    rows: pd.DataFrame,
    findings: pd.DataFrame,
    staff: dict[int, str],
    as_of: date,
    *,
    heads: Sequence[str] = (),
    setup: Table | None = None,
    unwatched: int = 0,
) -> tuple[str, ...]:
    out = []
    by = f"до {long_date(as_of + timedelta(days=FILL_IN_DAYS))}"
    missing = rows[rows["status"] == Status.MISSING.value]["teacher_id"].value_counts()
    named = [f"{staff.get(int(t), '?')} ({int(n)})" for t, n in missing.items()]
    if named:
        out.append(f"Педагогам внести недостающие записи о занятиях {by}: {', '.join(named)}.")
    subst = findings[
        (findings["rule_id"] == tally.SUBSTITUTION_RULE) & findings["teacher_id"].notna()
    ]["teacher_id"].value_counts()
    if len(subst):
        names = ", ".join(staff.get(int(t), "?") for t in subst.index)
        out.append(f"Отмечать замену в момент внесения записи о занятии (п. 1.12): {names}.")
    late_teachers = rows[rows["status"] == Status.LATE.value]["teacher_id"].value_counts()
    if len(late_teachers):
        names = ", ".join(staff.get(int(t), "?") for t in late_teachers.head(5).index)
        out.append(
            f"Вносить тему и посещаемость в день занятия (п. 1.12), в первую очередь: {names}."
        )
    if heads:
        out.append(
            "Заведующим отделами обеспечить ежедневный контроль заполнения журнала (п. 2.3): "
            + "; ".join(heads)
            + "."
        )
    if setup is not None and setup.rows:
        out.append(
            "Ответственному оператору ЭЖ: устранить незавершённые пункты настройки журнала "
            "(п. 2.2), см. таблицу «Настройка журнала»."
        )
    if unwatched:
        out.append(
            "Ответственному оператору ЭЖ: добавить проверку журнала перед полуночью в "
            "расписание наблюдения (пробелы в проверках не позволяют подтвердить "
            "своевременность)."
        )
    return tuple(out)


def setup_table(findings: pd.DataFrame, titles: dict[str, str]) -> Table:
    """Open setup items of clause 2.2 by item and status, with counts (no names)."""
    setup = findings[
        (findings["clause"] == SETUP_CLAUSE)
        & findings["status"].isin([Status.VIOLATION.value, Status.PENDING.value])
    ]
    grouped = setup.groupby(["rule_id", "item", "status"], sort=True).size()
    rows: list[tuple[Cell, ...]] = [
        (titles.get(str(rule), str(rule)), str(item), "нарушение" if status == "violation"
         else "ожидается", int(n))
        for (rule, item, status), n in grouped.items()
    ]  # fmt: skip
    return Table(
        "Настройка журнала",
        "Незавершённые пункты настройки журнала (п. 2.2)",
        (
            Column("rule", "Пункт"),
            Column("item", "Что не сделано"),
            Column("status", "Статус"),
            Column("count", "Сколько", ColumnKind.NUMBER),
        ),
        tuple(rows),
        "" if rows else "Все пункты выполнены.",
    )


@dataclass(frozen=True, slots=True)
class MonthData:
    """The month's entries and findings, the previous month's entries, and the names."""

    entries: pd.DataFrame  # every due lesson of the audit (the trend's months too)
    rows: pd.DataFrame
    findings: pd.DataFrame
    before_month: str
    before_rows: pd.DataFrame
    staff: dict[int, str]
    groups: dict[int, str]

    def department(self, department_id: int) -> MonthData:
        """The same, narrowed to one department's lessons (clauses 1.12 and 5.3)."""
        findings = self.findings
        return dataclasses.replace(
            self,
            rows=self.rows[self.rows["department_id"] == department_id],
            before_rows=self.before_rows[self.before_rows["department_id"] == department_id],
            findings=findings[
                (findings["department_id"] == department_id)
                & findings["clause"].isin(LESSON_CLAUSES)
            ],
        )


def month_data(result: AuditResult, month: str) -> MonthData:
    assert result.frames is not None
    entries = tally.entries(result)  # once per audit: the month, the one before, the trend
    before_month = previous_month(month)
    return MonthData(
        entries=entries,
        rows=entries[entries["month"] == month],
        findings=month_findings(result, month),
        before_month=before_month,
        before_rows=entries[entries["month"] == before_month],
        staff=_names(result.frames.staff, "staff_id", "full_name"),
        groups=_names(result.frames.groups, "group_id", "name"),
    )


def _purpose(month: str) -> str:
    return (
        "своевременность и полнота заполнения электронного журнала: внесение тем занятий, "
        "посещаемости и отметок о замене в день проведения занятия (п. 1.12, 5.3 Положения "
        "о ведении электронного журнала), настройка журнала (п. 2.2)"
    )


def _method(result: AuditResult) -> str:
    return (
        "автоматическое наблюдение электронного журнала ЭШ 2.0 (ruobr-auditor): "
        + coverage_line(result.coverage)
    )


def monthly_reports(
    store: AuditStore, config: Config, month: str, now: datetime, *, charts: bool = True
) -> tuple[Report, list[Report]]:
    """The deputy director's report and every department's monthly report, from one audit."""
    result = judge_month(store, config, month, now)
    assert result.frames is not None
    names = department_names(result.frames)
    data = month_data(result, month)
    deputy = deputy_report(config, result, month, charts=charts, data=data)
    heads = [head_report(config, result, month, i, n, data=data) for i, n in names.items()]
    return deputy, heads


def _body(
    config: Config,
    result: AuditResult,
    month: str,
    data: MonthData,
    *,
    scope: str,
    shares: tuple[Table, ...],
    attention: Table | None,
    issues: Table,
    by_name: Sequence[tuple[str, Shares]],
    what: str,
    heads: Sequence[str],
    setup: Table | None,
    signer: Signatory,
) -> MonthlyBody:
    tz = config.institution.tz
    first, last = month_bounds(month)
    total = tally.total(data.rows)
    before = tally.total(data.before_rows) if not data.before_rows.empty else None
    unwatched = len(result.coverage.unwatched_midnights) if result.coverage else 0
    return MonthlyBody(
        month=f"{month_name(first)} г.",
        purpose=PURPOSE,
        dates=(
            f"занятия с {first:%d.%m.%Y} по {last:%d.%m.%Y}; по состоянию на "
            f"{as_of_text(result.now, tz)}"
        ),
        method=(
            "автоматическое наблюдение электронного журнала ЭШ 2.0 (ruobr-auditor): "
            + coverage_line(result.coverage)
        ),
        scope=scope + f"; занятий с истёкшим сроком внесения: {total.held}",
        total=total,
        previous=before,
        change=change_text(total, before, data.before_month),
        shares=shares,
        attention=attention,
        issues=issues,
        movers=movers(data.rows, data.before_rows, data.staff),
        notable=notable(data.rows, data.findings, data.staff),
        conclusions=conclusions(by_name, what, total),
        recommendations=recommendations(
            data.rows,
            data.findings,
            data.staff,
            result.now.astimezone(tz).date(),
            heads=heads,
            setup=setup,
            unwatched=unwatched,
        ),
        setup=setup,
        coverage=coverage_line(result.coverage),
        gaps=gaps_line(data.findings, result.coverage),
        signer=signer,
        known=tally.shares_known(result),
    )


PURPOSE = (
    "своевременность и полнота заполнения электронного журнала: внесение тем занятий, "
    "посещаемости и отметок о замене в день проведения занятия (п. 1.12, 5.3 Положения "
    "о ведении электронного журнала), настройка журнала (п. 2.2)"
)


def deputy_report(
    config: Config,
    result: AuditResult,
    month: str,
    *,
    charts: bool,
    data: MonthData | None = None,
) -> Report:
    """The deputy director's справка: the whole institution, per department and teacher."""
    tz = config.institution.tz
    assert result.frames is not None
    data = data or month_data(result, month)
    dept_names = department_names(result.frames)
    by_dept = tally.shares_by(data.rows, "department_id")
    issues = _issues(data.findings)
    teacher_dept = _teacher_departments(data.rows)
    titles = rule_titles(result)
    dept_table = shares_table(
        "Отделы", "Своевременность по отделам", (Column("department", "Отдел"),),
        _share_rows(by_dept, dept_names),
    )  # fmt: skip
    by_teacher = tally.shares_by(data.rows, "teacher_id")
    teacher_rows: list[tuple[Sequence[Cell], Shares, Sequence[Cell]]] = [
        ((dept_names.get(teacher_dept.get(key, tally.UNKNOWN), ""), data.staff.get(key, "?")),
         shares, ())
        for key, shares in by_teacher.items()
    ]  # fmt: skip
    teacher_rows.sort(key=lambda r: (str(r[0][0]), r[1].on_time_share or 0.0, str(r[0][1])))
    teacher_table = shares_table(
        "Педагоги", "Своевременность по педагогам",
        (Column("department", "Отдел"), Column("teacher", "Педагог")), teacher_rows,
    )  # fmt: skip
    setup = setup_table(result.findings, titles)
    heads = []
    for dept, shares in by_dept.items():
        if shares.held and (shares.on_time_share or 0) < GOOD_SHARE and dept != tally.UNKNOWN:
            head = department_head(result.frames, dept)
            name = dept_names.get(dept, "")
            heads.append(f"{name} — {initials(head[0])}" if head else name)
    signer = signatory(result.frames, config.reports.signer_position, config.reports.signer_name)
    body = _body(
        config, result, month, data,
        scope=(
            f"{count(len(dept_names), DEPARTMENTS)}, "
            f"{count(len(result.frames.associations), ASSOCIATIONS)}, "
            f"{count(len(result.frames.groups), GROUPS)}"
        ),
        shares=(dept_table, teacher_table),
        attention=attention_table(by_teacher, data.staff, teacher_dept, dept_names),
        issues=_issues_table(issues, data.staff, teacher_dept, dept_names),
        by_name=[(dept_names.get(k, "не указан"), s) for k, s in by_dept.items()],
        what="отделы", heads=heads, setup=setup, signer=signer,
    )  # fmt: skip
    pictures = _charts(data.entries, month, by_dept, dept_names) if charts and body.known else {}
    lesson_findings = data.findings[data.findings["clause"] != SETUP_CLAUSE]
    workbook = Workbook(
        title=f"Справка по итогам проверки ведения электронного журнала за {body.month}",
        summary=_summary(config, result, body),
        counts=counts_table(data.findings, titles),
        details=(
            dept_table, teacher_table, body.issues, setup,
            findings_table(
                lesson_findings, tz, titles, name="Нарушения", title="Все записи месяца"
            ),
        ),
    )  # fmt: skip
    return Report(
        kind=Kind.MONTHLY,
        audience=Audience.DEPUTY,
        stem=f"monthly-{month}",
        template="monthly.html",
        heading=Heading(
            institution=config.institution.name,
            title="Справка по итогам проверки ведения электронного журнала",
            subtitle="учреждение в целом",
            period=body.month,
            as_of=as_of_text(result.now, tz),
        ),
        body=body,
        workbook=workbook,
        findings=data.findings,
        audit=result,
        charts=pictures,
    )


def head_report(
    config: Config,
    result: AuditResult,
    month: str,
    department_id: int,
    department: str,
    *,
    data: MonthData | None = None,
) -> Report:
    """A department's monthly report to the deputy director (clause 2.4)."""
    tz = config.institution.tz
    assert result.frames is not None
    data = (data or month_data(result, month)).department(department_id)
    issues = _issues(data.findings)
    titles = rule_titles(result)
    by_teacher = tally.shares_by(data.rows, "teacher_id")
    teacher_table = shares_table(
        "Педагоги", "Своевременность по педагогам", (Column("teacher", "Педагог"),),
        _share_rows(by_teacher, data.staff),
    )  # fmt: skip
    group_table = shares_table(
        "Группы", "Своевременность по группам", (Column("group", "Группа"),),
        _share_rows(tally.shares_by(data.rows, "group_id"), data.groups),
    )  # fmt: skip
    head = department_head(result.frames, department_id)
    head_sign = Signatory(head[1], initials(head[0])) if head else Signatory("Заведующий", "")
    deputy = signatory(result.frames, config.reports.signer_position, config.reports.signer_name)
    body = _body(
        config, result, month, data,
        scope=(
            f"{department}: {count(len(by_teacher), TEACHERS)}, "
            f"{count(int(data.rows['group_id'].nunique()), GROUPS)}"
        ),
        shares=(teacher_table, group_table),
        attention=None,
        issues=_issues_table(issues, data.staff, {}, {}),
        by_name=[(data.staff.get(k, "не указан"), s) for k, s in by_teacher.items()],
        what="педагоги", heads=(), setup=None, signer=head_sign,
    )  # fmt: skip
    workbook = Workbook(
        title=f"Отчёт о своевременности заполнения электронного журнала: {department}, "
        f"{body.month}",
        summary=_summary(config, result, body, department=department),
        counts=counts_table(data.findings, titles),
        details=(
            teacher_table, group_table, body.issues,
            findings_table(
                data.findings, tz, titles, name="Нарушения", title="Все записи месяца"
            ),
        ),
    )  # fmt: skip
    return Report(
        kind=Kind.HEAD_MONTHLY,
        audience=Audience.HEAD,
        stem=f"head-monthly-{month}-dept-{department_id}",
        template="monthly.html",
        heading=Heading(
            institution=config.institution.name,
            title="Отчёт о своевременности заполнения электронного журнала",
            subtitle=department,
            period=body.month,
            as_of=as_of_text(result.now, tz),
            addressee=f"{deputy.position} {deputy.name}".strip(),
        ),
        body=body,
        workbook=workbook,
        findings=data.findings,
        audit=result,
        department_id=department_id,
    )


def attention_table(
    by_teacher: dict[int, Shares],
    staff: dict[int, str],
    teacher_dept: dict[int, int],
    dept_names: dict[int, str],
) -> Table:
    """The teachers entering less than GOOD_SHARE on time, least first: the mail's list."""
    rows: list[tuple[Cell, ...]] = [
        (staff.get(key, "не указан"), dept_names.get(teacher_dept.get(key, tally.UNKNOWN), ""),
         s.held, s.on_time_share, s.late, s.missing)
        for key, s in sorted(by_teacher.items(), key=lambda kv: kv[1].on_time_share or 0.0)
        if s.held and (s.on_time_share or 0.0) < GOOD_SHARE
    ]  # fmt: skip
    return Table(
        "Внимание",
        f"Педагоги, внёсшие вовремя меньше {GOOD_SHARE:.0%} занятий",
        (
            Column("teacher", "Педагог"),
            Column("department", "Отдел"),
            Column("held", "Занятий", ColumnKind.NUMBER),
            Column("share", "Вовремя, %", ColumnKind.PERCENT),
            Column("late", "С опозданием", ColumnKind.NUMBER),
            Column("missing", "Не внесено", ColumnKind.NUMBER),
        ),
        tuple(rows),
        "" if rows else "Таких педагогов нет.",
    )


def _teacher_departments(rows: pd.DataFrame) -> dict[int, int]:
    """Each teacher's department: the one where they taught most of the month's lessons."""
    known = rows.dropna(subset=["teacher_id", "department_id"])
    if known.empty:
        return {}
    top = known.groupby("teacher_id")["department_id"].agg(lambda s: s.value_counts().index[0])
    return {int(k): int(v) for k, v in top.items()}


def _issues_table(
    issues: dict[int, tuple[int, int, int]],
    staff: dict[int, str],
    teacher_dept: dict[int, int],
    dept_names: dict[int, str],
) -> Table:
    lead = (Column("department", "Отдел"),) if dept_names else ()
    rows: list[tuple[Cell, ...]] = []
    for teacher, numbers in sorted(issues.items(), key=lambda kv: (-sum(kv[1]), kv[0])):
        dept = (dept_names.get(teacher_dept.get(teacher, -1), ""),) if dept_names else ()
        rows.append((*dept, staff.get(teacher, "?"), *numbers))
    return Table(
        "Замены и посещаемость",
        "Замены и посещаемость по педагогам",
        (*lead, Column("teacher", "Педагог"), *ISSUE_COLUMNS),
        tuple(rows),
        "" if rows else "Нарушений нет.",
    )


def _summary(
    config: Config, result: AuditResult, body: MonthlyBody, department: str = ""
) -> tuple[tuple[str, Cell], ...]:
    tz = config.institution.tz
    pairs: list[tuple[str, Cell]] = [("Учреждение", config.institution.name)]
    if department:
        pairs.append(("Отдел", department))
    pairs += [
        ("Период", body.month),
        ("По состоянию на", result.now.astimezone(tz)),
        ("Занятий с истёкшим сроком", body.total.held),
        ("Внесено вовремя", body.total.on_time),
        ("Доля внесённых вовремя", body.total.on_time_share),
        ("С опозданием", body.total.late),
        ("Не внесено", body.total.missing),
        ("Не удалось подтвердить (пробелы в проверках)", body.total.cannot_prove),
        ("Изменение к предыдущему месяцу", body.change or "нет данных"),
        ("Наблюдение", body.coverage),
        ("Правила", result.rule_set_version),
    ]
    return tuple(pairs)


def _charts(
    entries: pd.DataFrame, month: str, by_dept: dict[int, Shares], names: dict[int, str]
) -> dict[str, bytes]:
    from auditor.report import charts

    entries = entries[entries["month"] <= month]
    months = [
        MonthShares(date.fromisoformat(f"{m}-01"), tally.total(part))
        for m, part in entries.groupby("month", sort=True)
    ]
    out = {}
    if months:
        out["trend"] = charts.trend_png(months, title="Доля занятий, внесённых вовремя, по месяцам")
    # in the order of the table it stands under: the least on time first
    rows = [(str(lead[0]), shares) for lead, shares, _ in _share_rows(by_dept, names)]
    if rows:
        out["departments"] = charts.departments_png(rows, title="Своевременность по отделам")
    return out
