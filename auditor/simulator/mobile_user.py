"""The ``user/`` body of the simulated mobile API.

Documented (api-facts §4 row 1 and §4.1): a pupil account gets a flat child dict with
``status: "child"``; a parent account gets ``{"status": "applicant", "childs": [child…],
"gps_tracker": bool, …}``. The child keys and their types follow the README sample and the
strict models of §4.1, including the ``school_terrirtory_id`` typo.

Assumed here (values the dataset has no source for):

* ``user_id`` (the pupil's account id) is invented as ``USER_ID_BASE + student.id`` so that it
  is stable and never equal to the pupil ``id``;
* ``school_terrirtory_id`` is ``TERRITORY_ID`` (1, as in the public sample);
* ``user_img`` is "", food and turnstile are off (``school_is_food``/``school_is_tourniquet``
  0, an institution of supplementary education has neither), ``readonly`` 0, no GPS tracker;
* ``push_settings`` enables attendance, homework and mark notifications, nothing else;
* ``childs[]`` items are the pupil dict without the account-level keys (status,
  gps_tracker, push_settings), plus ``user_id`` (likely per §4.1);
* ``group`` is the name of the pupil's first group (a pupil of supplementary education may
  attend several groups; the API has room for one string).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditor.simulator.dataset import CredentialKind, Dataset
from auditor.simulator.mobile_auth import MobileAccount
from auditor.simulator.world import Student

USER_ID_BASE = 100_000_000
TERRITORY_ID = 1
PUSH_SETTINGS = {
    "school_news": 0,
    "attendance": 1,
    "homework": 1,
    "mau_balance": 0,
    "tourniquet": 0,
    "mark": 1,
}
ACCOUNT_KEYS = frozenset({"status", "gps_tracker", "push_settings"})


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """(last, first, middle) from "Фамилия Имя Отчество"; missing parts are ""."""
    parts = full_name.split()
    last = parts[0] if parts else ""
    first = parts[1] if len(parts) > 1 else ""
    return last, first, " ".join(parts[2:])


def child_json(student: Student, dataset: Dataset, now: datetime) -> dict[str, Any]:
    """One pupil as ``user/`` shows it (the body for a pupil, a ``childs`` item for a parent)."""
    last, first, middle = split_full_name(student.full_name)
    birth_date = student.birth_date.value_at(now)
    groups = {g.id: g.name for g in dataset.groups}
    first_group = next((groups[gid] for gid in student.group_ids if gid in groups), "")
    return {
        "status": "child",
        "id": student.id,
        "user_id": USER_ID_BASE + student.id,
        "first_name": first,
        "last_name": last,
        "middle_name": middle,
        "birth_date": birth_date.isoformat() if birth_date is not None else "",
        "user_img": "",
        "school": dataset.institution.name,
        "school_terrirtory_id": TERRITORY_ID,  # sic: the API's own spelling
        "group": first_group,
        "school_is_food": 0,
        "school_is_tourniquet": 0,
        "readonly": 0,
        "gps_tracker": False,
        "push_settings": dict(PUSH_SETTINGS),
    }


def user_json(account: MobileAccount, dataset: Dataset, now: datetime) -> dict[str, Any]:
    """The ``user/`` body for ``account``, with ``success: true``."""
    students = {s.id: s for s in dataset.students}
    children = [child_json(students[sid], dataset, now) for sid in account.student_ids]
    if account.kind is CredentialKind.STUDENT:
        return {**children[0], "success": True}
    # status, gps_tracker and push_settings belong to the account, not to a child: the
    # strict ``childs[]`` model of api-facts §4.1 has none of them.
    items = [{k: v for k, v in c.items() if k not in ACCOUNT_KEYS} for c in children]
    return {"status": "applicant", "childs": items, "gps_tracker": False, "success": True}
