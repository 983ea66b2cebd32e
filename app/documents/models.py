from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class Document(db.Model):
    """A file attached to a case (and, when given, one of its tasks). The bytes live in the document store
    under ``storage_key``; ``sha256`` is of the stored bytes (after an image's metadata was stripped) and is
    also in the case instance's hash-chained event log, so a swapped file is detectable."""
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    instance_id: Mapped[str] = mapped_column(sa.String(36))
    task_id: Mapped[str | None] = mapped_column(sa.String(36))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(200))
    uploaded_by: Mapped[str] = mapped_column(sa.String(80))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
