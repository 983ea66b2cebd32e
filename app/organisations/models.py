from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Organisation(db.Model):
    """A real unit (a school, a district police department, a district guardianship office ...): what a
    task is routed to and what a staff member belongs to. ``serves`` lists КАТО codes; serving a territory
    covers everything under it in the classifier."""
    __tablename__ = "organisations"
    code: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    agency: Mapped[str] = mapped_column(sa.String(40), index=True)
    name_ru: Mapped[str] = mapped_column(sa.String(300))
    name_kk: Mapped[str | None] = mapped_column(sa.String(300))
    name_en: Mapped[str | None] = mapped_column(sa.String(300))
    territory: Mapped[str | None] = mapped_column(sa.String(12))
    serves: Mapped[list] = mapped_column(sa.JSON, default=list)
    parent_code: Mapped[str | None] = mapped_column(sa.String(80))
    active: Mapped[bool] = mapped_column(default=True)
