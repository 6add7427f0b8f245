"""The error hierarchy of ruobr-auditor.

Every error the library raises on purpose is an :class:`AuditorError`. Each carries a
``hint``: one sentence telling the user what to do about it. The CLI is the only place that
turns these into exit codes (see :class:`ExitCode`) and one-line messages.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``auditor`` command (documented in README.md)."""

    OK = 0
    FAILURE = 1  # an unexpected internal error (a bug): rerun with --debug and report it
    USAGE = 2  # bad command-line usage (click's own code)
    CONFIG = 3  # the configuration file is missing or invalid
    SOURCE = 4  # ЭШ 2.0 could not be reached or answered with an error
    AUTH = 5  # ЭШ 2.0 refused the credentials
    SITE_CHANGED = 6  # a page did not look as the parsers expect
    STORE = 7  # the local store could not be opened or written
    RULE = 8  # a rule could not be evaluated
    DELIVERY = 9  # a report could not be delivered
    DATASET = 10  # a simulator dataset file is invalid
    NO_DATA = 11  # the store holds no observation of the audited period
    BUSY = 12  # another scheduler runs on the same store
    ARCHIVE = 13  # the archive could not be written, or verify or replay found a problem


class AuditorError(Exception):
    """Base class: ``str(err)`` says what failed, ``err.hint`` what to do."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def one_line(self) -> str:
        """The message the CLI prints: what failed, then what to do."""
        text = str(self)
        return f"{text} ({self.hint})" if self.hint else text


class UsageError(AuditorError):
    """The command line asks for something impossible (a reversed period, an unknown rule,
    an output path that cannot be written): the user's mistake, not a bug."""

    exit_code = ExitCode.USAGE


class ConfigError(AuditorError):
    """The configuration is invalid; ``problems`` lists every problem with its key path."""

    exit_code = ExitCode.CONFIG

    def __init__(self, problems: list[str], *, source: str = "config", hint: str = "") -> None:
        self.problems = list(problems)
        summary = "; ".join(self.problems)
        super().__init__(
            f"{source}: {summary}",
            hint=hint or "fix the keys named above; config.example.toml documents each one",
        )


class DatasetError(AuditorError):
    """A simulator dataset file does not follow the documented format."""

    exit_code = ExitCode.DATASET


class SourceError(AuditorError):
    """ЭШ 2.0 (or the simulator) could not be reached or answered with an error."""

    exit_code = ExitCode.SOURCE


class AuthError(SourceError):
    """ЭШ 2.0 refused the configured credentials."""

    exit_code = ExitCode.AUTH


class LoginRefusedError(AuthError):
    """The site refused the configured login and password (not just one page)."""


class ClockSkewError(SourceError):
    """The site's clock and the auditor's disagree: observation times would be wrong."""


class SiteChangedError(SourceError):
    """A page or API answer did not have the structure the parsers expect."""

    exit_code = ExitCode.SITE_CHANGED


class StoreError(AuditorError):
    exit_code = ExitCode.STORE


class RuleError(AuditorError):
    exit_code = ExitCode.RULE


class NoObservationsError(AuditorError):
    """Nothing was observed in the audited period: no result, clean or not, can be given."""

    exit_code = ExitCode.NO_DATA


class DeliveryError(AuditorError):
    exit_code = ExitCode.DELIVERY


class SchedulerBusyError(AuditorError):
    """Another ``auditor serve`` holds the store's scheduler lease."""

    exit_code = ExitCode.BUSY


class ArchiveError(AuditorError):
    """The archive (clauses 3.1, 3.2) could not be written or read, or it failed a check."""

    exit_code = ExitCode.ARCHIVE
