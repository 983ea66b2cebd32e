"""Anchors: where every instance's log ended at one moment, combined into one chained digest.

An instance's hash chain proves every row up to its last one, but not that the last one is
still the last: deleting a tail (and fixing the instance row) or a whole instance leaves a
shorter chain that is still intact. An anchor remembers each instance's last sequence number
and hash; verification then asks the log to still contain them. Anchors chain among themselves
and their digest is printed, so it can be written down outside the database.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..events.models import Event
from ..events.service import GENESIS
from ..timeutil import utcnow
from .models import Anchor


@dataclass
class AnchorFault:
    """``code`` and ``params`` name the reason for any language (app/problems.py); ``reason`` is English."""
    instance_id: str | None
    seq: int | None
    reason: str
    code: str | None = None
    params: dict | None = None

    @classmethod
    def coded(cls, instance_id: str | None, seq: int | None, code: str, /, **params) -> "AnchorFault":
        from ..problems import english
        return cls(instance_id, seq, english(code, params), code, params)

    def to_dict(self) -> dict:
        out = {"instance_id": self.instance_id, "seq": self.seq, "reason": self.reason}
        if self.code:
            out.update(code=self.code, params=self.params or {})
        return out


def anchor_digest(prev_digest: str, created_at: datetime, entries: list) -> str:
    body = json.dumps({"at": created_at.isoformat(), "entries": entries}, separators=(",", ":"))
    return hashlib.sha256((prev_digest + body).encode()).hexdigest()


def create_anchor(session, *, now: datetime | None = None) -> Anchor:
    """Anchor the last event of every instance now (commits)."""
    now = (now or utcnow()).astimezone(timezone.utc)     # stored and re-read as UTC: the digest must match
    last = select(Event.instance_id, func.max(Event.seq).label("seq")).group_by(Event.instance_id).subquery()
    rows = session.execute(select(Event.instance_id, Event.seq, Event.hash).join(
        last, (Event.instance_id == last.c.instance_id) & (Event.seq == last.c.seq))
        .order_by(Event.instance_id)).all()
    entries = [[r.instance_id, r.seq, r.hash] for r in rows]
    prev_digest = session.scalar(select(Anchor.digest).order_by(Anchor.id.desc()).limit(1)) or GENESIS
    anchor = Anchor(created_at=now, instance_count=len(entries), entries=entries, prev_digest=prev_digest,
                    digest=anchor_digest(prev_digest, now, entries))
    session.add(anchor)
    session.commit()
    return anchor


def anchor_if_due(session, *, now: datetime, every: timedelta) -> Anchor | None:
    """The worker's periodic anchor: a new one when the last is older than ``every``.

    Two workers may decide at once; the unique ``prev_digest`` lets one of them win.
    """
    # only its time: the row's entries list every instance (megabytes at 100,000), and every round asks
    last_at = session.scalar(select(Anchor.created_at).order_by(Anchor.id.desc()).limit(1))
    if last_at is not None and last_at > now - every:
        return None
    try:
        return create_anchor(session, now=now)
    except IntegrityError:
        session.rollback()
        return None


def anchored_ends(session) -> tuple[dict[str, tuple[int, str, int]], list[AnchorFault]]:
    """Per instance, the latest anchored (seq, hash, anchor id); and faults in the anchors' own chain."""
    ends: dict[str, tuple[int, str, int]] = {}
    faults: list[AnchorFault] = []
    prev = GENESIS
    for anchor in session.scalars(select(Anchor).order_by(Anchor.id)):
        if anchor.prev_digest != prev or anchor.digest != anchor_digest(anchor.prev_digest, anchor.created_at,
                                                                         anchor.entries):
            faults.append(AnchorFault.coded(None, None, "anchor_altered", anchor=anchor.id, at=anchor.created_at.isoformat()))
        prev = anchor.digest
        for instance_id, seq, digest in anchor.entries or []:
            ends[instance_id] = (seq, digest, anchor.id)
    return ends, faults


def check_against_anchor(instance_id: str, events: list[Event],
                         anchored: tuple[int, str, int] | None) -> AnchorFault | None:
    """The instance's log must still hold the last event an anchor saw, unchanged."""
    if anchored is None:
        return None
    seq, digest, anchor_id = anchored
    by_seq = {e.seq: e for e in events}
    if not events:
        return AnchorFault.coded(instance_id, seq, "anchor_log_gone", anchor=anchor_id, seq=seq)
    event = by_seq.get(seq)
    if event is None:
        return AnchorFault.coded(instance_id, seq, "anchor_event_missing", anchor=anchor_id)
    if event.hash != digest:
        return AnchorFault.coded(instance_id, seq, "anchor_event_differs", anchor=anchor_id)
    return None
