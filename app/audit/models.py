"""Tables of the audit: periodic anchors over every instance's chain, and the access log."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class Anchor(db.Model):
    """The latest hash of every instance at one moment, combined into one digest.

    A chain proves each instance's log up to its own last row; an anchor also remembers where
    every log ended, so deleting an instance's tail (or the whole instance) is detected. Anchors
    chain among themselves (``prev_digest``); publishing a digest outside the database (a court
    file, a letter) makes the anchors themselves tamper-evident.
    """
    __tablename__ = "audit_anchors"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    instance_count: Mapped[int]
    entries: Mapped[list] = mapped_column(sa.JSON)        # [[instance_id, last_seq, last_hash], ...] sorted
    prev_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)   # anchors form a chain, never a fork
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)


class AccessRecord(db.Model):
    """Someone opened a case, an instance or a task: personal data was shown to them."""
    __tablename__ = "audit_access_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(sa.String(80), index=True)
    agency: Mapped[str | None] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(20))       # case | instance | task | replay | history
    object_id: Mapped[str] = mapped_column(sa.String(36))
    case_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
