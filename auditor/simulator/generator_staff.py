"""The demo centre's staff: director, deputy, operator, department heads and 60 teachers.

Accounts are created from 18 to 29 August with journal rights matching the teaching load,
except for the planted problems of clause 2.2: one teacher never gets an account (their
department head enters their lessons), one gets it only on 15 September (and then backfills
the first two weeks), and two teachers' rights lack one of their groups until mid-September
or early October.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from auditor.domain import Role
from auditor.simulator.answer_key import Quirk
from auditor.simulator.dataset import Credential, CredentialKind
from auditor.simulator.generator_base import GenContext
from auditor.simulator.generator_structure import HEAD_ID_BASE, Behaviour, Catalogue
from auditor.simulator.generator_topics import DEPARTMENTS
from auditor.simulator.names import email_for
from auditor.simulator.world import AccessRights, Account, Change, History, StaffMember

TEACHER_POSITION = "Педагог дополнительного образования"


def account_late_day(ctx: GenContext) -> date:
    return ctx.day(9, 15)


@dataclass(frozen=True, slots=True)
class _Post:
    """A position to fill: who, with which roles, and when their account is due to be made."""

    id: int
    position: str
    roles: tuple[Role, ...]
    department_id: int | None
    login: str
    first: date  # accounts are created on a day from first to last
    last: date


def _posts(ctx: GenContext, cat: Catalogue) -> list[_Post]:
    aug = ctx.day
    posts = [
        _Post(1, "Директор", (Role.DIRECTOR,), None, "director", aug(8, 18), aug(8, 18)),
        _Post(2, "Заместитель директора по УВР", (Role.DEPUTY_DIRECTOR,), None, "deputy",
              aug(8, 18), aug(8, 19)),
        _Post(3, "Методист, ответственный оператор ЭЖ", (Role.OPERATOR,), None, "operator",
              aug(8, 18), aug(8, 19)),
    ]  # fmt: skip
    for d_id, spec in enumerate(DEPARTMENTS, start=1):
        posts.append(_Post(HEAD_ID_BASE + d_id, spec.head_position, (Role.HEAD,), d_id,
                           f"head{d_id}", aug(8, 19), aug(8, 21)))  # fmt: skip
    for t_id, d_id in sorted(cat.teacher_departments.items()):
        posts.append(_Post(t_id, TEACHER_POSITION, (Role.TEACHER,), d_id,
                           f"teacher{t_id - 100:03d}", aug(8, 22), aug(8, 29)))  # fmt: skip
    return posts


def staff(
    ctx: GenContext, cat: Catalogue, beh: Behaviour
) -> tuple[tuple[StaffMember, ...], tuple[Credential, ...]]:
    members, credentials = [], []
    for post in _posts(ctx, cat):
        name = ctx.names.full_name(ctx.names.surname(), female=ctx.chance(0.75))
        quirks = beh.quirks.get(post.id, ())
        account_at = _account_moment(ctx, quirks, post.id, post.first, post.last)
        account = Account(post.login, account_at) if account_at else None
        rights = _rights(ctx, cat, beh, post.id, post.roles, post.department_id, account_at)
        members.append(
            StaffMember(post.id, name, post.position, post.roles, post.department_id,
                        email_for(post.login), account, rights)
        )  # fmt: skip
        if account:
            credentials.append(Credential(post.login, ctx.token(), CredentialKind.STAFF, post.id))
    return tuple(members), tuple(credentials)


def _account_moment(
    ctx: GenContext, quirks: tuple[Quirk, ...], staff_id: int, first: date, last: date
) -> datetime | None:
    at: datetime | None = ctx.moment_in_days(first, last)
    if Quirk.NO_ACCOUNT in quirks:
        at = None
    elif Quirk.ACCOUNT_LATE in quirks:
        at = ctx.at(account_late_day(ctx), 9, ctx.rng.randint(0, 59))
    ctx.plant_if_overdue("setup-user-accounts", ctx.setup_day, at, staff_id=staff_id)
    return at


def _rights(
    ctx: GenContext,
    cat: Catalogue,
    beh: Behaviour,
    staff_id: int,
    roles: tuple[Role, ...],
    department_id: int | None,
    account_at: datetime | None,
) -> History[AccessRights]:
    """Journal rights per the teaching load (heads: their department's groups)."""
    if account_at is None:
        return History()
    if Role.HEAD in roles:
        groups = _department_groups(cat, department_id)
    else:
        groups = tuple(g.id for g in cat.groups if g.teacher_id == staff_id)
    if Quirk.RIGHTS_MISSING_GROUP not in beh.quirks.get(staff_id, ()):
        return History((Change(account_at, AccessRights(roles, groups, account_at)),))
    lacking = ctx.rng.choice(groups)
    partial = tuple(g for g in groups if g != lacking)
    fixed = ctx.moment_in_days(ctx.day(9, 17), ctx.day(10, 3))
    ctx.plant_if_overdue("setup-access-rights", ctx.setup_day, fixed, staff_id=staff_id)
    return History(
        (
            Change(account_at, AccessRights(roles, partial, account_at)),
            Change(fixed, AccessRights(roles, groups, fixed)),
        )
    )


def _department_groups(cat: Catalogue, department_id: int | None) -> tuple[int, ...]:
    in_dept = {a.id for a in cat.associations if a.department_id == department_id}
    return tuple(g.id for g in cat.groups if g.association_id in in_dept)
