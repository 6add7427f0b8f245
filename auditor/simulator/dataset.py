"""The simulator's dataset: one institution's whole world, as documented JSON.

A dataset is everything the ЭШ 2.0 simulator serves: the domain values of
:mod:`auditor.simulator.world` plus the credentials of the accounts that may log in. The format is
described in ``docs/dataset-format.md``; this module reads and writes it, and reports every
problem of a hand-written file at once, each with its JSON path.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import date, datetime, time
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from auditor.domain import Role
from auditor.errors import DatasetError
from auditor.simulator.world import (
    AcademicYear,
    Association,
    Change,
    Department,
    Group,
    History,
    Institution,
    Lesson,
    NotificationSchedule,
    Parent,
    ScheduleSlot,
    StaffMember,
    Student,
)

FORMAT_NAME = "ruobr-auditor-dataset"
FORMAT_VERSION = 1


class CredentialKind(StrEnum):
    STAFF = "staff"  # logs in to the staff web app (/accounts/login/)
    PARENT = "parent"  # logs in to the mobile API as a parent (status "applicant")
    STUDENT = "student"  # logs in to the mobile API as a pupil (status "child")


@dataclass(frozen=True, slots=True)
class Credential:
    """A login that the simulator accepts. Exists only in simulator datasets."""

    login: str
    password: str
    kind: CredentialKind
    person_id: int


@dataclass(frozen=True, slots=True)
class Dataset:
    institution: Institution
    academic_year: AcademicYear
    notifications: NotificationSchedule
    departments: tuple[Department, ...]
    associations: tuple[Association, ...]
    groups: tuple[Group, ...]
    schedule: tuple[ScheduleSlot, ...]
    staff: tuple[StaffMember, ...]
    students: tuple[Student, ...]
    parents: tuple[Parent, ...]
    lessons: tuple[Lesson, ...]
    credentials: tuple[Credential, ...]


def staff_credential(dataset: Dataset, role: Role) -> Credential:
    """The login of the first staff member holding ``role`` (the demo's way in)."""
    holders = {s.id for s in dataset.staff if role in s.roles}
    for credential in dataset.credentials:
        if credential.kind is CredentialKind.STAFF and credential.person_id in holders:
            return credential
    raise LookupError(f"the dataset has no staff login with the role {role.value}")


# ---------------------------------------------------------------------------
# Generic codec between the dataclasses above and plain JSON values.


class _Problems:
    """Collects decoding problems so that a file's every mistake is reported at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        if len(self.items) < 50:  # beyond that the user needs a different file, not a list
            self.items.append(f"{path or '$'}: {message}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _encode(value: Any) -> Any:
    if isinstance(value, History):
        return [{"at": c.at.isoformat(), "value": _encode(c.value)} for c in value.changes]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, raw: Any, path: str, problems: _Problems) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if raw is None:
            return None
        return _decode(args[0], raw, path, problems)
    if origin is History:
        (inner,) = get_args(tp)
        if not isinstance(raw, list):
            problems.add(path, "expected a list of {at, value} changes")
            return History()
        changes = []
        for i, item in enumerate(raw):
            item_path = f"{path}[{i}]"
            if not isinstance(item, dict) or "at" not in item or "value" not in item:
                problems.add(item_path, "expected an object with 'at' and 'value'")
                continue
            at = _decode(datetime, item["at"], f"{item_path}.at", problems)
            value = _decode(inner | None, item["value"], f"{item_path}.value", problems)
            if at is not None:
                changes.append(Change(at, value))
        try:
            return History(tuple(changes))
        except ValueError as exc:
            problems.add(path, str(exc))
            return History()
    if origin is tuple:
        inner = get_args(tp)[0]
        if not isinstance(raw, list):
            problems.add(path, "expected a list")
            return ()
        return tuple(_decode(inner, v, f"{path}[{i}]", problems) for i, v in enumerate(raw))
    if isinstance(tp, type) and is_dataclass(tp):
        return _decode_dataclass(tp, raw, path, problems)
    return _decode_scalar(tp, raw, path, problems)


def _decode_dataclass(cls: type, raw: Any, path: str, problems: _Problems) -> Any:
    if not isinstance(raw, dict):
        problems.add(path, f"expected an object ({cls.__name__})")
        return None
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    known = {f.name for f in fields(cls)}
    for name in sorted(set(raw) - known):
        problems.add(f"{path}.{name}", f"unknown key for {cls.__name__}")
    for f in fields(cls):
        sub = f"{path}.{f.name}" if path else f.name
        if f.name not in raw:
            has_default = f.default is not MISSING or f.default_factory is not MISSING
            if not has_default:
                problems.add(sub, "required key is missing")
            continue
        kwargs[f.name] = _decode(hints[f.name], raw[f.name], sub, problems)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        if not problems.items:
            problems.add(path, str(exc))
        return None


def _decode_scalar(tp: Any, raw: Any, path: str, problems: _Problems) -> Any:
    try:
        if tp is datetime:
            value = datetime.fromisoformat(raw)
            if value.tzinfo is None:
                problems.add(path, "datetime needs a UTC offset, e.g. 2025-09-01T18:30:00+07:00")
                return None
            return value
        if tp is date:
            return date.fromisoformat(raw)
        if tp is time:
            return time.fromisoformat(raw)
        if isinstance(tp, type) and issubclass(tp, Enum):
            return tp(raw)
        if tp is bool:
            if not isinstance(raw, bool):
                raise TypeError
            return raw
        if tp is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise TypeError
            return raw
        if tp is str:
            if not isinstance(raw, str):
                raise TypeError
            return raw
    except (TypeError, ValueError):
        name = getattr(tp, "__name__", str(tp))
        problems.add(path, f"expected {name}, got {raw!r}"[:200])
        return None
    raise TypeError(f"no decoder for {tp!r}")  # a programming error, not bad input


# ---------------------------------------------------------------------------
# Public API


def dataset_to_json(dataset: Dataset) -> dict[str, Any]:
    body = _encode(dataset)
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, **body}


def dataset_from_json(raw: Any, *, source: str = "dataset") -> Dataset:
    """Decode and validate; raise :class:`DatasetError` listing every problem found."""
    problems = _Problems()
    if not isinstance(raw, dict):
        raise DatasetError(f"{source}: the top level must be a JSON object")
    if raw.get("format") != FORMAT_NAME:
        problems.add("format", f"must be {FORMAT_NAME!r}")
    if raw.get("version") != FORMAT_VERSION:
        problems.add("version", f"must be {FORMAT_VERSION} (this is what this version reads)")
    body = {k: v for k, v in raw.items() if k not in ("format", "version")}
    dataset = _decode_dataclass(Dataset, body, "", problems)
    if not problems.items:
        problems.items.extend(check_references(dataset))
    if problems.items:
        raise DatasetError(
            f"{source}: " + "; ".join(problems.items),
            hint="see docs/dataset-format.md for the format",
        )
    return typing.cast(Dataset, dataset)


def check_references(dataset: Dataset) -> list[str]:
    """Cross-checks that JSON decoding cannot see: ids unique, references resolvable."""
    found: list[str] = []

    def ids(name: str, items: tuple[Any, ...]) -> set[int]:
        seen: set[int] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                found.append(f"{name}[{i}].id: duplicate id {item.id}")
            seen.add(item.id)
        return seen

    departments = ids("departments", dataset.departments)
    associations = ids("associations", dataset.associations)
    groups = ids("groups", dataset.groups)
    staff = ids("staff", dataset.staff)
    students = ids("students", dataset.students)
    parents = ids("parents", dataset.parents)
    ids("lessons", dataset.lessons)

    def ref(path: str, value: int | None, pool: set[int], what: str) -> None:
        if value is not None and value not in pool:
            found.append(f"{path}: no {what} with id {value}")

    for i, d in enumerate(dataset.departments):
        ref(f"departments[{i}].head_id", d.head_id, staff, "staff member")
    for i, a in enumerate(dataset.associations):
        ref(f"associations[{i}].department_id", a.department_id, departments, "department")
    for i, g in enumerate(dataset.groups):
        ref(f"groups[{i}].association_id", g.association_id, associations, "association")
        ref(f"groups[{i}].teacher_id", g.teacher_id, staff, "staff member")
    for i, s in enumerate(dataset.schedule):
        ref(f"schedule[{i}].group_id", s.group_id, groups, "group")
    for i, st in enumerate(dataset.students):
        for gid in st.group_ids:
            ref(f"students[{i}].group_ids", gid, groups, "group")
        for pid in st.parent_ids:
            ref(f"students[{i}].parent_ids", pid, parents, "parent")
    for i, p in enumerate(dataset.parents):
        for sid in p.student_ids:
            ref(f"parents[{i}].student_ids", sid, students, "student")
    for i, lesson in enumerate(dataset.lessons):
        ref(f"lessons[{i}].group_id", lesson.group_id, groups, "group")
        ref(f"lessons[{i}].teacher_id", lesson.teacher_id, staff, "staff member")
    pools = {
        CredentialKind.STAFF: staff,
        CredentialKind.PARENT: parents,
        CredentialKind.STUDENT: students,
    }
    logins: set[str] = set()
    for i, c in enumerate(dataset.credentials):
        ref(f"credentials[{i}].person_id", c.person_id, pools[c.kind], c.kind.value)
        # ЭШ 2.0's mobile API upper-cases logins, so logins differing in case collide.
        if c.login.upper() in logins:
            found.append(f"credentials[{i}].login: duplicate login {c.login!r}")
        logins.add(c.login.upper())
    return found[:50]


def save_dataset(dataset: Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dataset_to_json(dataset), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


def load_dataset(path: Path) -> Dataset:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(
            f"dataset file {path} does not exist", hint="check the path, or omit --dataset"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read dataset file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"dataset file {path} is not valid JSON: line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}",
            hint="see docs/dataset-format.md",
        ) from None
    return dataset_from_json(raw, source=str(path))
