from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class Message(db.Model):
    """A message between instances or from outside: the outbox row and its fate.

    status: pending (not routed yet) → delivered (to ``delivered_to``) | waiting (no receiver yet,
    retried until ``expires_at``) → expired; cancelled when its case's registration is withdrawn before it went.
    """
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    correlation: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    source_instance_id: Mapped[str | None] = mapped_column(sa.String(36))
    sender: Mapped[str] = mapped_column(sa.String(80))
    sender_organisation: Mapped[str | None] = mapped_column(sa.String(80))   # a person's unit, shown to the receiver
    status: Mapped[str] = mapped_column(sa.String(20), index=True, default="pending")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    routed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_to: Mapped[list] = mapped_column(sa.JSON, default=list)
    attempts: Mapped[int] = mapped_column(default=0)
    # the keys the sender's diagram computed from the payload (None: the receiver's diagram computes them)
    correlation_keys: Mapped[dict | None] = mapped_column(sa.JSON)
    # why a waiting message found no receiver among the catches of its case (None: nobody waits yet)
    waiting_reason: Mapped[str | None] = mapped_column(sa.String(300))
    # after a failed routing step (an incident): not looked at again before next_attempt_at
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    lock_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": lock_version}
