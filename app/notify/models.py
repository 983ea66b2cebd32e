from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class OutgoingMail(db.Model):
    """One e-mail to one person about one event, written in the transaction of the step that caused it.

    ``event_key`` names the event (``task:<id>``, ``overdue:<id>``, ``digest:<user>:<day>``); with the
    recipient it is unique, so an event is never queued twice for the same person. status: pending →
    sending (claimed by a worker, committed before the SMTP conversation) → sent; a failed attempt goes
    back to pending with ``next_attempt_at`` pushed back; ``digest`` rows wait for the user's daily
    summary and become ``digested``; ``failed`` after the last attempt. A row left in ``sending`` by a
    worker that died mid-conversation is not retried: better one lost notice than the same one twice.
    The subject and body hold the case number, the task's name and a link, never a child's data.
    """
    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(sa.String(120))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(20))           # task | notice | escalation | overdue | digest | withdrawn
    urgent: Mapped[bool] = mapped_column(default=False)
    case_id: Mapped[str | None] = mapped_column(sa.String(36))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (sa.UniqueConstraint("event_key", "user_id", name="uq_mail_outbox_event_user"),
                      sa.Index("ix_mail_outbox_due", "status", "next_attempt_at"))
