"""The clauses of the regulation («Положение о ведении электронного журнала») the auditor
cites, each with a short title in the project's own words (Russian, as reports print them).

Every rule names one of these clauses; reports print the title beside the number. The full
text of the regulation is the institution's own document, not part of this project.
"""

from __future__ import annotations

from types import MappingProxyType

CLAUSES: MappingProxyType[str, str] = MappingProxyType(
    {
        "1.7": "соблюдение законодательства о персональных данных",
        "1.11": "информация в ЭШ 2.0 поддерживается в актуальном состоянии",
        "1.12": "занятия и отсутствующие вносятся в день проведения, замена отмечается "
        "при внесении записи",
        "2.2": "заполнение журнала к 8 сентября",
        "2.3": "ежедневная проверка заведующими, ежемесячная — заместителем директора",
        "2.4": "отчёт заведующих о своевременности заполнения к 10 числу",
        "3.1": "архив с контролем целостности на двух носителях",
        "3.2": "печатные копии заверяются",
        "5.2": "педагоги следят за актуальностью данных об учащихся",
        "5.3": "своевременное заполнение тем, их прохождения и посещаемости",
        "5.5": "родителю доступна информация только о своём ребёнке",
    }
)


def clause_title(clause: str) -> str:
    """The clause's short title; an unknown clause is a programming error."""
    return CLAUSES[clause]
