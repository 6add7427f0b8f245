"""``auditor capture``: save the raw pages a sync reads, with personal data replaced.

When the real site's markup differs from what :mod:`auditor.source.staff_pages` expects,
the parsers must be adapted to pages saved from it. An operator runs ``auditor capture
--out DIR`` and hands DIR over: the login form, every institution page, each pupil-list
page, the journals of the groups for the month(s) asked for, and (if mobile accounts are
configured) the mobile API's answers, each with names, phones, e-mails, dates of birth,
addresses and logins replaced by placeholders (:mod:`auditor.source.redact`).

Capture matters exactly when parsing fails, so it never depends on a parser: group ids and
the number of pupil pages fall back to the links on the pages, and a page that cannot be
read is listed in the manifest with its error instead of stopping the capture (a refused
password does stop it). Nothing is written until every page is read and redacted, and the
redacted texts are checked once more for every personal value learnt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from auditor.domain import month_bounds
from auditor.errors import AuditorError, LoginRefusedError
from auditor.source import staff_pages as sp
from auditor.source.mobile_api import AnswerSink, MobileApiClient, MobileChild
from auditor.source.redact import Redactor
from auditor.source.staff_web import StaffWebSession

INSTITUTION_PAGES = (
    sp.HOME_PATH,
    sp.STRUCTURE_PATH,
    sp.GROUPS_PATH,
    sp.STAFF_PATH,
    sp.SCHEDULE_PATH,
    sp.YEAR_PATH,
    sp.NOTIFICATIONS_PATH,
)
README = """Pages saved by `auditor capture` for adapting auditor/source/staff_pages/.
Names, phones, e-mails, dates of birth, addresses and logins are replaced by placeholders
(«Персона N», +7 000 000-00-00, redacted@example.invalid, 01.01.1900, [адрес], login-N).
manifest.json lists every page: where it came from, its file, or the error that stopped it.
"""


@dataclass(frozen=True, slots=True)
class Captured:
    """One page or answer: where it came from, and its file (or why there is none)."""

    source: str  # "staff" or "mobile"
    path: str
    params: dict[str, str]
    file: str = ""
    bytes: int = 0
    error: str = ""


@dataclass(frozen=True, slots=True)
class CaptureReport:
    out_dir: Path
    saved: tuple[Captured, ...]
    failed: tuple[Captured, ...]
    replaced_values: int


def file_name(source: str, path: str, params: Mapping[str, str]) -> str:
    """``staff/groups_100_journal__month-2025-09.html``, ``mobile/timetable2__child-5_….json``."""
    name = path.strip("/").replace("/", "_") or "home"
    query = "_".join(f"{k}-{v}" for k, v in sorted(params.items()))
    extension = "json" if source == "mobile" else "html"
    return f"{source}/{name}{'__' + query if query else ''}.{extension}"


@dataclass(slots=True)
class Capture:
    """Collects raw pages in memory; :meth:`write` redacts and saves them."""

    capture_year: int
    raw: list[tuple[Captured, str]] = field(default_factory=list)
    failed: list[Captured] = field(default_factory=list)

    def _keep(self, source: str, path: str, params: Mapping[str, str], text: str) -> None:
        self.raw.append((Captured(source, path, dict(params)), text))

    def answer_sink(self) -> AnswerSink:
        """Give this to :class:`MobileApiClient` so its answers are kept."""
        return lambda path, params, text: self._keep("mobile", path, params, text)

    def _attempt(
        self, source: str, path: str, params: Mapping[str, str], read: Callable[[], object]
    ) -> None:
        try:
            read()
        except AuditorError as exc:
            if isinstance(exc, LoginRefusedError):
                raise  # the password is wrong: nothing more can be read
            self.failed.append(Captured(source, path, dict(params), error=exc.one_line()))

    def staff(self, session: StaffWebSession, months: Sequence[str], *, max_groups: int) -> None:
        """What a full sync reads for ``months``; journals of ``max_groups`` groups (0: all)."""
        login = session.http.get(sp.LOGIN_PATH)
        self._keep("staff", sp.LOGIN_PATH, {}, login.text)
        session.ensure_login()  # a refused password stops the capture here
        pages: dict[str, str] = {}

        def read(path: str, params: dict[str, str] | None = None) -> None:
            def fetch() -> None:
                text = session.page(path, params)
                pages.setdefault(path, text)
                self._keep("staff", path, params or {}, text)

            self._attempt("staff", path, params or {}, fetch)

        for path in INSTITUTION_PAGES:
            read(path)
        read(sp.STUDENTS_PATH, sp.students_params(1))
        if sp.STUDENTS_PATH in pages:
            for number in range(2, sp.students_page_count(pages[sp.STUDENTS_PATH]) + 1):
                read(sp.STUDENTS_PATH, sp.students_params(number))
        group_ids = sp.linked_group_ids(pages.get(sp.GROUPS_PATH, ""))
        for group_id in group_ids[:max_groups] if max_groups else group_ids:
            for month in months:
                read(sp.journal_path(group_id), sp.journal_params(month))

    def mobile(self, clients: Sequence[MobileApiClient], months: Sequence[str]) -> None:
        """``user/`` of each account and each child's ``timetable2/`` for ``months``
        (the clients must have been built with :meth:`answer_sink`)."""

        def read(client: MobileApiClient, child_id: int, month: str) -> Callable[[], object]:
            first, last = month_bounds(month)
            return lambda: client.timetable(child_id, first, last)

        def login(client: MobileApiClient, into: list[MobileChild]) -> Callable[[], object]:
            return lambda: into.extend(client.user())

        for client in clients:
            children: list[MobileChild] = []
            # A refused password stops the capture; an unreadable answer is listed.
            self._attempt("mobile", "user/", {}, login(client, children))
            for child in children:
                for month in months:
                    params = {"child": str(child.id), "month": month}
                    self._attempt("mobile", "timetable2/", params, read(client, child.id, month))

    def write(self, out_dir: Path) -> CaptureReport:
        """Redact every page, check the result, then write the files and a manifest."""
        redactor = Redactor(self.capture_year)
        for entry, text in self.raw:
            if entry.source == "staff":
                found = sp.personal_values(text)
                redactor.learn(found.texts, found.whole_nodes)
        files: list[tuple[Captured, str]] = []
        for entry, text in self.raw:
            clean = redactor.page(text) if entry.source == "staff" else redactor.answer(text)
            leaked = redactor.leftovers(clean)
            if leaked:
                raise AuditorError(
                    f"capture: {entry.path} still holds {len(leaked)} personal value(s) "
                    "after redaction; nothing was written",
                    hint="this is a bug of the capture; report it (without the pages)",
                )
            name = file_name(entry.source, entry.path, entry.params)
            size = len(clean.encode("utf-8"))
            files.append((Captured(entry.source, entry.path, entry.params, name, size), clean))
        for captured, clean in files:
            target = out_dir / captured.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(clean, encoding="utf-8")
        saved = tuple(captured for captured, _ in files)
        manifest = {
            "saved": [asdict(x) for x in saved],
            "failed": [asdict(x) for x in self.failed],
        }
        (out_dir / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (out_dir / "README.txt").write_text(README, encoding="utf-8")
        return CaptureReport(out_dir, saved, tuple(self.failed), len(redactor.known))
