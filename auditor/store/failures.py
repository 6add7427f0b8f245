"""Database failures as :class:`StoreError`, each with a hint of what to do.

The user never sees a raw SQLAlchemy traceback (only with ``--debug``, through the chained
cause): the message says what failed and where, the hint what to try.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc

from auditor.errors import StoreError

_LOCKED = ("database is locked", "database table is locked", "busy")
_CORRUPT = ("file is not a database", "malformed", "corrupt", "not a database")
_UNREACHABLE = (
    "unable to open database file",
    "permission denied",
    "readonly database",
    "disk i/o error",
    "could not connect",
    "connection refused",
    "name or service not known",
)
_FULL = ("disk is full", "no space left")
_SCHEMA = ("no such table", "no such column", "does not exist")


def _first_line(err: BaseException) -> str:
    cause = getattr(err, "orig", None) or err
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def hint_for(message: str, where: str) -> str:
    text = message.lower()
    if any(key in text for key in _LOCKED):
        return (
            "another auditor process (a sync or the scheduler) is writing to the store; "
            "wait for it to finish and retry"
        )
    if any(key in text for key in _CORRUPT):
        return (
            f"the store file {where} is damaged: move it aside and restore a backup, "
            "or run a full sync into a fresh store"
        )
    if any(key in text for key in _FULL):
        return f"free some disk space where {where} lives, then retry the sync"
    if any(key in text for key in _UNREACHABLE):
        return (
            f"check that {where} exists, is reachable and is writable by this user "
            "(store.data_dir / store.url in the config)"
        )
    if any(key in text for key in _SCHEMA):
        return "the store's tables do not match this auditor version; check store.url"
    return "check store.data_dir / store.url in the config; rerun with --debug for details"


def to_store_error(err: BaseException, action: str, where: str) -> StoreError:
    message = _first_line(err)
    return StoreError(
        f"cannot {action} the store at {where}: {message}", hint=hint_for(message, where)
    )


@contextmanager
def store_errors(action: str, where: str) -> Iterator[None]:
    """Translate database and file-system errors raised inside the block."""
    try:
        yield
    except StoreError:
        raise
    except (exc.SQLAlchemyError, OSError) as err:
        raise to_store_error(err, action, where) from err
