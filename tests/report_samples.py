"""Small prepared reports for tests that need a report but not a store."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import pandas as pd

from auditor.report import charts
from auditor.report.adhoc import AuditBody
from auditor.report.common import SHARE_COLUMNS, Audience, Heading, Kind, Report, Signatory
from auditor.report.daily import DailyBody, ItemLine, TeacherLine
from auditor.report.document import (
    BurnDay,
    Column,
    ColumnKind,
    MonthShares,
    Shares,
    Table,
    Workbook,
)
from auditor.report.monthly import MonthlyBody
from auditor.report.setup import SetupBody, SetupItem

TZ = ZoneInfo("Asia/Novokuznetsk")
EVIL = '<script>alert("x")</script>'


def _table() -> Table:
    return Table(
        "Записи", "Все записи",
        (Column("group", "Группа"), Column("evidence", "Доказательства"),
         Column("day", "Дата", ColumnKind.DATE), Column("n", "Дней", ColumnKind.NUMBER)),
        (("Радуга-1А", f"тема: «{EVIL}»", date(2025, 9, 2), 3),
         ("Радуга-1Б", "=1+1", date(2025, 9, 3), 1)),
    )  # fmt: skip


def audit_report(institution: str = "ЦТ «Радуга»") -> Report:
    table = _table()
    counts = Table("Итоги", "Итоги", (Column("n", "Всего", ColumnKind.NUMBER),), ((2,),))
    body = AuditBody("всё учреждение", "2 проверки ЭШ", 2, (("не заполнено", 2),), "", counts,
                     table, ())  # fmt: skip
    return Report(
        kind=Kind.AUDIT, audience=Audience.OPERATOR, stem="audit-2025-09-01-2025-09-30",
        template="audit.html",
        heading=Heading(institution, "Аудит ведения электронного журнала", "всё учреждение",
                        "сентябрь 2025 г.", "01.10.2025 07:30"),
        body=body, workbook=Workbook("Аудит", (("Учреждение", institution),), counts, (table,)),
        findings=pd.DataFrame(), audit=None,  # type: ignore[arg-type]
    )  # fmt: skip


def daily_report(department_id: int = 1, day: date = date(2025, 10, 1)) -> Report:
    table = _table()
    body = DailyBody(
        department="Художественный отдел", day="1 октября 2025 г.", since="30.09.2025 07:30",
        new_count=1, new_text="1 нарушение",
        teachers=(TeacherLine("Гумова Юлия Владимировна", 1, "тема занятия — не заполнено",
                              "Радуга-1А (30.09)"),),
        open_count=1,
        still_open=(ItemLine("Белин Максим Михайлович", "Глиняная сказка-2А",
                             "02.09.2025 15:30", "посещаемость — не заполнено", 28, ""),),
        fixed_count=0, fixed=(), gaps="", checked="156 занятий отдела",
    )  # fmt: skip
    return Report(
        kind=Kind.DAILY, audience=Audience.HEAD, stem=f"daily-{day}-dept-{department_id}",
        template="daily.html",
        heading=Heading("ЦТ «Радуга»", "Ежедневная сводка по ведению электронного журнала",
                        "Художественный отдел", "1 октября 2025 г.", "01.10.2025 07:30"),
        body=body, workbook=Workbook("Сводка", (), table, (table,)),
        findings=pd.DataFrame(), audit=None,  # type: ignore[arg-type]
        department_id=department_id,
    )  # fmt: skip


NOW = datetime(2025, 10, 1, 7, 30, tzinfo=TZ)
SIGNER = Signatory("Заместитель директора по УВР", "Т. С. Бугова")
DEPARTMENTS = (
    ("Художественный отдел", Shares(120, 96, 14, 8, 2)),
    ("Отдел музыкального и хореографического творчества", Shares(150, 141, 6, 3, 0)),
    ("Отдел технического творчества", Shares(80, 52, 20, 6, 2)),
)


@cache
def monthly_charts() -> dict[str, bytes]:
    """The справка's two charts, drawn once per test session (a fifth of a second each)."""
    months = [
        MonthShares(date(2025, 9, 1), Shares(280, 230, 30, 16, 4)),
        MonthShares(date(2025, 10, 1), Shares(350, 289, 40, 17, 4)),
    ]
    return {
        "trend": charts.trend_png(months, title="Доля занятий, внесённых вовремя, по месяцам"),
        "departments": charts.departments_png(DEPARTMENTS, title="Своевременность по отделам"),
    }


def monthly_report(*, with_charts: bool = True) -> Report:
    """The deputy director's справка for October 2025, with its charts."""
    total = sum((shares for _, shares in DEPARTMENTS), Shares())
    departments = Table(
        "Отделы", "Своевременность по отделам", (Column("department", "Отдел"), *SHARE_COLUMNS),
        tuple((name, s.held, s.on_time, s.on_time_share, s.late, s.missing, s.cannot_prove)
              for name, s in DEPARTMENTS),
    )  # fmt: skip
    issues = Table("Замены", "Замены и посещаемость", (Column("teacher", "Педагог"),), ())
    body = MonthlyBody(
        month="октябрь 2025 г.", purpose="своевременность заполнения журнала",
        dates="занятия с 01.10.2025 по 31.10.2025", method="наблюдение ЭШ 2.0",
        scope="3 отдела", total=total, previous=None, change="", shares=(departments,),
        attention=None, issues=issues, movers=(), notable=(),
        conclusions=("Своевременность ниже 90 % в двух отделах.",),
        recommendations=("Заведующим отделами проверить темы занятий.",), setup=None,
        coverage="60 проверок ЭШ", gaps="", signer=SIGNER, known=True,
    )  # fmt: skip
    return Report(
        kind=Kind.MONTHLY, audience=Audience.DEPUTY, stem="monthly-2025-10",
        template="monthly.html",
        heading=Heading("ЦТ «Радуга»", "Справка по итогам проверки ведения электронного журнала",
                        "учреждение в целом", "октябрь 2025 г.", "01.11.2025 07:30"),
        body=body, workbook=Workbook("Справка", (), departments, (departments,)),
        findings=pd.DataFrame(), audit=None,  # type: ignore[arg-type]
        charts=monthly_charts() if with_charts else {},
    )  # fmt: skip


@cache
def burndown_png() -> bytes:
    days = [BurnDay(date(2025, 9, d), 8 - d // 2, 120 - 12 * d) for d in range(1, 6)]
    return charts.burndown_png(days, deadline=date(2025, 9, 8),
                               title="Настройка журнала: что осталось сделать")  # fmt: skip


def setup_report() -> Report:
    """The operator's setup report three days before the deadline, with its burn-down."""
    items = (
        SetupItem("Шаблон расписания создан к 8 сентября", "выполнено", "on_time", "", 0),
        SetupItem("Учётные записи родителей", "ожидается", "pending",
                  "учётная запись родителя — 88 учащихся", 88),
    )  # fmt: skip
    table = Table("Пункты", "Пункты п. 2.2", (Column("item", "Пункт"),),
                  tuple((i.title,) for i in items))  # fmt: skip
    body = SetupBody(deadline="8 сентября 2025 г.", days_left="осталось 3 дня", items=items,
                     done=1, total=2, lists=(), coverage="5 проверок ЭШ", signer=SIGNER,
                     names_pupils=True)  # fmt: skip
    return Report(
        kind=Kind.SETUP, audience=Audience.OPERATOR, stem="setup-2025-09-05-operator",
        template="setup.html",
        heading=Heading("ЦТ «Радуга»", "Готовность электронного журнала к началу учебного года",
                        "копия ответственного оператора ЭЖ", "срок — 8 сентября 2025 г.",
                        "05.09.2025 18:00"),
        body=body, workbook=Workbook("Готовность", (), table, (table,)),
        findings=pd.DataFrame(), audit=None,  # type: ignore[arg-type]
        charts={"burndown": burndown_png()},
    )  # fmt: skip
