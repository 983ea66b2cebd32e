from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class LoginFailure(db.Model):
    """One failed sign-in. Rows, not counters: concurrent failures in two processes never lose an update."""
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(160))          # "user:<name>" or "ip:<address>"
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (sa.Index("ix_login_failures_key_at", "key", "at"),)
