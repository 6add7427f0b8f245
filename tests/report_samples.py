"""Small prepared reports for tests that need a report but not a store."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from auditor.report.adhoc import AuditBody
from auditor.report.common import Audience, Heading, Kind, Report
from auditor.report.daily import DailyBody, ItemLine, TeacherLine
from auditor.report.document import Column, ColumnKind, Table, Workbook

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
