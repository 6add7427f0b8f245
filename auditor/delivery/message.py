"""One report for one person as an RFC 5322 message, built with the standard library.

yagmail's own message builder turns every newline of an HTML body into ``<br>`` and sends
the HTML source as the plain-text part; the auditor builds the message itself (HTML with
its plain-text alternative, attachments with Cyrillic names encoded per RFC 2231) and uses
yagmail only for the connection (``auditor.delivery.mailer``). The Message-ID derives from
the ledger key, so a mail sent again after a crash is recognisably the same mail.

A body that shows charts carries them as image parts beside it (RFC 2387, RFC 2392)::

    multipart/mixed
    ├── multipart/related; type="multipart/alternative"
    │   ├── multipart/alternative
    │   │   ├── text/plain
    │   │   └── text/html            <img src="cid:trend.monthly-2025-09@ruobr-auditor.local">
    │   └── image/png                Content-ID: <trend.monthly-2025-09@ruobr-auditor.local>
    │                                Content-Disposition: inline; filename=…
    └── application/pdf, …/xlsx      attachments

A body without images is the multipart/alternative alone, in multipart/mixed when there
are attachments.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr

from auditor.config import MailConfig, Person
from auditor.report.common import Report
from auditor.report.outputs import MailBody

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


LATE_MARK = "(с опозданием) "


def subject(report: Report, *, late: bool = False) -> str:
    """The Subject; a report sent after its time (a scheduler's downtime) says so first."""
    h = report.heading
    return (LATE_MARK if late else "") + f"{h.title}: {h.subtitle}, {h.period}"


def attachment_name(report: Report, ext: str) -> str:
    """A file name the reader recognises: «Ежедневная сводка … 2025-10-01.xlsx»."""
    h = report.heading
    name = f"{h.title} — {h.subtitle} — {report.stem.split('-', 1)[-1]}"
    return "".join(c for c in name if c not in '\\/:*?"<>|') + f".{ext}"


def compose(
    report: Report,
    person: Person,
    mail: MailConfig,
    body: MailBody,
    attachments: Mapping[str, bytes],
    now: datetime,
    *,
    late: bool = False,
) -> tuple[str, Message]:
    """(ledger key, message) of ``report`` for ``person``: ``body`` (HTML, its plain-text
    alternative, the images it shows by Content-ID); ``attachments``: ext → bytes.

    Built with the classic MIME classes and :class:`~email.header.Header`: the modern
    policy's folding of a long Cyrillic Subject puts the space between two words outside the
    encoded words, where RFC 2047 decoders drop it («заполнитежурнал»); ``Header`` keeps
    every space inside an encoded word."""
    key = ledger_key(report, person)
    msg: Message = _body(body)
    if attachments:
        content, msg = msg, MIMEMultipart("mixed")
        msg.attach(content)
        for ext, data in attachments.items():
            maintype, subtype = MIME[ext]
            part = MIMEApplication(data, _subtype=subtype) if maintype == "application" else (
                MIMEText(data.decode("utf-8"), subtype, "utf-8"))  # fmt: skip
            # RFC 2231: the Cyrillic file name as utf-8 (every current mail client reads it)
            part.add_header(
                "Content-Disposition", "attachment",
                filename=("utf-8", "", attachment_name(report, ext)),
            )  # fmt: skip
            msg.attach(part)
    address(msg, subject(report, late=late), person, mail, now, key)
    return key, msg


def address(
    msg: Message, title: str, person: Person, mail: MailConfig, now: datetime, key: str
) -> None:
    """The headers of every mail the auditor sends: the Subject in encoded words that keep
    their spaces, the sender and the person, and the Message-ID derived from the key."""
    sender = mail.sender or "ruobr-auditor@localhost"  # a dry run before [mail] is set
    msg["Subject"] = Header(title, "utf-8")  # type: ignore[assignment]
    msg["From"] = formataddr((mail.sender_name, sender), charset="utf-8")
    msg["To"] = formataddr((person.name, person.email), charset="utf-8")
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(key, sender)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it


def _body(body: MailBody) -> Message:
    """The text and the HTML as alternatives; with images, these beside them in
    multipart/related (its ``type`` the root's, per RFC 2387)."""
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(body.text, "plain", "utf-8"))
    alternative.attach(MIMEText(body.html, "html", "utf-8"))
    if not body.images:
        return alternative
    related = MIMEMultipart("related", type="multipart/alternative")
    related.attach(alternative)
    for image in body.images:
        part = MIMEImage(image.png, "png")
        part["Content-ID"] = f"<{image.cid}>"
        part.add_header("Content-Disposition", "inline", filename=image.filename)
        related.attach(part)
    return related
