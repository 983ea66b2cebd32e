from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class Incident(db.Model):
    """A step that failed and what the worker does about it, for supervisors and process owners to see.

    kind: message (routing a message failed; ``instance_id`` set when a waiting instance was the one
    to fail, empty when the message could not even start its process), timer (firing an instance's
    timers failed) or task (a person's completion could not be saved). status: open → resolved (the
    step went through on a later attempt). ``reason`` names the element and variable, never data.
    """
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id"), index=True)
    instance_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    process_id: Mapped[str | None] = mapped_column(sa.String(200))
    reason: Mapped[str] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=1)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (sa.Index("ix_incidents_status_opened", "status", "opened_at"),)
