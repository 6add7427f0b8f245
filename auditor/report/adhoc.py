"""Any audit as a report, for the operator (``auditor report audit``): what was checked,
breaches apart from monitoring gaps, counts by rule and status, and every finding."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.audit.engine import AuditResult
from auditor.config import Config
from auditor.contract.findings import STATUS_RU
from auditor.report.common import (
    Audience,
    Heading,
    Kind,
    Report,
    as_of_text,
    breaches,
    counts_table,
    coverage_line,
    findings_table,
    gaps_line,
    period_text,
    rule_titles,
)
from auditor.report.document import Cell, Table, Workbook
from auditor.report.export import ORDER

SCOPE_RU = {"--department": "отдел", "--group": "группа", "--teacher": "педагог"}


@dataclass(frozen=True, slots=True)
class AuditBody:
    scope: str  # «отдел Художественный отдел (1)» or «всё учреждение»
    checked: str
    breaches: int
    by_status: tuple[tuple[str, int], ...]  # («не заполнено», 10), breaches first
    gaps: str
    counts: Table
    findings: Table
    errors: tuple[str, ...]  # rules that failed


def audit_report(config: Config, result: AuditResult) -> Report:
    tz = config.institution.tz
    titles = rule_titles(result)
    findings = result.findings
    values = findings["status"].value_counts()
    by_status = tuple(
        (STATUS_RU[s], int(values[s.value])) for s in ORDER if s.value in values.index
    )
    scope = "; ".join(f"{SCOPE_RU[m.option]} {m.name} ({m.id})" for m in result.scope)
    table = findings_table(findings, tz, titles, name="Записи", title="Все записи аудита")
    body = AuditBody(
        scope=scope or "всё учреждение",
        checked=coverage_line(result.coverage),
        breaches=len(breaches(findings)),
        by_status=by_status,
        gaps=gaps_line(findings, result.coverage),
        counts=counts_table(findings, titles),
        findings=table,
        errors=tuple(f"{o.rule_id}: {o.error.splitlines()[0]}" for o in result.errors),
    )
    period = period_text(result.start, result.end)
    summary: tuple[tuple[str, Cell], ...] = (
        ("Учреждение", config.institution.name),
        ("Период", period),
        ("По состоянию на", result.now.astimezone(tz)),
        ("Отбор", body.scope),
        ("Проверено", body.checked),
        ("Нарушений", body.breaches),
        ("Пробелы в проверках", body.gaps or "нет"),
        ("Правила", result.rule_set_version),
    )
    return Report(
        kind=Kind.AUDIT,
        audience=Audience.OPERATOR,
        stem=f"audit-{result.start:%Y-%m-%d}-{result.end:%Y-%m-%d}",
        template="audit.html",
        heading=Heading(
            institution=config.institution.name,
            title="Аудит ведения электронного журнала",
            subtitle=body.scope,
            period=period,
            as_of=as_of_text(result.now, tz),
        ),
        body=body,
        workbook=Workbook(
            title=f"Аудит ведения электронного журнала, {period}",
            summary=summary,
            counts=body.counts,
            details=(table,),
        ),
        findings=findings,
        audit=result,
    )
