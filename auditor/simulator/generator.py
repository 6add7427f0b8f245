"""The deterministic demo institution: a year of a fictitious Kemerovo «Центр творчества».

``generate_demo(seed, year)`` builds a :class:`~auditor.simulator.dataset.Dataset` for the
academic year 1 September ``year`` - 31 May ``year + 1`` and the
:class:`~auditor.simulator.answer_key.AnswerKey` of every violation it planted. The same seed
gives byte-identical JSON: the only randomness is one ``random.Random(seed)``, threaded
through :class:`~auditor.simulator.generator_base.GenContext`; the wall clock is never read.

What it contains (defaults): 4 departments (3 отдела, 1 сектор) each with a head, 30
associations, 120 groups, 60 teachers plus a director, a deputy director по УВР and an
operator; 1,500 pupils in 1-2 groups each, their parents; about 8,700 lessons. All people
and contacts are fictitious (see :mod:`auditor.simulator.names`).

Time rules the rule engine can rely on:

* **Working window.** Every moment in the dataset (entries, changes, accounts, slots)
  lies between 08:00 and 23:30 local time (Asia/Novokuznetsk). Polls at 23:50 and early in
  the morning therefore always tell on-time from late.
* **Lesson deadline.** A lesson held on local date D is due at 00:00 local of D+1. "Late by
  N days" = local date of the first non-empty change minus D.
* **Setup deadline (clause 2.2, "на 8 сентября").** Judged on the state at 00:00 local of
  9 September, i.e. at the end of 8 September: done at 23:30 on the 8th is on time, anything
  later is late. Before that moment an unmet item is *pending*.

Planted setup problems: the notification schedule is configured on 12 September; 3 groups
get their schedule template after the deadline and 1 never; one teacher never gets an
account (the head enters their lessons), another gets it on 15 September; two teachers'
rights lack a group until later; some pupils' first parent account comes late or never;
some pupils' address or phone is filled in late or never. The academic-year structure and
the association and group lists are set up on time. Teacher profiles and lesson problems:
see :mod:`auditor.simulator.generator_entries`.
"""

from __future__ import annotations

from auditor.domain import DEFAULT_TIMEZONE
from auditor.simulator.answer_key import AnswerKey, Quirk
from auditor.simulator.dataset import Dataset
from auditor.simulator.generator_base import GenContext
from auditor.simulator.generator_entries import EntryWriter
from auditor.simulator.generator_lessons import lessons
from auditor.simulator.generator_people import people
from auditor.simulator.generator_schedule import patterns, template
from auditor.simulator.generator_staff import staff
from auditor.simulator.generator_structure import (
    academic_year,
    behaviour,
    catalogue,
    institution,
    notifications,
    teacher_with,
    vacations,
)

DEFAULT_SEED = 2025
DEFAULT_YEAR = 2025


def generate_demo(seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR) -> tuple[Dataset, AnswerKey]:
    """The demo dataset of academic year ``year``/``year + 1`` and its answer key."""
    ctx = GenContext.new(seed, year, DEFAULT_TIMEZONE, vacations(year))
    year_structure = academic_year(ctx)
    notice = notifications(ctx)
    cat = catalogue(ctx)
    beh = behaviour(ctx, cat)
    weekly = patterns(ctx, cat)
    slots = template(ctx, cat, weekly)
    members, staff_credentials = staff(ctx, cat, beh)
    folks = people(ctx, [g.id for g in cat.groups])
    late_account = next(
        m.account.created_at
        for m in members
        if m.id in teacher_with(beh, Quirk.ACCOUNT_LATE) and m.account is not None
    )
    writer = EntryWriter(ctx, beh, cat.domains, late_account)
    year_lessons = lessons(ctx, cat, beh, weekly, folks.students, writer)
    dataset = Dataset(
        institution=institution(),
        academic_year=year_structure,
        notifications=notice,
        departments=cat.departments,
        associations=cat.associations,
        groups=cat.groups,
        schedule=slots,
        staff=members,
        students=tuple(folks.students),
        parents=tuple(folks.parents),
        lessons=year_lessons,
        credentials=staff_credentials + tuple(folks.credentials),
    )
    key = AnswerKey(
        seed=seed,
        year=year,
        timezone=DEFAULT_TIMEZONE,
        setup_deadline=ctx.setup_due,
        teacher_profiles=dict(sorted(beh.profiles.items())),
        teacher_quirks=beh.quirks,
        violations=tuple(sorted(ctx.violations, key=lambda v: v.sort_key())),
    )
    return dataset, key
