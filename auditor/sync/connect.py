"""Build the connector's clients from the configuration (``source.*``).

Passwords come in as arguments (the CLI reads them with :meth:`Secret.reveal`); they are
held by the clients and never appear in a message, a log line or a snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime

import requests

from auditor.config import SourceConfig
from auditor.errors import ConfigError
from auditor.source.http import HttpClient
from auditor.source.mobile_api import AnswerSink, MobileApiClient
from auditor.source.staff_web import StaffWebSession


def http_client(
    config: SourceConfig,
    base_url: str,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] | None = None,
) -> HttpClient:
    """The HTTP client of ``config``; ``clock`` (when given) is checked against the site's."""
    return HttpClient(
        session or requests.Session(),
        base_url,
        timeout_s=config.timeout_s,
        user_agent=config.user_agent,
        min_interval_s=config.min_interval_s,
        max_retries=config.max_retries,
        sleep=sleep,
        wall_clock=clock,
        max_skew_s=config.max_clock_skew_s,
    )


def staff_session(
    config: SourceConfig,
    password: str,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] | None = None,
) -> StaffWebSession:
    if not config.username:
        raise ConfigError(
            ["source.username: empty; the staff sync needs the login of an operator account"],
            hint="set source.username (and the variable named by source.password_env)",
        )
    http = http_client(config, config.base_url, session=session, sleep=sleep, clock=clock)
    return StaffWebSession(http, config.username, password, config_key="source")


def mobile_clients(
    config: SourceConfig,
    environ: Mapping[str, str] | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_answer: AnswerSink | None = None,
    clock: Callable[[], datetime] | None = None,
) -> tuple[HttpClient, list[MobileApiClient]]:
    """One shared HTTP client (one pace, one set of counts) and a client per account."""
    http = http_client(config, config.mobile_base_url, sleep=sleep, clock=clock)
    clients = [
        MobileApiClient(
            http,
            account.username,
            account.password.reveal(environ),
            config_key=f"source.mobile_accounts[{i}]",
            on_answer=on_answer,
        )
        for i, account in enumerate(config.mobile_accounts)
    ]
    return http, clients
