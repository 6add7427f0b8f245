"""The operator is told of mails that could not be sent: one notice a day at most.

After a delivery run leaves mails failed, a notice listing them is written into the ledger
for each operator (key ``notice-<day>|<address>``, so one a day however many runs fail). It
goes out with the next delivery run that reaches the server, usually together with the
mails it lists; the list says what failed and why, so that the operator can find the cause
(a password, a full mailbox, a refused address) even when the retry succeeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from auditor.config import Config
from auditor.contract.deliveries import Delivery, Outgoing
from auditor.delivery.message import address
from auditor.delivery.wire import WIRE
from auditor.report.common import Heading
from auditor.report.mail import mail_html, plain_text
from auditor.report.render import Renderer
from auditor.russian import MAILS, count

KIND = "notice"
TITLE = "Не отправлены письма с отчётами"
ARCHIVE_KIND = "archive-check"
ARCHIVE_TITLE = "Проверка архива: нарушена целостность"


@dataclass(frozen=True, slots=True)
class NoticeLine:
    recipient: str
    subject: str
    due: str  # «01.10.2025 07:30»
    attempts: int
    error: str


@dataclass(frozen=True, slots=True)
class NoticeBody:
    summary: str
    lines: tuple[NoticeLine, ...]


def failure_notices(
    failed: Sequence[Delivery],
    config: Config,
    renderer: Renderer,
    now: datetime,
    waiting: int = 0,
) -> list[Outgoing]:
    """A notice to each operator of the directory listing ``failed`` (none if empty), and
    how many more mails wait (not tried: the server could not be reached)."""
    operators = [p for p in config.directory if p.role == "operator"]
    if not failed or not operators:
        return []
    tz = config.institution.tz
    day = now.astimezone(tz).date()
    lines = tuple(
        NoticeLine(d.recipient, d.subject, f"{d.due_at.astimezone(tz):%d.%m.%Y %H:%M}",
                   d.attempts, d.error[:300])
        for d in failed
    )  # fmt: skip
    mails = count(len(failed), MAILS)
    summary = f"По состоянию на {now.astimezone(tz):%d.%m.%Y %H:%M} не удалось отправить {mails}"
    if waiting:
        verb = "ждёт" if MAILS.after(waiting) == MAILS.one else "ждут"
        summary += f"; ещё {count(waiting, MAILS)} {verb} отправки"
    body = NoticeBody(summary + ".", lines)
    heading = Heading(
        institution=config.institution.name,
        title=TITLE,
        subtitle="доставка отчётов",
        period=f"{day:%d.%m.%Y}",
        as_of=f"{now.astimezone(tz):%d.%m.%Y %H:%M}",
    )
    html = renderer.env.get_template("notice.html").render(h=heading, b=body, layout="_mail.html")
    return _to_operators(html, f"{TITLE}: {day:%d.%m.%Y}", KIND, config, now)


def archive_notices(
    problems: Sequence[str], config: Config, renderer: Renderer, now: datetime
) -> list[Outgoing]:
    """The weekly verification's problems (clause 3.1), to each operator: one a day."""
    tz = config.institution.tz
    day = now.astimezone(tz).date()
    heading = Heading(
        institution=config.institution.name, title=ARCHIVE_TITLE, subtitle="архив (п. 3.1)",
        period=f"{day:%d.%m.%Y}", as_of=f"{now.astimezone(tz):%d.%m.%Y %H:%M}",
    )  # fmt: skip
    template = renderer.env.get_template("archive_notice.html")
    html = template.render(h=heading, problems=list(problems), layout="_mail.html")
    return _to_operators(html, f"{ARCHIVE_TITLE}: {day:%d.%m.%Y}", ARCHIVE_KIND, config, now)


def _to_operators(
    document: str, subject: str, kind: str, config: Config, now: datetime
) -> list[Outgoing]:
    operators = [p for p in config.directory if p.role == "operator"]
    html = mail_html(document)
    text = plain_text(html)
    day = now.astimezone(config.institution.tz).date()
    out = []
    for person in operators:
        key = f"{kind}-{day.isoformat()}|{person.email.lower()}"
        msg = MIMEMultipart("alternative")
        msg.attach(MIMEText(text, "plain", "utf-8"))
        msg.attach(MIMEText(html, "html", "utf-8"))
        address(msg, subject, person, config.mail, now, key)
        out.append(
            Outgoing(
                key=key, kind=kind, period=day.isoformat(), recipient=person.email,
                subject=subject, message_id=str(msg["Message-ID"]),
                message=msg.as_bytes(policy=WIRE), due_at=now, late=False,
            )
        )  # fmt: skip
    return out
