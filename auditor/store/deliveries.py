"""The delivery ledger in the store: enqueue, claim, mark, list.

Exactly once rests on two things. Each mail's key is unique in the table, so enqueueing the
same report for the same person twice (a restart, a second process) writes one row. Claiming
is one conditional UPDATE (pending or failed → sending, with this process as owner), so two
processes never both send a row. A row left "sending" by a process that died is claimed
again when its owner is known to be gone (same host, no such process) or after
``stale_after``; it is sent again with the same Message-ID. The one case that can still give
two copies is a crash after the server accepted the mail and before the row was marked
sent, a window of one database write; the recipient's mail client shows such a copy once
(same Message-ID).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, insert, or_, select, update

from auditor.contract.deliveries import Claim, Delivery, DeliveryState, Outgoing
from auditor.store.schema import deliveries


def this_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_gone(owner: str) -> bool:
    """True when ``owner`` ran on this host and no process with its pid is alive."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


def enqueue(conn: Connection, items: Iterable[Outgoing], now: datetime) -> list[str]:
    """Write the mails whose key is not in the ledger yet; the keys written."""
    items = list(items)
    if not items:
        return []
    known = set(
        conn.execute(
            select(deliveries.c.key).where(deliveries.c.key.in_([i.key for i in items]))
        ).scalars()
    )
    fresh = [i for i in items if i.key not in known]
    for item in fresh:
        conn.execute(
            insert(deliveries).values(
                key=item.key, kind=item.kind, period=item.period, recipient=item.recipient,
                subject=item.subject, message_id=item.message_id, message=item.message,
                state=DeliveryState.PENDING.value, attempts=0,
                late=item.late if item.late is not None else now > item.due_at,
                created_at=now, due_at=item.due_at, last_attempt_at=None, sent_at=None,
                owner="", error="",
            )
        )  # fmt: skip
    return [i.key for i in fresh]


def claimable_keys(conn: Connection, now: datetime, stale_after: timedelta) -> list[str]:
    """Keys another process does not hold: pending, failed, or sending by a dead owner."""
    rows = conn.execute(
        select(deliveries.c.key, deliveries.c.state, deliveries.c.owner,
               deliveries.c.last_attempt_at)
        .where(deliveries.c.state != DeliveryState.SENT.value)
        .order_by(deliveries.c.due_at, deliveries.c.id)
    ).all()  # fmt: skip
    keys = []
    for key, state, owner, last in rows:
        if (
            state != DeliveryState.SENDING.value
            or owner_gone(owner)
            or (last is not None and now - last >= stale_after)
        ):
            keys.append(key)
    return keys


def claim(
    conn: Connection, key: str, now: datetime, stale_after: timedelta, owner: str
) -> Claim | None:
    """Take ``key`` for this process (one conditional UPDATE); None if someone else has it."""
    row = conn.execute(
        select(deliveries.c.state, deliveries.c.owner, deliveries.c.last_attempt_at).where(
            deliveries.c.key == key
        )
    ).first()
    if row is None or row.state == DeliveryState.SENT.value:
        return None
    takeable = [
        deliveries.c.state.in_([DeliveryState.PENDING.value, DeliveryState.FAILED.value]),
        deliveries.c.last_attempt_at < now - stale_after,
    ]
    if row.state == DeliveryState.SENDING.value and owner_gone(row.owner):
        takeable.append(deliveries.c.owner == row.owner)
    result = conn.execute(
        update(deliveries)
        .where(and_(deliveries.c.key == key, deliveries.c.state != DeliveryState.SENT.value,
                    or_(*takeable)))
        .values(state=DeliveryState.SENDING.value, owner=owner, last_attempt_at=now,
                attempts=deliveries.c.attempts + 1)
    )  # fmt: skip
    if result.rowcount != 1:
        return None
    taken = conn.execute(
        select(deliveries.c.recipient, deliveries.c.message, deliveries.c.attempts).where(
            deliveries.c.key == key
        )
    ).one()
    return Claim(key, taken.recipient, bytes(taken.message), int(taken.attempts))


def mark(conn: Connection, key: str, state: DeliveryState, now: datetime, error: str = "") -> None:
    values: dict[str, object] = {"state": state.value, "error": error[:2000]}
    if state is DeliveryState.SENT:
        values["sent_at"] = now
    conn.execute(update(deliveries).where(deliveries.c.key == key).values(**values))


def release(conn: Connection, key: str) -> None:
    """Send a failed or sent mail again on the next run (``auditor send --again KEY``)."""
    conn.execute(
        update(deliveries)
        .where(deliveries.c.key == key)
        .values(state=DeliveryState.PENDING.value, error="", owner="")
    )


def listing(conn: Connection, states: Sequence[DeliveryState] = ()) -> list[Delivery]:
    # Every column but the message: a listing must not read each mail's bytes (a year of
    # monthly reports with their PDFs is hundreds of megabytes).
    columns = [c for c in deliveries.c if c.name != "message"]
    query = select(*columns).order_by(deliveries.c.due_at, deliveries.c.id)
    if states:
        query = query.where(deliveries.c.state.in_([s.value for s in states]))
    return [
        Delivery(
            key=r.key,
            kind=r.kind,
            period=r.period,
            recipient=r.recipient,
            subject=r.subject,
            message_id=r.message_id,
            state=DeliveryState(r.state),
            late=bool(r.late),
            attempts=int(r.attempts),
            created_at=r.created_at,
            due_at=r.due_at,
            last_attempt_at=r.last_attempt_at,
            sent_at=r.sent_at,
            owner=r.owner,
            error=r.error,
        )
        for r in conn.execute(query)
    ]


def message_of(conn: Connection, key: str) -> bytes | None:
    row = conn.execute(select(deliveries.c.message).where(deliveries.c.key == key)).first()
    return None if row is None else bytes(row.message)
