"""Helpers every CLI command shares: the app context, error translation, time parsing."""

from __future__ import annotations

import functools
import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from auditor.config import DEFAULT_CONFIG_FILE, Config, load_config
from auditor.errors import AuditorError, ExitCode

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    """What every command gets: global flags and a lazily loaded config."""

    def __init__(self, config_path: Path | None, debug: bool) -> None:
        self.config_path = config_path
        self.debug = debug
        self._config: Config | None = None

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path or Path(DEFAULT_CONFIG_FILE))
        return self._config


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, log_file: Path | None = None) -> None:
    """The one place logging is configured: the library only creates loggers (one per
    module, named after it, so ``auditor.sync`` or ``auditor.source`` can be tuned).

    ``log_file``: append there instead of stderr, reopening the file when logrotate has
    moved it away (``WatchedFileHandler``: no copytruncate, no signal needed)."""
    root = logging.getLogger("auditor")
    for old in list(root.handlers):  # a second invocation in one process (tests)
        root.removeHandler(old)
        if isinstance(old, logging.FileHandler):
            old.close()
    handler: logging.Handler
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.WatchedFileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler()  # stderr, looked up now: tests capture it
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level.upper())
    root.propagate = False


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except AuditorError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"error: {exc.one_line()}", err=True)
            sys.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except Exception as exc:
            if debug:
                traceback.print_exc()
            click.echo(
                f"error: internal error: {type(exc).__name__}: {exc} "
                "(rerun with --debug for the traceback, and report it)",
                err=True,
            )
            sys.exit(int(ExitCode.FAILURE))

    return wrapper  # type: ignore[return-value]


def parse_local_moment(text: str, timezone: str) -> datetime:
    """Read ``2025-10-13T18:00`` (local to the institution) or an ISO time with offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO date-time such as 2025-10-13T18:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment
