from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class ProcessVersion(db.Model):
    """One immutable deployed version of a process: what it was, who deployed it, when."""
    __tablename__ = "process_versions"
    __table_args__ = (sa.UniqueConstraint("process_id", "version"), sa.UniqueConstraint("process_id", "sha256"))
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(sa.String(200), index=True)
    version: Mapped[int]
    name: Mapped[str | None] = mapped_column(sa.String(300))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # The large columns load only when read: a task completion needs none of them once the
    # version's content is cached (see ``content``), and a chapter's XML and spec run to 100s of KB.
    bpmn_xml: Mapped[str] = mapped_column(sa.Text, deferred=True)
    forms: Mapped[dict] = mapped_column(sa.JSON, deferred=True)           # filename -> JSON Schema
    spec_json: Mapped[str] = mapped_column(sa.Text, deferred=True)
    elements: Mapped[list] = mapped_column(sa.JSON, deferred=True)
    lanes: Mapped[dict] = mapped_column(sa.JSON)            # lane name -> agency code
    message_starts: Mapped[list] = mapped_column(sa.JSON)
    start_agencies: Mapped[list] = mapped_column(sa.JSON)   # agencies whose staff may start it by hand
    deployed_by: Mapped[str | None] = mapped_column(sa.String(80))
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def content(self) -> "VersionContent":
        """Forms and elements of this version, read once per process (versions never change)."""
        key = (self.process_id, self.sha256)
        cached = _CONTENT.get(key)
        if cached is None:
            cached = _CONTENT[key] = VersionContent(dict(self.forms or {}),
                                                    {e["id"]: e for e in self.elements or []})
        return cached

    def element(self, bpmn_id: str) -> dict | None:
        return self.content().elements.get(bpmn_id)

    def form(self, name: str | None) -> dict | None:
        return self.content().forms.get(name) if name else None


@dataclass(frozen=True)
class VersionContent:
    forms: dict
    elements: dict


_CONTENT: dict[tuple[str, str], VersionContent] = {}


class CalendarOverride(db.Model):
    """A day an administrator declared off (or working), on top of the packaged KZ calendar."""
    __tablename__ = "calendar_overrides"
    day: Mapped[datetime] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))       # day_off | working_day
    note: Mapped[str | None] = mapped_column(sa.String(300))
    created_by: Mapped[str | None] = mapped_column(sa.String(80))
