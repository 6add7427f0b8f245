"""Sending one message over SMTP, behind a small interface (tests use a real server on
127.0.0.1; nothing here is mocked away).

yagmail holds the connection: SSL, STARTTLS or none; the login (only when a username is
configured, with the password from its environment variable) is smtplib's own. It is
built only when there is something to send, since it may connect on login. Errors are sorted
into those worth a retry (the server is down or busy: connection refused, 4xx) and those
that are not (5xx: the address or the message is refused).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from typing import Any, Protocol

from auditor.config import MailConfig

log = logging.getLogger(__name__)


class MailError(Exception):
    """The message was not accepted; ``transient``: a later try may succeed;
    ``connection``: the server could not be reached or refused the login, so no other
    mail can go either (a delivery run stops instead of trying each one)."""

    def __init__(self, text: str, *, transient: bool, connection: bool = False) -> None:
        super().__init__(text)
        self.transient = transient
        self.connection = connection


class Mailer(Protocol):
    def send(self, recipient: str, message: bytes) -> None:
        """Hand ``message`` to the server for ``recipient``, or raise :class:`MailError`."""
        ...

    def close(self) -> None: ...


class SmtpMailer:
    """One SMTP connection (opened on the first send, reopened after a failure)."""

    def __init__(self, config: MailConfig, environ: Mapping[str, str] | None = None) -> None:
        self.config = config
        self.environ = environ
        self._client: Any = None

    def _connect(self) -> Any:
        import yagmail  # imported when mail is sent: it loads slowly and logs on import

        cfg = self.config
        # yagmail connects (SSL or STARTTLS); the login is ours: yagmail would append
        # "@gmail.com" to a login without "@" and look for a missing password in a keyring.
        client = yagmail.SMTP(
            user=cfg.sender,
            host=cfg.host,
            port=cfg.port,
            smtp_ssl=cfg.security == "ssl",
            smtp_starttls=cfg.security == "starttls",
            smtp_skip_login=True,
            soft_email_validation=False,
            timeout=cfg.timeout_s,
        )
        client.set_logging(logging.WARNING)
        client.login()
        if cfg.username:
            client.smtp.login(cfg.username, cfg.password.reveal(self.environ))
        return client

    def send(self, recipient: str, message: bytes) -> None:
        if self._client is None:
            self._client = self._connect_or_fail()
        try:
            refused = self._client.smtp.sendmail(self.config.sender, [recipient], message)
        except smtplib.SMTPResponseException as exc:
            self._drop()
            transient = 400 <= exc.smtp_code < 500
            raise MailError(f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}",
                            transient=transient) from None  # fmt: skip
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop()
            codes = [code for code, _ in exc.recipients.values()]
            raise MailError(f"recipient refused: {exc.recipients}",
                            transient=all(400 <= c < 500 for c in codes)) from None  # fmt: skip
        except UnicodeEncodeError:
            self._drop()
            raise MailError(
                "the SMTP login or password holds non-ASCII characters, which SMTP AUTH "
                "(Python's smtplib) cannot send: use an ASCII password",
                transient=False,
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            where = f"{self.config.host}:{self.config.port}"
            raise MailError(f"SMTP server {where}: {type(exc).__name__}: {exc}",
                            transient=True) from None  # fmt: skip
        if refused:
            raise MailError(f"recipient refused: {refused}", transient=False)

    def _connect_or_fail(self) -> Any:
        where = f"{self.config.host}:{self.config.port}"
        try:
            return self._connect()
        except smtplib.SMTPResponseException as exc:  # e.g. 535: the login was refused
            raise MailError(
                f"SMTP server {where} refused the connection or login: {exc.smtp_code} "
                f"{_text(exc.smtp_error)}",
                transient=400 <= exc.smtp_code < 500, connection=True,
            ) from None  # fmt: skip
        except UnicodeEncodeError:
            raise MailError(
                "the SMTP login or password holds non-ASCII characters, which SMTP AUTH "
                "(Python's smtplib) cannot send: use an ASCII password",
                transient=False, connection=True,
            ) from None  # fmt: skip
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"SMTP server {where}: {type(exc).__name__}: {exc}",
                            transient=True, connection=True) from None  # fmt: skip

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # the connection is already gone
                log.debug("closing a failed SMTP connection", exc_info=True)

    def close(self) -> None:
        self._drop()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
