"""Reports into the delivery ledger, and the ledger out to the mail server.

Writing and sending are two steps with the ledger between them (auditor.store.deliveries):
a report is composed for each of its recipients and written as a pending mail under its
key; a delivery run claims each pending (or failed, or abandoned) mail, sends it with a few
retries, and marks it sent or failed. Whatever stops between the steps, the ledger still
says what is due, and nothing is sent twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from auditor.config import Config
from auditor.contract.deliveries import DeliveryState, Outgoing
from auditor.delivery.mailer import Mailer, MailError
from auditor.delivery.message import compose, subject
from auditor.delivery.recipients import recipients
from auditor.delivery.wire import WIRE
from auditor.report.common import Report
from auditor.report.outputs import Rendered
from auditor.report.render import Renderer
from auditor.store.interface import DeliveryLedger

log = logging.getLogger(__name__)

# What each kind of report carries as attachments (the mail body holds the summary).
ATTACHMENTS: dict[str, tuple[str, ...]] = {
    "daily": ("xlsx",),
    "head-monthly": ("pdf", "xlsx"),
    "monthly": ("pdf", "xlsx"),
    "setup": ("pdf", "xlsx"),
    "audit": ("xlsx",),
}


def outgoing(
    reports: Iterable[Report],
    config: Config,
    renderer: Renderer,
    now: datetime,
    due_at: datetime | None = None,
    rendered: Mapping[str, Rendered] | None = None,
    *,
    late: bool | None = None,
) -> list[Outgoing]:
    """Each report composed for each of its recipients (none: it is not mailed).
    ``rendered``: by report stem, formats already rendered for the report's files.
    ``late``: the caller's judgement that the mails are late (their Subject says so; the
    ledger marks them); None: the ledger marks them late if written after ``due_at``."""
    out = []
    for report in reports:
        people = recipients(report, config.directory)
        if not people:
            log.info("%s: nobody in the directory receives it", report.stem)
            continue
        made = (rendered or {}).get(report.stem) or Rendered(report, renderer)
        body = made.mail  # HTML, text and the charts it shows, rendered once for all
        files = {}
        for ext in ATTACHMENTS.get(report.kind.value, ()):
            files[ext] = made.pdf if ext == "pdf" else made.xlsx
        for person in people:
            key, message = compose(report, person, config.mail, body, files, now,
                                   late=bool(late))  # fmt: skip
            out.append(
                Outgoing(
                    key=key,
                    kind=report.kind.value,
                    period=report.stem.removeprefix(f"{report.kind.value}-"),
                    recipient=person.email,
                    subject=subject(report, late=bool(late)),
                    message_id=str(message["Message-ID"]),
                    message=message.as_bytes(policy=WIRE),
                    due_at=due_at or now,
                    late=late,
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class DeliveryRun:
    sent: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (key, error)
    busy: tuple[str, ...] = field(default=())  # claimed by another process meanwhile
    untried: int = 0  # left for the next run: the server could not be reached


def deliver(
    ledger: DeliveryLedger,
    mailer: Mailer,
    config: Config,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryRun:
    """Send every mail this process can claim; each with ``mail.max_attempts`` tries."""
    mail = config.mail
    stale = timedelta(seconds=mail.stale_after_s)
    sent: list[str] = []
    failed: list[tuple[str, str]] = []
    busy: list[str] = []
    untried = 0
    try:
        keys = ledger.claimable_mail(clock(), stale)
        for done, key in enumerate(keys):
            claim = ledger.claim_mail(key, clock(), stale)
            if claim is None:
                busy.append(key)
                continue
            error, connection = _send_with_retries(
                mailer, claim.recipient, claim.message, config, sleep
            )
            if error is None:
                ledger.mark_mail(key, DeliveryState.SENT, clock())
                sent.append(key)
                log.info("sent %s", key)
                continue
            ledger.mark_mail(key, DeliveryState.FAILED, clock(), error)
            failed.append((key, error))
            log.warning("not sent %s: %s", key, error)
            if connection:  # no other mail can go now: the next run tries them all
                untried = len(keys) - done - 1
                if untried:
                    log.warning("%d more mail(s) left for the next run", untried)
                break
    finally:
        mailer.close()
    return DeliveryRun(tuple(sent), tuple(failed), tuple(busy), untried)


def _send_with_retries(
    mailer: Mailer,
    recipient: str,
    message: bytes,
    config: Config,
    sleep: Callable[[float], None],
) -> tuple[str | None, bool]:
    """(None, False) when sent; else the last error, and whether it was the connection's
    (the server unreachable or the login refused) rather than this mail's."""
    mail = config.mail
    for attempt in range(mail.max_attempts):
        try:
            mailer.send(recipient, message)
            return None, False
        except MailError as exc:
            if not exc.transient or attempt == mail.max_attempts - 1:
                return str(exc), exc.connection
            sleep(mail.retry_base_s * 2**attempt)
    return "no attempt made", False  # pragma: no cover - max_attempts ≥ 1 is checked
