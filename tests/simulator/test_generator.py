"""The demo generator: determinism, scale, plausibility, and the answer key against the data.

The key is checked by an oracle written here from the regulation's definitions and the
dataset's raw times only, so that the key cannot drift from what the simulator serves.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from auditor.audit.calendar import ProductionCalendar
from auditor.domain import Role
from auditor.simulator.answer_key import AnswerKey, Kind, Profile, Quirk, Status, Violation
from auditor.simulator.dataset import CredentialKind, Dataset, dataset_to_json
from auditor.simulator.generator import generate_demo
from auditor.simulator.world import AccessRights, History, Lesson, StaffMember

KEMEROVO = ZoneInfo("Asia/Novokuznetsk")
ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d$")


@pytest.fixture(scope="module")
def demo() -> tuple[Dataset, AnswerKey]:
    return generate_demo()


@pytest.fixture(scope="module")
def ds(demo: tuple[Dataset, AnswerKey]) -> Dataset:
    return demo[0]


@pytest.fixture(scope="module")
def key(demo: tuple[Dataset, AnswerKey]) -> AnswerKey:
    return demo[1]


def as_text(dataset: Dataset) -> str:
    return json.dumps(dataset_to_json(dataset), ensure_ascii=False, separators=(",", ":"))


# -- determinism and scale -----------------------------------------------------------------


def test_same_seed_gives_identical_json(ds: Dataset, key: AnswerKey) -> None:
    again, again_key = generate_demo()
    assert as_text(again) == as_text(ds)
    assert again_key.to_json() == key.to_json()


def test_another_seed_gives_another_world(ds: Dataset) -> None:
    other, _ = generate_demo(seed=7)
    assert as_text(other) != as_text(ds)
    assert len(other.groups) == len(ds.groups)


def test_counts(ds: Dataset) -> None:
    assert len(ds.departments) == 4
    assert len(ds.associations) == 30
    assert len(ds.groups) == 120
    teachers = [s for s in ds.staff if Role.TEACHER in s.roles]
    assert len(teachers) == 60
    assert {r for s in ds.staff for r in s.roles} == set(Role)
    assert len(ds.students) == 1500
    assert all(1 <= len(s.group_ids) <= 2 for s in ds.students)
    assert 1200 <= len(ds.parents) <= 2500
    assert 6000 <= len(ds.lessons) <= 11000
    heads = {s.id for s in ds.staff if Role.HEAD in s.roles}
    assert {d.head_id for d in ds.departments} == heads


def test_every_group_meets_and_teachers_stay_in_their_department(ds: Dataset) -> None:
    assert {lesson.group_id for lesson in ds.lessons} == {g.id for g in ds.groups}
    dept_of_assoc = {a.id: a.department_id for a in ds.associations}
    dept_of_staff = {s.id: s.department_id for s in ds.staff}
    group_dept = {g.id: dept_of_assoc[g.association_id] for g in ds.groups}
    for g in ds.groups:
        assert dept_of_staff[g.teacher_id] == group_dept[g.id]
    for lesson in ds.lessons:
        assert dept_of_staff[lesson.teacher_id] == group_dept[lesson.group_id]


def test_other_years_generate_too() -> None:
    other, other_key = generate_demo(year=2024)
    assert other.academic_year.start == date(2024, 9, 1)
    assert other_key.setup_deadline == datetime(2024, 9, 9, tzinfo=KEMEROVO)


# -- the calendar ----------------------------------------------------------------------------


def test_every_lesson_is_on_a_lesson_day(ds: Dataset) -> None:
    cal = ProductionCalendar(vacations=ds.academic_year.vacations)
    for lesson in ds.lessons:
        assert cal.is_lesson_day(lesson.date), lesson
        assert ds.academic_year.start <= lesson.date <= ds.academic_year.end
    days = {lesson.date for lesson in ds.lessons}
    off = {date(2025, 11, 3), date(2025, 11, 4), date(2025, 12, 31), date(2026, 1, 5)}
    assert not days & off
    assert all(d.weekday() != 6 for d in days)


def test_lessons_on_the_transferred_working_saturday(ds: Dataset) -> None:
    assert sum(lesson.date == date(2025, 11, 1) for lesson in ds.lessons) > 0


def test_lessons_follow_the_weekly_slots(ds: Dataset) -> None:
    for lesson in ds.lessons:
        assert time(14, 0) <= lesson.start < lesson.end <= time(19, 30)
        minutes = (
            (lesson.end.hour - lesson.start.hour) * 60 + lesson.end.minute - lesson.start.minute
        )
        assert minutes in (45, 60, 90)
    slots = {(s.group_id, s.weekday, s.start) for s in ds.schedule}
    templated = {s.group_id for s in ds.schedule}
    for lesson in ds.lessons:
        if lesson.group_id in templated:
            assert (lesson.group_id, lesson.date.weekday(), lesson.start) in slots


# -- fictitious people -------------------------------------------------------------------------


def test_all_contacts_are_fictitious(ds: Dataset) -> None:
    emails = [s.email for s in ds.staff] + [p.email for p in ds.parents]
    emails += [c.value for s in ds.students for c in s.email.changes if c.value]
    assert emails and all(e.endswith("@example.invalid") for e in emails)
    phones = [p.phone for p in ds.parents]
    phones += [c.value for s in ds.students for c in s.phone.changes if c.value]
    assert all(re.fullmatch(r"\+7 900 000-\d\d-\d\d", p) for p in phones)
    addresses = [c.value for s in ds.students for c in s.address.changes if c.value]
    assert all(a.startswith("г. Кемерово, ") for a in addresses)
    assert "Вымышлен" in ds.institution.name
    assert ds.institution.timezone == "Asia/Novokuznetsk"


def test_logins_and_credentials(ds: Dataset) -> None:
    accounts = {(CredentialKind.STAFF, s.id): s.account for s in ds.staff if s.account}
    accounts |= {(CredentialKind.PARENT, p.id): p.account for p in ds.parents if p.account}
    accounts |= {(CredentialKind.STUDENT, s.id): s.account for s in ds.students if s.account}
    creds = {(c.kind, c.person_id): c for c in ds.credentials}
    assert set(creds) == set(accounts)
    for ref, account in accounts.items():
        assert account is not None and creds[ref].login == account.login
    assert len({c.password for c in ds.credentials}) == len(ds.credentials)
    logins = {c.login for c in ds.credentials}
    assert {"director", "operator", "teacher017"} <= logins
    assert any(re.fullmatch(r"parent\d{5}", x) for x in logins)
    assert sum(c.kind is CredentialKind.STUDENT for c in ds.credentials) > 50


# -- time rules ------------------------------------------------------------------------------


def _moments(raw: Any) -> Iterator[datetime]:
    if isinstance(raw, dict):
        for value in raw.values():
            yield from _moments(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from _moments(value)
    elif isinstance(raw, str) and ISO_MOMENT.match(raw):
        yield datetime.fromisoformat(raw)


def test_every_moment_lies_in_the_working_window(ds: Dataset) -> None:
    moments = list(_moments(dataset_to_json(ds)))
    assert len(moments) > 30000
    for moment in moments:
        local = moment.astimezone(KEMEROVO).time()
        assert time(8, 0) <= local <= time(23, 30), moment


def test_changes_never_precede_the_entry(ds: Dataset) -> None:
    for lesson in ds.lessons:
        histories = _histories(lesson)
        if lesson.entered_at is None:
            assert all(not h.changes for h in histories)
        else:
            assert all(c.at >= lesson.entered_at for h in histories for c in h.changes)


def _histories(lesson: Lesson) -> list[History[Any]]:
    return [
        lesson.topic,
        lesson.completion,
        lesson.absent_student_ids,
        lesson.substitution,
        lesson.homework,
    ]


def test_absent_pupils_belong_to_the_group(ds: Dataset) -> None:
    members = {s.id: s for s in ds.students}
    for lesson in ds.lessons:
        for change in lesson.absent_student_ids.changes:
            for sid in change.value or ():
                pupil = members[sid]
                assert lesson.group_id in pupil.group_ids
                assert pupil.enrolled_at.astimezone(KEMEROVO).date() <= lesson.date


# -- behaviour -------------------------------------------------------------------------------


def test_profiles_are_recorded(ds: Dataset, key: AnswerKey) -> None:
    teachers = {s.id for s in ds.staff if Role.TEACHER in s.roles}
    assert set(key.teacher_profiles) == teachers
    counts = Counter(key.teacher_profiles.values())
    assert counts[Profile.PUNCTUAL] > 25 and all(counts[p] >= 3 for p in Profile)
    quirks = Counter(q for qs in key.teacher_quirks.values() for q in qs)
    assert set(quirks) == set(Quirk)


def test_the_teacher_without_an_account_still_teaches(ds: Dataset, key: AnswerKey) -> None:
    (tid,) = [t for t, qs in key.teacher_quirks.items() if Quirk.NO_ACCOUNT in qs]
    teacher = next(s for s in ds.staff if s.id == tid)
    assert teacher.account is None and not teacher.rights.changes
    assert (
        sum(lesson.teacher_id == tid and lesson.entered_at is not None for lesson in ds.lessons)
        > 20
    )


def test_substitutions_cancellations_and_gaps(ds: Dataset) -> None:
    teacher_of = {g.id: g.teacher_id for g in ds.groups}
    subs = [x for x in ds.lessons if x.teacher_id != teacher_of[x.group_id]]
    assert 0.02 <= len(subs) / len(ds.lessons) <= 0.04
    cancelled = [x for x in ds.lessons if x.cancelled]
    assert cancelled and all(x.entered_at is not None and not x.topic.changes for x in cancelled)
    assert any(x.entered_at is None and not x.cancelled for x in ds.lessons)
    assert any(len(x.topic.changes) == 1 and x.topic.final for x in subs)


def test_late_enrolment(ds: Dataset, key: AnswerKey) -> None:
    late = [s for s in ds.students if s.enrolled_at >= key.setup_deadline]
    assert 50 <= len(late) <= 100
    assert all(s.enrolled_at.month not in (9,) for s in late)


# -- the answer key --------------------------------------------------------------------------


def test_every_planted_kind_occurs(key: AnswerKey) -> None:
    counts = key.counts()
    kinds = {kind for _, kind in counts}
    assert kinds == {k.value for k in Kind}
    planted_rules = {rule for rule, _ in counts}
    expected = {
        "lesson-topic-same-day",
        "lesson-attendance-same-day",
        "substitution-marked",
        "topic-quality",
        "scheduled-lesson-entered",
        "setup-notification-schedule",
        "setup-parent-accounts",
        "setup-user-accounts",
        "setup-access-rights",
        "setup-schedule-template",
        "setup-student-data",
        "student-data-current",
    }
    assert planted_rules == expected  # academic year and group lists are set up on time
    for rule, kind in [
        ("lesson-topic-same-day", "late"),
        ("lesson-topic-same-day", "missing"),
        ("substitution-marked", "unmarked"),
        ("substitution-marked", "marked_late"),
        ("topic-quality", "placeholder"),
        ("topic-quality", "copied"),
        ("topic-quality", "completion_missing"),
    ]:
        assert counts[(rule, kind)] > 0, (rule, kind)


def test_key_matches_the_data(ds: Dataset, key: AnswerKey) -> None:
    expected = oracle(ds)
    planted = set(key.violations)
    assert len(planted) == len(key.violations), "duplicate entries in the key"
    assert sorted(planted - expected, key=Violation.sort_key) == []  # in the key, not in data
    assert sorted(expected - planted, key=Violation.sort_key) == []  # in the data, not in key


def test_late_is_measured_in_local_days(key: AnswerKey) -> None:
    for v in key.violations:
        if v.done_at is None:
            assert v.days_late is None
        elif v.lesson_date is not None:
            assert v.days_late == (v.done_at.astimezone(KEMEROVO).date() - v.lesson_date).days


def test_as_of_replays_a_late_topic(key: AnswerKey) -> None:
    v = next(
        v
        for v in key.violations
        if v.rule == "lesson-topic-same-day" and v.kind is Kind.LATE and (v.days_late or 0) >= 2
    )
    assert v.done_at is not None
    status = {
        moment: _status(key, v, moment)
        for moment in (v.due - timedelta(minutes=1), v.due + timedelta(hours=10), v.done_at)
    }
    assert list(status.values()) == [Status.NOT_DUE, Status.MISSING, Status.LATE]


def test_as_of_replays_setup_items(key: AnswerKey) -> None:
    before = key.setup_deadline - timedelta(days=3)
    after = key.setup_deadline + timedelta(days=1)
    setup = [v for v in key.violations if v.is_setup]
    assert {_status(key, v, before) for v in setup} == {Status.PENDING}
    unmet = next(v for v in setup if v.done_at is None)
    assert _status(key, unmet, after) is Status.UNMET
    notice = next(v for v in setup if v.rule == "setup-notification-schedule")
    assert notice.done_at is not None and _status(key, notice, notice.done_at) is Status.LATE


def _status(key: AnswerKey, v: Violation, moment: datetime) -> Status:
    return next(item.status for item in key.as_of(moment) if item.violation == v)


# -- the oracle: violations recomputed from the dataset alone --------------------------------


def _empty_topic(text: str | None) -> bool:
    """Absent, blank, or a placeholder such as "-", "." or "тема"."""
    if text is None:
        return True
    bare = text.strip().strip(".-—").strip().lower()
    return bare in ("", "тема") or not any(ch.isalpha() for ch in bare)


def oracle(ds: Dataset) -> set[Violation]:
    tz = ZoneInfo(ds.institution.timezone)
    return _lesson_oracle(ds, tz) | _copy_oracle(ds, tz) | _setup_oracle(ds, tz)


def _deadline(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def _lesson_oracle(ds: Dataset, tz: ZoneInfo) -> set[Violation]:
    teacher_of = {g.id: g.teacher_id for g in ds.groups}
    out: set[Violation] = set()
    for lesson in ds.lessons:
        if not lesson.cancelled:
            substitution = lesson.teacher_id != teacher_of[lesson.group_id]
            out |= _one_lesson(lesson, substitution, tz)
    return out


def _one_lesson(lesson: Lesson, substitution: bool, tz: ZoneInfo) -> set[Violation]:
    due = _deadline(lesson.date, tz)
    out: set[Violation] = set()

    def add(rule: str, kind: Kind, done: datetime | None, due: datetime = due) -> None:
        days = None if done is None else (done.astimezone(tz).date() - lesson.date).days
        out.add(
            Violation(rule, kind, due, done, days, lesson.id, lesson.group_id,
                      lesson.teacher_id, lesson_date=lesson.date)
        )  # fmt: skip

    if lesson.entered_at is None:
        add("scheduled-lesson-entered", Kind.NOT_ENTERED, None)
        return out
    if lesson.entered_at >= due:
        add("scheduled-lesson-entered", Kind.LATE, lesson.entered_at)
    topic = next((c.at for c in lesson.topic.changes if not _empty_topic(c.value)), None)
    if topic is None or topic >= due:
        add("lesson-topic-same-day", Kind.LATE if topic else Kind.MISSING, topic)
    attendance = next(
        (c.at for c in lesson.absent_student_ids.changes if c.value is not None), None
    )
    if attendance is None or attendance >= due:
        add("lesson-attendance-same-day", Kind.LATE if attendance else Kind.MISSING, attendance)
    if substitution:
        mark = next((c.at for c in lesson.substitution.changes if c.value), None)
        mark_due = min(lesson.entered_at, due)
        if mark is None:
            add("substitution-marked", Kind.UNMARKED, None, mark_due)
        elif mark > mark_due:
            add("substitution-marked", Kind.MARKED_LATE, mark, mark_due)
    if lesson.topic.value_at(due) is not None and _empty_topic(lesson.topic.value_at(due)):
        fixes = [c.at for c in lesson.topic.changes if c.at >= due and not _empty_topic(c.value)]
        add("topic-quality", Kind.PLACEHOLDER, fixes[0] if fixes else None)
    if not any(c.value is not None for c in lesson.completion.changes):
        add("topic-quality", Kind.COMPLETION_MISSING, None)
    return out


def _copy_oracle(ds: Dataset, tz: ZoneInfo) -> set[Violation]:
    texts: dict[tuple[int, str], list[Lesson]] = {}
    for lesson in ds.lessons:
        final = lesson.topic.final
        if not lesson.cancelled and lesson.entered_at and not _empty_topic(final):
            assert final is not None
            texts.setdefault((lesson.group_id, final.strip().lower()), []).append(lesson)
    out: set[Violation] = set()
    for same in texts.values():
        if len(same) < 2:
            continue
        same.sort(key=lambda x: (x.date, x.start))
        second = _deadline(same[1].date, tz)
        for x in same:
            due = max(second, _deadline(x.date, tz))
            out.add(
                Violation(
                    "topic-quality",
                    Kind.COPIED,
                    due,
                    lesson_id=x.id,
                    group_id=x.group_id,
                    teacher_id=x.teacher_id,
                    lesson_date=x.date,
                )
            )
    return out


def _setup_oracle(ds: Dataset, tz: ZoneInfo) -> set[Violation]:
    oracle = _SetupOracle(ds, tz)
    oracle.structure()
    oracle.staff()
    oracle.pupils()
    return oracle.out


class _SetupOracle:
    """Clause 2.2 judged on the state at 00:00 of 9 September; clause 5.2 a week after enrolment."""

    def __init__(self, ds: Dataset, tz: ZoneInfo) -> None:
        self.ds, self.tz = ds, tz
        self.day = date(ds.academic_year.start.year, 9, 8)
        self.due = _deadline(self.day, tz)
        self.out: set[Violation] = set()

    def add(self, rule: str, done: datetime | None, ref: dict[str, int], *, day: date | None = None,
            never: Kind = Kind.UNMET) -> None:  # fmt: skip
        day = day or self.day
        due = _deadline(day, self.tz)
        if done is None or done >= due:
            days = None if done is None else (done.astimezone(self.tz).date() - day).days
            kind = Kind.LATE if done else never
            self.out.add(Violation(rule, kind, due, done, days, **ref))  # type: ignore[arg-type]

    def structure(self) -> None:
        ds = self.ds
        self.add("setup-academic-year", ds.academic_year.configured_at, {})
        self.add("setup-notification-schedule", ds.notifications.configured_at, {})
        first_lesson: dict[int, date] = {}
        for lesson in ds.lessons:
            first_lesson[lesson.group_id] = min(
                lesson.date, first_lesson.get(lesson.group_id, date.max)
            )
        for g in ds.groups:
            if first_lesson.get(g.id, date.max) <= self.day:
                self.add("setup-groups-listed", g.created_at, {"group_id": g.id})
            if g.created_at < self.due:
                slots = sorted(s.created_at for s in ds.schedule if s.group_id == g.id)
                self.add("setup-schedule-template", slots[0] if slots else None, {"group_id": g.id})

    def staff(self) -> None:
        for s in self.ds.staff:
            ref = {"staff_id": s.id}
            self.add("setup-user-accounts", s.account.created_at if s.account else None, ref)
            if not s.account or s.account.created_at >= self.due:
                continue
            teaches = {
                g.id for g in self.ds.groups if g.teacher_id == s.id and g.created_at < self.due
            }

            def fits(
                rights: AccessRights | None, s: StaffMember = s, need: set[int] = teaches
            ) -> bool:
                return rights is not None and set(s.roles) <= set(rights.roles) and need <= set(
                    rights.journal_group_ids)  # fmt: skip

            if not fits(s.rights.value_at(self.due)):
                fixed = [c.at for c in s.rights.changes if c.at >= self.due and fits(c.value)]
                self.add("setup-access-rights", fixed[0] if fixed else None, ref)

    def pupils(self) -> None:
        parents = {p.id: p for p in self.ds.parents}
        for st in self.ds.students:
            ref = {"student_id": st.id}
            filled = [h.first_set_at() for h in (st.birth_date, st.address, st.phone)]
            data_done = None if None in filled else max(t for t in filled if t is not None)
            if st.enrolled_at < self.due:
                accounts = [parents[p].account for p in st.parent_ids]
                first = min((a.created_at for a in accounts if a), default=None)
                self.add("setup-parent-accounts", first, ref)
                self.add("setup-student-data", data_done, ref)
            else:
                week = st.enrolled_at.astimezone(self.tz).date() + timedelta(days=7)
                self.add("student-data-current", data_done, ref, day=week, never=Kind.MISSING)
