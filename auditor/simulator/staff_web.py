"""The staff web app of the ЭШ 2.0 simulator: routing, the login gate, rendering.

Nothing public shows the real staff pages beyond the login form and the «ЭШ. Главная» title
(see ``/work/shared/ruobr/api-facts.md`` section 7 and docs/simulator.md), so every URL and
every piece of markup below the login is ASSUMED: designed to be plausible for a Django site
and easy to parse with stable hooks (table ids, row classes, ``data-*-id`` attributes).

URL map (all GET, all behind the login except the first two):

=======================================  ===================================================
``/accounts/login/``                     Django-style login form (:mod:`.staff_login`)
``/accounts/logout/``                    ends the session, redirects to the login page
``/``                                    home, «ЭШ. Главная», with the menu ``nav#main-menu``
``/structure/``                          ``table#departments``, ``table#associations``
``/groups/``                             ``table#groups``
``/groups/<id>/journal/?month=YYYY-MM``  ``table#journal`` (default month: the served one)
``/students/?page=N``                    ``table#students``, ``div#pagination`` (100 a page)
``/staff/``                              ``table#staff``
``/schedule/``                           ``table#schedule``
``/year/``                               ``table#periods``, ``table#vacations`` or
                                         ``p#year-not-configured``
``/notifications/``                      ``dl#notification-schedule`` or
                                         ``p#notifications-not-configured``
=======================================  ===================================================

Without a live session a page answers 302 to ``/accounts/login/?next=<path>``; a page the
viewer's rights do not cover answers 403 (:mod:`.access`); an unknown path or an object that
does not exist yet at the served moment answers 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from auditor.simulator.access import Forbidden, NotFound, Viewer, viewer_at
from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest, SimResponse
from auditor.simulator.index import DatasetIndex
from auditor.simulator.layout import change_layout
from auditor.simulator.pages import groups, people, setup
from auditor.simulator.pages.base import Page, ViewContext
from auditor.simulator.render import Renderer, Rows
from auditor.simulator.sessions import SessionStore
from auditor.simulator.staff_login import (
    LOGIN_URL,
    LOGOUT_URL,
    LoginViews,
    csrf_failure,
    login_redirect,
)


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    href: str
    label: str


NAV = (
    NavItem("home", "/", "Главная"),
    NavItem("structure", "/structure/", "Структура"),
    NavItem("groups", "/groups/", "Группы и журналы"),
    NavItem("students", "/students/", "Учащиеся"),
    NavItem("staff", "/staff/", "Сотрудники"),
    NavItem("schedule", "/schedule/", "Расписание"),
    NavItem("year", "/year/", "Учебный год"),
    NavItem("notifications", "/notifications/", "Информирование"),
)


@dataclass(frozen=True, slots=True)
class Menu:
    items: tuple[NavItem, ...]
    active: str  # the key of the item to highlight


def _menu(active: str) -> Menu:
    return Menu(NAV, active)


View = Callable[[ViewContext, SimRequest, "re.Match[str]"], Page]

ROUTES: tuple[tuple[re.Pattern[str], View], ...] = (
    (re.compile(r"^/$"), lambda ctx, req, m: setup.home_page(ctx)),
    (re.compile(r"^/structure/$"), lambda ctx, req, m: setup.structure_page(ctx)),
    (re.compile(r"^/groups/$"), lambda ctx, req, m: groups.groups_page(ctx)),
    (
        re.compile(r"^/groups/(\d+)/journal/$"),
        lambda ctx, req, m: groups.journal_page(ctx, int(m.group(1)), req.query.get("month")),
    ),
    (
        re.compile(r"^/students/$"),
        lambda ctx, req, m: people.students_page(ctx, req.query.get("page")),
    ),
    (re.compile(r"^/staff/$"), lambda ctx, req, m: people.staff_page(ctx)),
    (re.compile(r"^/schedule/$"), lambda ctx, req, m: setup.schedule_page(ctx)),
    (re.compile(r"^/year/$"), lambda ctx, req, m: setup.year_page(ctx)),
    (re.compile(r"^/notifications/$"), lambda ctx, req, m: setup.notifications_page(ctx)),
)

ERRORS = {
    403: ("Доступ запрещён", "У вас нет прав для просмотра этой страницы."),
    404: ("Страница не найдена", "Запрошенная страница не существует."),
    405: ("Метод не поддерживается", "Этот адрес принимает только GET-запросы."),
}


def _route(path: str) -> tuple[View, re.Match[str]] | None:
    for pattern, view in ROUTES:
        match = pattern.match(path)
        if match is not None:
            return view, match
    return None


class StaffWeb:
    def __init__(self, dataset: Dataset, sessions: SessionStore) -> None:
        self._index = DatasetIndex(dataset)
        self._sessions = sessions
        self._renderer = Renderer()
        self._login = LoginViews(self._index, sessions, self._renderer)

    def handle(
        self,
        request: SimRequest,
        now: datetime,
        *,
        layout_changed: bool = False,
        wrong_credentials: bool = False,
    ) -> SimResponse:
        """Answer one staff request as the site stood at ``now``."""
        now = now.astimezone(self._index.tz)
        failure = csrf_failure(request, self._renderer)
        if failure is not None:
            return failure
        if request.path == LOGIN_URL:
            return self._login.login(request, now, wrong_credentials=wrong_credentials)
        if request.path == LOGOUT_URL:
            return self._login.logout(request)
        routed = _route(request.path)
        if routed is None:
            return self._error(404, None)
        view, match = routed
        staff_id = self._sessions.staff_id(request.cookies.get("sessionid"))
        if staff_id is None or staff_id not in self._index.staff:
            return login_redirect(request)
        viewer = viewer_at(self._index, staff_id, now)
        if request.method not in ("GET", "HEAD"):
            return self._error(405, viewer)
        try:
            page = view(ViewContext(self._index, viewer, now), request, match)
        except Forbidden:
            return self._error(403, viewer)
        except NotFound:
            return self._error(404, viewer)
        html = self._renderer.render(page.template, self._chrome(page, viewer))
        return SimResponse.html(change_layout(html) if layout_changed else html)

    def _chrome(self, page: Page, viewer: Viewer | None) -> dict[str, object]:
        """The page's own context plus what the base template shows on every page."""
        user = {"id": viewer.staff.id, "name": viewer.staff.full_name} if viewer else None
        return {
            **page.context,
            "title": page.title,
            "body_class": f"page-{page.nav}",
            "institution": self._index.dataset.institution.short_name,
            "user": user,
            # The menu differs only by its highlighted item: that key is its row key.
            "nav": Rows("menu", [page.nav], _menu) if viewer else (),
            "active": page.nav,
        }

    def _error(self, status: int, viewer: Viewer | None) -> SimResponse:
        heading, message = ERRORS[status]
        page = Page(
            "error.html",
            heading,
            "error",
            {"status": status, "heading": heading, "message": message},
        )
        return SimResponse.html(
            self._renderer.render(page.template, self._chrome(page, viewer)), status
        )
