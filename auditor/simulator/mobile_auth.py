"""Header authentication of the simulated mobile API (``/api3d/``).

Documented (api-facts §3): there is no login route, token or cookie. Every request carries
``username: base64(utf8(LOGIN.upper()))`` and ``password: base64(utf8(PASSWORD))``.

Assumed here (not publicly documented):

* logins compare case-insensitively (the official client upper-cases them, so the server
  must at least accept the upper-cased form; we accept any case);
* only parent and pupil credentials are mobile accounts: a staff login is refused like a
  wrong password (api-facts §7: how staff accounts behave on ``user/`` is unknown);
* an account exists from its ``Account.created_at`` on, and a pupil from ``enrolled_at`` on.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from auditor.simulator.dataset import Credential, CredentialKind, Dataset
from auditor.simulator.world import Account, Student


@dataclass(frozen=True, slots=True)
class MobileAccount:
    """Who is calling: a pupil (status "child") or a parent (status "applicant")."""

    kind: CredentialKind  # PARENT or STUDENT, never STAFF
    person_id: int
    student_ids: tuple[int, ...]  # the pupils this account may see as of the request


def decode_header(value: str | None) -> str | None:
    """The text a base64 header carries, or None when it is missing or not base64 UTF-8."""
    if not value:
        return None
    try:
        return base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def authenticate(
    headers: Mapping[str, str], dataset: Dataset, now: datetime
) -> MobileAccount | None:
    """The mobile account the ``username``/``password`` headers log in to, or None."""
    login = decode_header(headers.get("username"))
    password = decode_header(headers.get("password"))
    if login is None or password is None:
        return None
    credential = _find_credential(dataset, login)
    if credential is None or not _same_secret(credential.password, password):
        return None
    return _account_for(credential, dataset, now)


def student_exists(student: Student, now: datetime) -> bool:
    return student.enrolled_at <= now


def _find_credential(dataset: Dataset, login: str) -> Credential | None:
    wanted = login.upper()
    for credential in dataset.credentials:
        if credential.login.upper() == wanted:
            return credential
    return None


def _same_secret(expected: str, given: str) -> bool:
    # Constant-time, as a real server would; costs nothing and sets a good example.
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def _account_exists(account: Account | None, now: datetime) -> bool:
    return account is not None and account.created_at <= now


def _account_for(credential: Credential, dataset: Dataset, now: datetime) -> MobileAccount | None:
    if credential.kind is CredentialKind.STUDENT:
        student = next((s for s in dataset.students if s.id == credential.person_id), None)
        if student is None or not student_exists(student, now):
            return None
        if not _account_exists(student.account, now):
            return None
        return MobileAccount(CredentialKind.STUDENT, student.id, (student.id,))
    if credential.kind is CredentialKind.PARENT:
        parent = next((p for p in dataset.parents if p.id == credential.person_id), None)
        if parent is None or not _account_exists(parent.account, now):
            return None
        enrolled = {s.id for s in dataset.students if student_exists(s, now)}
        children = tuple(sid for sid in parent.student_ids if sid in enrolled)
        return MobileAccount(CredentialKind.PARENT, parent.id, children)
    return None  # staff: not a mobile account (assumption, see the module docstring)
