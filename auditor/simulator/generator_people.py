"""Pupils and their parents (законные представители) of the demo centre.

Families enrol from 25 August to 5 September; siblings share a surname, an address and
their parents. Most families have one or two parents in ЭШ 2.0, and most parent accounts are
created before 8 September. Planted against clause 2.2: some families get their first
parent account only later or never (a few pupils have no parent recorded at all), and some
pupils' address and phone are filled in only after the deadline or never. About 5 % of
pupils enrol during the year (October to March); some of them lack contact data for weeks
(clause 5.2, judged a week after enrolment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from auditor.simulator.answer_key import Kind
from auditor.simulator.dataset import Credential, CredentialKind
from auditor.simulator.generator_base import GenContext
from auditor.simulator.names import Surname, email_for
from auditor.simulator.world import Account, Change, History, Parent, Student

STUDENTS = 1500
LATE_ENROLLED = 75
FIRST_STUDENT_ID = 10001
FIRST_PARENT_ID = 20001
DATA_GRACE_DAYS = 7  # clause 5.2: a new pupil's contact data is due by the end of day +7


@dataclass
class _Family:
    surname: Surname
    father: str
    address: str
    enrolled_at: datetime
    late: bool  # enrolled during the year, after the setup deadline
    parents: list[Parent] = field(default_factory=list)
    student_ids: list[int] = field(default_factory=list)


@dataclass
class People:
    students: list[Student] = field(default_factory=list)
    parents: list[Parent] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)


def people(ctx: GenContext, group_ids: list[int]) -> People:
    out = People()
    families = _families(ctx)
    wants = [1 if f.late or not ctx.chance(0.3) else 2 for f in families for _ in f.student_ids]
    groups = iter(_memberships(ctx, group_ids, wants))
    for family in families:
        first_account = _add_parents(ctx, family, out)
        for sid in family.student_ids:
            student = _student(ctx, family, sid, next(groups), out)
            out.students.append(student)
            if not family.late:
                ctx.plant_if_overdue(
                    "setup-parent-accounts", ctx.setup_day, first_account, student_id=sid
                )
    out.students.sort(key=lambda s: s.id)
    out.credentials.sort(key=lambda c: (c.kind.value, c.person_id))
    return out


def _families(ctx: GenContext) -> list[_Family]:
    families: list[_Family] = []
    next_id = FIRST_STUDENT_ID
    early = STUDENTS - LATE_ENROLLED
    while next_id < FIRST_STUDENT_ID + STUDENTS:
        late = next_id >= FIRST_STUDENT_ID + early
        size = 1 if late else ctx.rng.choices((1, 2, 3), (75, 22, 3))[0]
        size = min(size, FIRST_STUDENT_ID + early - next_id) if not late else 1
        enrolled = (
            _late_enrolment(ctx) if late else ctx.moment_in_days(ctx.day(8, 25), ctx.day(9, 5))
        )
        family = _Family(
            ctx.names.surname(), ctx.names.father_name(), ctx.names.address(), enrolled, late
        )
        family.student_ids = list(range(next_id, next_id + size))
        next_id += size
        families.append(family)
    return families


def _late_enrolment(ctx: GenContext) -> datetime:
    while True:
        day = ctx.moment_in_days(ctx.day(10, 1), ctx.day(3, 31)).date()
        if ctx.calendar.is_lesson_day(day):
            return ctx.moment_on(day, time(9, 0), time(19, 0))


def _memberships(ctx: GenContext, group_ids: list[int], wants: list[int]) -> list[tuple[int, ...]]:
    """Spread pupils evenly over the groups; a pupil's groups are distinct."""
    pool = [group_ids[i % len(group_ids)] for i in range(sum(wants))]
    ctx.rng.shuffle(pool)
    out: list[tuple[int, ...]] = []
    for want in wants:
        chosen: list[int] = []
        tries = 0
        while len(chosen) < want and pool and tries < len(pool):
            g = pool.pop()
            if g in chosen:
                pool.insert(0, g)
                tries += 1
                continue
            chosen.append(g)
        out.append(tuple(sorted(chosen)))
    return out


def _add_parents(ctx: GenContext, family: _Family, out: People) -> datetime | None:
    """Create the family's parents; return when the first parent account was created."""
    n = 1 if family.late else ctx.rng.choices((0, 1, 2), (1.5, 55, 43.5))[0]
    if family.late and ctx.chance(0.4):
        n = 2
    plan = ctx.rng.random()
    first_at: datetime | None = None
    for k in range(n):
        mother = k == 0 if n == 2 else ctx.chance(0.85)
        pid = FIRST_PARENT_ID + len(out.parents)
        login = f"parent{pid - 20000:05d}"
        first = family.father if not mother else None
        name = ctx.names.full_name(family.surname, mother, None, first)
        at = _parent_account_moment(ctx, family, k, plan, first_at)
        if k == 0:
            first_at = at
        parent = Parent(
            pid,
            name,
            tuple(family.student_ids),
            ctx.phones.take(),
            email_for(login),
            Account(login, at) if at else None,
        )
        family.parents.append(parent)
        out.parents.append(parent)
        if at:
            out.credentials.append(Credential(login, ctx.token(), CredentialKind.PARENT, pid))
    return first_at


def _parent_account_moment(
    ctx: GenContext, family: _Family, k: int, plan: float, first_at: datetime | None
) -> datetime | None:
    enrolled = family.enrolled_at
    if family.late:  # not judged: clause 2.2 is about the pupils of September
        wanted = plan < 0.85 if k == 0 else ctx.chance(0.5)
        return ctx.moment_between(enrolled, enrolled + timedelta(days=14)) if wanted else None
    if plan < 0.92:  # on time
        if k == 0:
            return ctx.moment_between(enrolled, ctx.at(ctx.setup_day, 23, 30))
        return (
            ctx.moment_between(enrolled, ctx.at(ctx.day(10, 31), 20)) if ctx.chance(0.6) else None
        )
    if plan < 0.97:  # late: the first account after the deadline
        if k == 0:
            return ctx.moment_in_days(ctx.day(9, 10), ctx.day(10, 31))
        return (
            ctx.moment_between(first_at, ctx.at(ctx.day(11, 30), 20))
            if first_at and ctx.chance(0.5)
            else None
        )
    return None  # never


def _student(
    ctx: GenContext, family: _Family, sid: int, groups: tuple[int, ...], out: People
) -> Student:
    female = ctx.chance(0.5)
    age = ctx.rng.randint(6, 16)
    born = date(ctx.year - age, ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
    enrolled = family.enrolled_at
    phone = family.parents[0].phone if family.parents else ctx.phones.take()
    data_at = _contact_moment(ctx, family, sid)
    phone_at = address_at = data_at
    if data_at is None:  # never completed: one of the two, or both, stay empty
        gap = ctx.rng.choice(("phone", "address", "both"))
        phone_at = enrolled if gap == "address" else None
        address_at = enrolled if gap == "phone" else None
    account = None
    email: History[str] = History()
    if age >= 10 and ctx.chance(0.15):
        login = f"pupil{sid - 10000:05d}"
        at = ctx.moment_between(enrolled, enrolled + timedelta(days=40))
        account = Account(login, at)
        email = History.single(at, email_for(login))
        out.credentials.append(Credential(login, ctx.token(), CredentialKind.STUDENT, sid))
    return Student(
        id=sid,
        full_name=ctx.names.full_name(family.surname, female, family.father),
        group_ids=groups,
        parent_ids=tuple(p.id for p in family.parents),
        enrolled_at=enrolled,
        birth_date=History((Change(enrolled, born),)),
        address=History.single(address_at, family.address),
        phone=History.single(phone_at, phone),
        email=email,
        account=account,
    )


@dataclass(frozen=True)
class _DataPlan:
    """When a pupil's contact data is due, and how often it comes on time, late or never."""

    rule: str
    due_day: date
    cuts: tuple[float, float, float]  # P(at enrolment), +P(later but on time), +P(late)
    soon: datetime  # "later but on time" falls before this
    late_from: datetime
    late_to: datetime


def _data_plan(ctx: GenContext, family: _Family) -> _DataPlan:
    enrolled = family.enrolled_at
    if family.late:  # clause 5.2: within DATA_GRACE_DAYS of enrolment
        return _DataPlan(
            "student-data-current",
            ctx.local_date(enrolled) + timedelta(DATA_GRACE_DAYS),
            (0.70, 0.85, 0.95),
            enrolled + timedelta(days=5),
            enrolled + timedelta(days=10),
            enrolled + timedelta(days=45),
        )
    return _DataPlan(  # clause 2.2: by 8 September
        "setup-student-data",
        ctx.setup_day,
        (0.92, 0.96, 0.99),
        ctx.at(ctx.setup_day, 23, 30),
        ctx.at(ctx.day(9, 10), 8),
        ctx.at(ctx.day(10, 15), 20),
    )


def _contact_moment(ctx: GenContext, family: _Family, sid: int) -> datetime | None:
    """When address and phone are filled in; plants the setup / 5.2 violation if late."""
    plan = _data_plan(ctx, family)
    r = ctx.rng.random()
    done: datetime | None = None
    if r < plan.cuts[0]:
        done = family.enrolled_at
    elif r < plan.cuts[1]:
        done = ctx.moment_between(family.enrolled_at, plan.soon)
    elif r < plan.cuts[2]:
        done = ctx.moment_between(plan.late_from, plan.late_to)
    never = Kind.UNMET if plan.rule.startswith("setup-") else Kind.MISSING
    ctx.plant_if_overdue(plan.rule, plan.due_day, done, never=never, student_id=sid)
    return done
