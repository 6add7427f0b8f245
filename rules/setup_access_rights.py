"""Clause 2.2: by 8 September access rights follow each user's roles and teaching load.

«Заполнение журнала на 8 сентября включает: … настройка прав доступа в соответствии с
ролями пользователей и учебной нагрузкой педагогов». Each staff member with an account at
the last read before 00:00 local of 9 September is checked at that read: the rights must
hold every role of theirs and the journal of every group listed then whose teacher they are.
Rights lacking something: *pending* before that moment, a *violation* after it until a read
shows rights holding all of it, then *late*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.contract.findings import Severity
from auditor.contract.values import TRUE
from auditor.domain import ROLE_TITLES_RU, Role
from auditor.lazy import pandas as pd
from rules._setup import judge, setup_facts, state_at, timeline
from rules._setup_result import setup_result
from rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class Params:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def _ids(text: object) -> set[str]:
    return set(filter(None, text.split(","))) if isinstance(text, str) else set()


def _role(code: str) -> str:
    try:
        title = ROLE_TITLES_RU[Role(code)]
    except ValueError:  # a role this auditor does not know: shown as the site names it
        title = code
    return f"роль «{title}»"


def _lacking(tl: pd.DataFrame, roles: pd.Series, groups: dict[str, set[str]],
             names: pd.Series) -> pd.Series:  # fmt: skip
    """What each row's rights lack, in Russian ("" when nothing)."""
    texts = []
    for staff, have_roles, have_groups in zip(
        tl["entity"], tl["rights_roles"], tl["journal_group_ids"], strict=True
    ):
        lack_roles = sorted(_ids(roles.get(staff)) - _ids(have_roles))
        lack_groups = sorted(groups.get(staff, set()) - _ids(have_groups), key=int)
        parts = [_role(code) for code in lack_roles]
        parts += [f"журнал группы «{names.get(int(g), g)}»" for g in lack_groups]
        texts.append(", ".join(parts))
    return pd.Series(texts, index=tl.index, dtype="str")


def check(frames: Frames, params: Params, ctx: RuleContext) -> pd.DataFrame:
    facts, window = setup_facts(frames, ctx)
    staff = state_at(facts, "staff", window.reference)
    staff = staff[staff["has_account"] == TRUE] if "has_account" in staff else staff.iloc[:0]
    listed = state_at(facts, "group", window.reference)
    groups: dict[str, set[str]] = {}
    for group_id, teacher in listed.get("teacher_id", pd.Series(dtype="str")).items():
        groups.setdefault(str(teacher), set()).add(str(group_id))
    tl = timeline(facts, "staff", ["rights_roles", "journal_group_ids"], staff.index)
    names = frames.groups.set_index("group_id")["name"]
    lacking = _lacking(tl, staff.get("roles", pd.Series(dtype="str")), groups, names)
    tl = tl.assign(lacking=lacking, met=lacking == "", due=window.deadline)
    judged = judge(tl, window, cannot_prove=params.report_cannot_prove)
    lack = judged["lacking"] if not judged.empty else pd.Series(dtype="str")
    return setup_result(
        judged,
        ctx,
        what="в правах доступа нет: " + lack,
        fixed="права доступа исправлены",
        item=("права доступа: " + lack).where(lack != "", "права доступа"),
        subject_id=judged["entity"],
        teacher_id=judged["entity"],  # the report names the staff member here
    )


RULE = Rule(
    id="setup-access-rights",
    clause="2.2",
    title="Права доступа соответствуют ролям и нагрузке к 8 сентября",
    explanation=(
        "К 8 сентября права доступа настраиваются по ролям пользователей и учебной нагрузке "
        "педагогов (п. 2.2 Положения): в правах есть каждая роль сотрудника и журнал каждой "
        "его группы. Недостающее на конец 8 сентября — нарушение, пока права не исправлены."
    ),
    severity=Severity.MAJOR,
    params_type=Params,
    check=check,
    example=(
        "«на 00:00 09.09.2025 (последняя проверка 23:50 08.09.2025) в правах доступа нет: "
        "журнал группы «Живопись-2»; права доступа исправлены в 07:00 22.09.2025»"
    ),
)
