"""The delivery ledger's values, shared by the store (which keeps them) and the delivery
stage (which fills and sends them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeliveryState(StrEnum):
    PENDING = "pending"  # written, not sent yet (or sent back to be tried again)
    SENDING = "sending"  # claimed by one process (its owner), being sent
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # the tries of a run were used up: the next run tries again


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One mail to write into the ledger: its key names what it is and for whom."""

    key: str  # "daily|2025-10-01|dept-1|head@example.org"
    kind: str
    period: str
    recipient: str
    subject: str
    message_id: str
    message: bytes  # the whole RFC 5322 message, as it will be sent
    due_at: datetime  # when it should go (a later send is marked late)
    # Late: decided by the caller (the scheduler has a tolerance); None: now > due_at.
    late: bool | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One row of the ledger."""

    key: str
    kind: str
    period: str
    recipient: str
    subject: str
    message_id: str
    state: DeliveryState
    late: bool
    attempts: int
    created_at: datetime
    due_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None
    owner: str
    error: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A mail this process now owns and may send."""

    key: str
    recipient: str
    message: bytes
    attempts: int  # including this one
