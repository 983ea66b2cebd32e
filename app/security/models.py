from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class LoginThrottle(db.Model):
    """Sign-in attempts counted under one key ("pair:<name>|<address>", "account:<name>", "address:<address>").

    A counter changed by single UPDATE statements whose WHERE clause is the admission rule, so two
    processes racing on the same key are serialised by the database's row (or file) lock: one of them
    sees the other's increment, and no guess slips past the limit.
    """
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(sa.String(320), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
