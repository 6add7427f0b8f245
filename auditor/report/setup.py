"""The setup readiness report (clause 2.2): late August to 8 September.

Each item of clause 2.2 is done, pending (with the days left) or violated (after the
deadline), with what is missing; a burn-down counts, at the end of each observed day, the
items and the pupils, staff and groups still concerned. The operator's copy lists the
pupils by name, the one report that does (clause 1.7: the operator must act on them); the
deputy director's copy has the counts only.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditor.audit import runner
from auditor.audit.engine import AuditResult
from auditor.config import Config
from auditor.contract.findings import Status
from auditor.contract.frames import Frames
from auditor.domain import academic_year_start
from auditor.errors import NoObservationsError
from auditor.lazy import pandas as pd
from auditor.report.common import (
    Audience,
    Heading,
    Kind,
    Report,
    Signatory,
    as_of_text,
    counts_table,
    coverage_line,
    rule_titles,
    signatory,
)
from auditor.report.document import BurnDay, Cell, Column, ColumnKind, Table, Workbook
from auditor.russian import DAYS, GROUPS, PUPILS, STAFF, count, long_date
from rules.registry import ALL_RULES

SETUP_CLAUSE = "2.2"
SETUP_RULES = tuple(rule.id for rule in ALL_RULES if rule.clause == SETUP_CLAUSE)
PUPIL_RULES = frozenset({"setup-parent-accounts", "setup-student-data"})
STAFF_RULES = frozenset({"setup-user-accounts", "setup-access-rights"})
UNMET = (Status.PENDING.value, Status.VIOLATION.value)
# The burn-down starts this many days before the deadline (the journal is set up in the last
# week of August and the first week of September).
BURN_DAYS_BEFORE = 14


@dataclass(frozen=True, slots=True)
class SetupItem:
    title: str  # the rule's title: «Шаблон расписания создан к 8 сентября»
    state: str  # «выполнено», «выполнено с опозданием», «ожидается», «нарушение»
    css: str  # the status class that colours it: on_time, late, pending, violation
    missing: str  # what is missing, with counts: «учётная запись родителя — 88 учащихся»
    unmet: int  # subjects still concerned


@dataclass(frozen=True, slots=True)
class SetupBody:
    deadline: str  # «8 сентября 2025 г.»
    days_left: str  # «осталось 3 дня», «срок истёк 23 дня назад»
    items: tuple[SetupItem, ...]
    done: int
    total: int
    lists: tuple[Table, ...]  # the operator's lists (pupils, staff, groups); empty otherwise
    coverage: str
    signer: Signatory
    names_pupils: bool


def setup_reports(
    store: AuditStore, config: Config, now: datetime, *, charts: bool = True
) -> tuple[Report, Report]:
    """The operator's and the deputy director's setup report, as of ``now``."""
    tz = config.institution.tz
    today = now.astimezone(tz).date()
    start = academic_year_start(today)
    deadline = runner.setup_deadline_for(config, start)
    end = max(today, start)
    loaded = store.load_frames(start, end)
    result = runner.judge(loaded, config, now, start, end, only_rules=SETUP_RULES)
    # The setup rules read the institution, not the lessons: the burn-down judges the facts
    # with one day's lessons loaded, which keeps each day's judgement cheap.
    burn = burn_down(store.load_frames(start, start), config, start, start, deadline, now)
    pictures: dict[str, bytes] = {}
    if charts and burn:
        from auditor.report import charts as drawing

        pictures["burndown"] = drawing.burndown_png(
            burn, deadline=deadline, title="Настройка журнала: что осталось сделать"
        )
    return (
        setup_report(config, result, deadline, burn, pictures, Audience.OPERATOR),
        setup_report(config, result, deadline, burn, pictures, Audience.DEPUTY),
    )


def burn_down(
    loaded: Frames,
    config: Config,
    start: date,
    end: date,
    deadline: date,
    now: datetime,
    *,
    workers: int | None = None,
) -> list[BurnDay]:
    """Unmet items and subjects at the end of each day from two weeks before the deadline
    (or the first observation) to today (at most a week past the deadline).

    Each day is a judgement of its own (about 0.4 s for the demo institution); with more
    than a few days they are shared among the cores by forked workers, which inherit the
    loaded frames instead of receiving them pickled."""
    tz = config.institution.tz
    first = max(start - timedelta(days=7), deadline - timedelta(days=BURN_DAYS_BEFORE))
    last = min(now.astimezone(tz).date(), deadline + timedelta(days=7))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    moments = [min(datetime.combine(day, time(23, 59, 59), tzinfo=tz), now) for day in days]
    job = _BurnJob(loaded, config, start, end)
    # In a worker process already (the demo prepares its reports in two), the cores are
    # busy: more processes would only add overhead.
    nested = multiprocessing.parent_process() is not None
    workers = workers or (1 if nested else min(os.cpu_count() or 1, 4))
    if workers > 1 and len(days) > 4 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_set_worker_job, initargs=(job,)
        )
        with pool:
            counts = list(pool.map(_worker_unmet_at, moments))
    else:
        counts = [job.unmet_at(moment) for moment in moments]
    return [BurnDay(day, *c) for day, c in zip(days, counts, strict=True) if c is not None]


# A forked worker's job: set once in each worker (forked, so never pickled), read per day.
_worker_job: list[_BurnJob] = []


def _set_worker_job(job: _BurnJob) -> None:
    _worker_job.append(job)


def _worker_unmet_at(moment: datetime) -> tuple[int, int] | None:
    return _worker_job[0].unmet_at(moment)


@dataclass(frozen=True, slots=True)
class _BurnJob:
    """One day's judgement of the setup rules (a forked worker runs it on its copy)."""

    loaded: Frames
    config: Config
    start: date
    end: date

    def unmet_at(self, moment: datetime) -> tuple[int, int] | None:
        """(unmet items, unmet subjects) as of ``moment``; None before any observation."""
        try:
            judged = runner.judge(
                self.loaded, self.config, moment, self.start, self.end, only_rules=SETUP_RULES
            )
        except NoObservationsError:
            return None
        unmet = judged.findings[judged.findings["status"].isin(UNMET)]
        return int(unmet["rule_id"].nunique()), len(unmet)


def _item(rule_id: str, title: str, findings: pd.DataFrame) -> SetupItem:
    mine = findings[findings["rule_id"] == rule_id]
    unmet = mine[mine["status"].isin(UNMET)]
    late = mine[mine["status"] == Status.LATE.value]
    if len(unmet):
        pending = (unmet["status"] == Status.PENDING.value).all()
        state, css = ("ожидается", "pending") if pending else ("нарушение", "violation")
    elif len(late):
        state, css = "выполнено с опозданием", "late"
    else:
        state, css = "выполнено", "on_time"
    forms = PUPILS if rule_id in PUPIL_RULES else (STAFF if rule_id in STAFF_RULES else GROUPS)
    parts = []
    for item, n in unmet.groupby("item", sort=True).size().items():
        subjects = rule_id in PUPIL_RULES | STAFF_RULES or rule_id == "setup-schedule-template"
        parts.append(f"{item} — {count(int(n), forms)}" if subjects else str(item))
    return SetupItem(title, state, css, "; ".join(parts), len(unmet))


def setup_report(
    config: Config,
    result: AuditResult,
    deadline: date,
    burn: list[BurnDay],
    pictures: dict[str, bytes],
    audience: Audience,
) -> Report:
    tz = config.institution.tz
    assert result.frames is not None
    titles = rule_titles(result)
    findings = result.findings
    items = tuple(_item(rule_id, titles.get(rule_id, rule_id), findings) for rule_id in titles)
    today = result.now.astimezone(tz).date()
    left = (deadline - today).days
    days_left = (
        f"осталось {count(left, DAYS)}" if left > 0
        else "срок — сегодня" if left == 0
        else f"срок истёк {count(-left, DAYS)} назад"
    )  # fmt: skip
    operator = audience is Audience.OPERATOR
    lists = _lists(findings, result.frames, titles) if operator else ()
    signer = signatory(result.frames, config.reports.signer_position, config.reports.signer_name)
    body = SetupBody(
        deadline=long_date(deadline),
        days_left=days_left,
        items=items,
        done=sum(item.css in ("on_time", "late") for item in items),
        total=len(items),
        lists=lists,
        coverage=coverage_line(result.coverage),
        signer=signer,
        names_pupils=operator,
    )
    checklist = Table(
        "Пункты",
        "Пункты п. 2.2",
        (
            Column("item", "Пункт"),
            Column("state", "Состояние"),
            Column("missing", "Что не сделано"),
            Column("unmet", "Не готово", ColumnKind.NUMBER),
        ),
        tuple((i.title, i.state, i.missing, i.unmet) for i in items),
    )
    burn_table = Table(
        "Динамика",
        "Не выполнено на конец дня",
        (
            Column("day", "День", ColumnKind.DATE),
            Column("items", "Пунктов", ColumnKind.NUMBER),
            Column("subjects", "Учащихся, сотрудников, групп", ColumnKind.NUMBER),
        ),
        tuple((b.day, b.unmet_items, b.unmet_subjects) for b in burn),
    )
    unmet_findings = findings[findings["status"].isin(UNMET)]
    summary: tuple[tuple[str, Cell], ...] = (
        ("Учреждение", config.institution.name),
        ("Срок настройки журнала (п. 2.2)", body.deadline),
        ("По состоянию на", result.now.astimezone(tz)),
        ("Пунктов выполнено", f"{body.done} из {body.total}"),
        ("Срок", days_left),
        ("Наблюдение", body.coverage),
    )
    who = "operator" if operator else "deputy"
    return Report(
        kind=Kind.SETUP,
        audience=audience,
        stem=f"setup-{today:%Y-%m-%d}-{who}",
        template="setup.html",
        heading=Heading(
            institution=config.institution.name,
            title="Готовность электронного журнала к началу учебного года",
            subtitle="копия ответственного оператора ЭЖ" if operator else "учреждение в целом",
            period=f"срок — {body.deadline}",
            as_of=as_of_text(result.now, tz),
        ),
        body=body,
        workbook=Workbook(
            title="Готовность электронного журнала (п. 2.2)",
            summary=summary,
            counts=counts_table(findings, titles),
            details=(checklist, burn_table, *lists),
        ),
        findings=unmet_findings,
        audit=result,
        charts=pictures,
    )


def _lists(findings: pd.DataFrame, frames: Frames, titles: dict[str, str]) -> tuple[Table, ...]:
    """The operator's lists to act on: who or what each unmet item concerns, by name."""
    pupils = dict(zip(frames.students["student_id"], frames.students["full_name"], strict=True))
    staff = dict(zip(frames.staff["staff_id"], frames.staff["full_name"], strict=True))
    groups = dict(zip(frames.groups["group_id"], frames.groups["name"], strict=True))
    unmet = findings[findings["status"].isin(UNMET)]
    tables = []
    for rule_id, part in unmet.groupby("rule_id", sort=False):
        if rule_id in PUPIL_RULES:
            head, names = "Учащийся", pupils
        elif rule_id in STAFF_RULES:
            head, names = "Сотрудник", staff
        else:
            head, names = "Группа", groups
        rows: list[tuple[Cell, ...]] = []
        by_group = head == "Группа"  # the subject is the group itself: no second column
        for f in part.sort_values(["group", "subject_id"]).itertuples(index=False):
            subject = None if pd.isna(f.subject_id) else int(f.subject_id)
            who = names.get(subject, "") if subject is not None else ""
            rows.append((who, f.item) if by_group else (who, f.group, f.item))
        columns: tuple[Column, ...] = (Column("who", head), Column("item", "Что не сделано"))
        if not by_group:
            columns = (columns[0], Column("group", "Группа"), columns[1])
        title = titles.get(str(rule_id), str(rule_id))
        tables.append(Table(_sheet(title), title, columns, tuple(rows)))
    return tuple(tables)


def _sheet(title: str) -> str:
    return title.replace(" к 8 сентября", "")[:31]


from auditor.store.interface import AuditStore  # noqa: E402  (a Protocol, for annotations)
