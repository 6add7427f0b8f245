"""One report for one person as an RFC 5322 message, built with the standard library.

yagmail's own message builder turns every newline of an HTML body into ``<br>`` and sends
the HTML source as the plain-text part; the auditor builds the message itself (HTML with
its plain-text alternative, attachments with Cyrillic names encoded per RFC 2231) and uses
yagmail only for the connection (``auditor.delivery.mailer``). The Message-ID derives from
the ledger key, so a mail sent again after a crash is recognisably the same mail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from auditor.config import MailConfig, Person
from auditor.report.common import Report

MIME = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("text", "csv"),
    "json": ("application", "json"),
}


def ledger_key(report: Report, person: Person) -> str:
    """What the mail is and for whom: one report, one period, one address."""
    return f"{report.stem}|{person.email.lower()}"


def message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "ruobr-auditor.local"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def subject(report: Report) -> str:
    h = report.heading
    return f"{h.title}: {h.subtitle}, {h.period}"


def attachment_name(report: Report, ext: str) -> str:
    """A file name the reader recognises: «Ежедневная сводка … 2025-10-01.xlsx»."""
    h = report.heading
    name = f"{h.title} — {h.subtitle} — {report.stem.split('-', 1)[-1]}"
    return "".join(c for c in name if c not in '\\/:*?"<>|') + f".{ext}"


def compose(
    report: Report,
    person: Person,
    mail: MailConfig,
    html: str,
    text: str,
    attachments: Mapping[str, bytes],
    now: datetime,
) -> tuple[str, EmailMessage]:
    """(ledger key, message) of ``report`` for ``person``; ``attachments``: ext → bytes."""
    key = ledger_key(report, person)
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = subject(report)
    # Address objects, not formataddr(): the policy then encodes a Cyrillic name itself
    # (formataddr's pre-encoded word gets folded mid-character on the way)
    sender = mail.sender or "ruobr-auditor@localhost"  # a dry run before [mail] is set
    msg["From"] = Address(display_name=mail.sender_name, addr_spec=sender)
    msg["To"] = Address(display_name=person.name, addr_spec=person.email)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(key, mail.sender)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    for ext, data in attachments.items():
        maintype, subtype = MIME[ext]
        msg.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=attachment_name(report, ext)
        )
    return key, msg
