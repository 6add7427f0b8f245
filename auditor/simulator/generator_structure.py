"""The demo centre's structure: year, departments, associations, groups, teaching load.

Everything of clause 2.2 that is structure is created in late August, before the year
starts: the academic year (on time), associations and groups (on time). The parents'
notification schedule is configured only on 12 September, after the deadline (planted).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time

from auditor.domain import Period
from auditor.simulator.answer_key import Profile, Quirk
from auditor.simulator.generator_base import GenContext
from auditor.simulator.generator_topics import DEPARTMENTS
from auditor.simulator.world import (
    AcademicYear,
    Association,
    Department,
    Group,
    Institution,
    NotificationSchedule,
)

TEACHERS = 60
GROUPS = 120
FIRST_TEACHER_ID = 101
FIRST_GROUP_ID = 101
HEAD_ID_BASE = 3  # department d is headed by staff id 3 + d
LETTERS = "АБВГДЕ"

PROFILE_COUNTS = (
    (Profile.PUNCTUAL, 32),
    (Profile.LATE, 10),
    (Profile.FORGETS_ATTENDANCE, 8),
    (Profile.SUBSTITUTES_WITHOUT_MARKING, 5),
    (Profile.MARKS_SUBSTITUTIONS_LATE, 5),
)


def institution() -> Institution:
    return Institution(
        name="МБОУДО «Центр творчества Вымышленного района» г. Кемерово (демонстрационный)",
        short_name="ЦТ Вымышленного района",
    )


def vacations(year: int) -> tuple[Period, ...]:
    return (Period("Зимние каникулы", date(year, 12, 31), date(year + 1, 1, 11)),)


def academic_year(ctx: GenContext) -> AcademicYear:
    """Configured on 27 August: this item of clause 2.2 is met."""
    return AcademicYear(
        start=ctx.first_day,
        end=ctx.last_day,
        periods=(
            Period("1 полугодие", ctx.first_day, ctx.day(12, 30)),
            Period("2 полугодие", ctx.day(1, 12), ctx.last_day),
        ),
        vacations=vacations(ctx.year),
        configured_at=ctx.moment_on(ctx.day(8, 27), time(9, 0), time(17, 0)),
    )


def notifications(ctx: GenContext) -> NotificationSchedule:
    """Configured on 12 September, four days after the deadline (planted)."""
    configured = ctx.moment_on(ctx.day(9, 12), time(10, 0), time(16, 0))
    ctx.plant_if_overdue("setup-notification-schedule", ctx.setup_day, configured)
    return NotificationSchedule((0, 3), time(18, 0), ("email", "push"), configured)


@dataclass(frozen=True)
class Catalogue:
    departments: tuple[Department, ...]
    associations: tuple[Association, ...]
    groups: tuple[Group, ...]
    domains: dict[int, str]  # group id -> topic domain
    teacher_departments: dict[int, int]  # teacher id -> department id


def _groups_per_association(ctx: GenContext, n: int) -> list[int]:
    counts = [GROUPS // n] * n
    counts[: GROUPS % n] = [c + 1 for c in counts[: GROUPS % n]]
    for _ in range(40):  # shuffle sizes around, keeping the total and 2..6 per association
        a, b = ctx.rng.randrange(n), ctx.rng.randrange(n)
        if counts[a] > 2 and counts[b] < 6 and a != b:
            counts[a] -= 1
            counts[b] += 1
    return counts


def _teachers_per_department(group_counts: list[int]) -> list[int]:
    shares = [round(TEACHERS * g / GROUPS) for g in group_counts]
    shares[shares.index(max(shares))] += TEACHERS - sum(shares)
    return shares


def _chunk_sizes(ctx: GenContext, groups: int, teachers: int) -> list[int]:
    """How many groups each teacher of a department leads (1 to 4, summing to ``groups``)."""
    sizes = [1] * teachers
    for _ in range(groups - teachers):
        candidates = [i for i, s in enumerate(sizes) if s < 4] or list(range(teachers))
        sizes[ctx.rng.choice(candidates)] += 1
    return sizes


def catalogue(ctx: GenContext) -> Catalogue:
    n_assoc = sum(len(spec.associations) for spec in DEPARTMENTS)
    counts = iter(_groups_per_association(ctx, n_assoc))
    per_dept = [[next(counts) for _ in spec.associations] for spec in DEPARTMENTS]
    teacher_counts = _teachers_per_department([sum(c) for c in per_dept])
    departments: list[Department] = []
    associations: list[Association] = []
    groups: list[Group] = []
    domains: dict[int, str] = {}
    teacher_departments: dict[int, int] = {}
    for d_id, (spec, counts_d) in enumerate(zip(DEPARTMENTS, per_dept, strict=True), start=1):
        departments.append(Department(d_id, spec.name, spec.kind, HEAD_ID_BASE + d_id))
        first_teacher = FIRST_TEACHER_ID + len(teacher_departments)
        sizes = _chunk_sizes(ctx, sum(counts_d), teacher_counts[d_id - 1])
        teacher_departments |= {first_teacher + i: d_id for i in range(len(sizes))}
        # Consecutive groups share a teacher, so a teacher works in one or two associations.
        owners = iter(first_teacher + i for i, size in enumerate(sizes) for _ in range(size))
        for (name, domain), n_groups in zip(spec.associations, counts_d, strict=True):
            association = Association(
                11 + len(associations),
                name,
                d_id,
                ctx.moment_in_days(ctx.day(8, 20), ctx.day(8, 25)),
            )
            associations.append(association)
            for group in _groups_of(
                ctx, association, n_groups, owners, FIRST_GROUP_ID + len(groups)
            ):
                groups.append(group)
                domains[group.id] = domain
    return Catalogue(
        tuple(departments), tuple(associations), tuple(groups), domains, teacher_departments
    )


def _groups_of(
    ctx: GenContext, association: Association, n: int, owners: Iterator[int], first_id: int
) -> list[Group]:
    """Groups named like "Радуга-1А": label, year of study (1-3), letter within the year."""
    label = association.name.split("«")[-1].rstrip("»")
    out: list[Group] = []
    for k in range(n):
        year_of_study = 1 + k * 3 // n
        letter = LETTERS[sum(1 + j * 3 // n == year_of_study for j in range(k))]
        created = ctx.moment_between(association.created_at, ctx.at(ctx.day(8, 29), 18))
        name = f"{label}-{year_of_study}{letter}"
        out.append(Group(first_id + k, name, association.id, next(owners), year_of_study, created))
    return out


@dataclass(frozen=True)
class Behaviour:
    """Each teacher's profile and quirks, and the targets of the group-specific quirks."""

    profiles: dict[int, Profile]
    quirks: dict[int, tuple[Quirk, ...]]
    copy_group: int  # a whole month of this group's lessons carries one copied topic
    copy_month: int
    no_completion_group: int  # its teacher never marks completion in this group


def behaviour(ctx: GenContext, cat: Catalogue) -> Behaviour:
    teachers = sorted(cat.teacher_departments)
    order = teachers[:]
    ctx.rng.shuffle(order)
    profiles: dict[int, Profile] = {}
    it = iter(order)
    for profile, count in PROFILE_COUNTS:
        for _ in range(count):
            profiles[next(it)] = profile
    load = {t: [g.id for g in cat.groups if g.teacher_id == t] for t in teachers}
    punctual = [t for t in order if profiles[t] is Profile.PUNCTUAL]
    multi = [t for t in punctual if len(load[t]) >= 2]
    picks: dict[Quirk, list[int]] = {}
    picks[Quirk.COPIED_TOPICS] = multi[:1]
    picks[Quirk.NO_COMPLETION] = multi[1:2]
    rest = [t for t in punctual if t not in multi[:2]]
    picks[Quirk.PLACEHOLDER_TOPICS] = rest[:2]
    picks[Quirk.NO_ACCOUNT] = rest[2:3]
    picks[Quirk.ACCOUNT_LATE] = rest[3:4]
    taken = {t for ts in picks.values() for t in ts}
    spare = [t for t in order if len(load[t]) >= 2 and t not in taken]
    picks[Quirk.RIGHTS_MISSING_GROUP] = spare[:2]
    quirks: dict[int, tuple[Quirk, ...]] = {}
    for quirk, ts in picks.items():
        for t in ts:
            quirks[t] = (*quirks.get(t, ()), quirk)
    return Behaviour(
        profiles=profiles,
        quirks=dict(sorted(quirks.items())),
        copy_group=load[picks[Quirk.COPIED_TOPICS][0]][0],
        copy_month=10,
        no_completion_group=load[picks[Quirk.NO_COMPLETION][0]][0],
    )


def teacher_with(beh: Behaviour, quirk: Quirk) -> list[int]:
    return [t for t, qs in beh.quirks.items() if quirk in qs]
