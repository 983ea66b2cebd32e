from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class Event(db.Model):
    """One step of one instance. Appended in the step's transaction; never updated, never deleted."""
    __tablename__ = "events"
    __table_args__ = (sa.UniqueConstraint("instance_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(sa.String(40), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(sa.String(80))
    task_id: Mapped[str | None] = mapped_column(sa.String(36))
    bpmn_id: Mapped[str | None] = mapped_column(sa.String(200))
    lane: Mapped[str | None] = mapped_column(sa.String(300))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    state_hash: Mapped[str | None] = mapped_column(sa.String(64))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
