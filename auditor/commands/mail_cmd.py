"""``auditor outbox`` and ``auditor send``: the delivery ledger, for the operator."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from auditor.commands.common import AppContext, handle_errors

STATES = ("pending", "sending", "sent", "failed")


@click.command()
@click.option("--state", "states", multiple=True, type=click.Choice(STATES),
              help="Only mails in this state (repeatable). Default: all.")  # fmt: skip
@click.pass_obj
@handle_errors
def outbox(app: AppContext, states: tuple[str, ...]) -> None:
    """List the mails of the delivery ledger: pending, sending, sent and failed."""
    from auditor.contract.deliveries import DeliveryState
    from auditor.store.sqlstore import open_store

    config = app.config()
    tz = config.institution.tz
    with open_store(config.store, create=False) as store:
        rows = store.deliveries([DeliveryState(s) for s in states])
    if not rows:
        click.echo("the outbox is empty")
        return
    for row in rows:
        when = row.sent_at or row.last_attempt_at or row.created_at
        late = " late" if row.late else ""
        click.echo(
            f"{row.state.value:8} {when.astimezone(tz):%d.%m.%Y %H:%M}{late:5} "
            f"tries {row.attempts}  {row.recipient}  {row.subject}"
        )
        click.echo(
            f"         key {row.key}" + (f"\n         error: {row.error}" if row.error else "")
        )
    failed = sum(r.state is DeliveryState.FAILED for r in rows)
    click.echo(f"{len(rows)} mails, {failed} failed")


@click.command()
@click.option("--again", "again", multiple=True, metavar="KEY",
              help="Send this mail again even if it was sent (repeatable; keys from "
              "`auditor outbox`).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.pass_obj
@handle_errors
def send(app: AppContext, again: tuple[str, ...], dry_run: bool) -> None:
    """Send the pending and failed mails of the delivery ledger now.

    Exit code 9 if a mail could not be sent after its retries (it stays in the ledger as
    failed, and the next run tries it again).
    """
    from auditor.contract.deliveries import DeliveryState
    from auditor.delivery.mailer import SmtpMailer
    from auditor.delivery.outbox import deliver
    from auditor.errors import DeliveryError, UsageError
    from auditor.store.sqlstore import open_store

    config = app.config()
    if not config.mail.enabled and not dry_run:
        raise UsageError("mail is not enabled", hint="set mail.enabled = true in the config")
    with open_store(config.store, create=False) as store:
        for key in again:
            if dry_run:
                continue
            if not store.release_mail(key):
                raise UsageError(f"no mail with key {key!r}", hint="`auditor outbox` lists them")
        if dry_run:
            waiting = store.deliveries([DeliveryState.PENDING, DeliveryState.FAILED])
            for row in waiting:
                click.echo(f"would send: {row.recipient}  {row.subject}")
            click.echo(f"{len(waiting)} mails would be sent (dry run: nothing sent)")
            return
        run = deliver(store, SmtpMailer(config.mail), config, lambda: datetime.now(UTC))
    click.echo(
        f"{len(run.sent)} sent, {len(run.failed)} failed, {len(run.busy)} busy elsewhere"
        + (f", {run.untried} left (the server is unreachable)" if run.untried else "")
    )
    for key, error in run.failed:
        click.echo(f"not sent: {key}: {error}", err=True)
    if run.failed:
        raise DeliveryError(
            f"{len(run.failed)} mail(s) could not be sent",
            hint="check [mail] and the server; `auditor send` tries them again",
        )
    sys.stdout.flush()
