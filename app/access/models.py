from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CaseParticipant(db.Model):
    """An organisation that holds or held work in a case: the one recorded answer to "takes part in".

    Written by the step that routes work (``instances/routing.py``) and when a case is opened, never
    derived again from lanes or tasks, so API, pages and messages read the same list."""
    __tablename__ = "case_participants"
    case_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    organisation: Mapped[str] = mapped_column(sa.String(80), primary_key=True, index=True)
