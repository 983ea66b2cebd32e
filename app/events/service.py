"""The append-only, hash-chained event log.

Each event's hash covers its content and the previous event's hash, so editing, deleting or
reordering any row breaks the chain from that row on. The instance row keeps the last sequence
number and hash, which makes appending O(1) and lets a truncated tail be detected too.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from ..timeutil import utcnow
from .models import Event

GENESIS = "0" * 64


def event_hash(prev_hash: str, *, instance_id: str, seq: int, type: str, at: datetime, actor: str,
               task_id: str | None, bpmn_id: str | None, lane: str | None, data: Any,
               state_hash: str | None) -> str:
    body = json.dumps({"instance_id": instance_id, "seq": seq, "type": type, "at": at.isoformat(),
                       "actor": actor, "task_id": task_id, "bpmn_id": bpmn_id, "lane": lane, "data": data,
                       "state_hash": state_hash}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def append(session, instance, *, type: str, actor: str, task_id=None, bpmn_id=None, lane=None,
           data: dict | None = None, state_hash: str | None = None, at: datetime | None = None) -> Event:
    """Append one event to an instance's chain (the caller commits, with the rest of the step)."""
    event = Event(**chained(instance, type=type, actor=actor, task_id=task_id, bpmn_id=bpmn_id, lane=lane,
                            data=data, state_hash=state_hash, at=at))
    session.add(event)
    return event


def append_all(session, instance, events: list[dict]) -> None:
    """Append a step's events (each the keywords of ``append``) with one multi-row INSERT, now.

    The engine's steps write several events each; one statement instead of an ORM object and an INSERT
    apiece is most of what a step costs the database besides the instance row. A concurrent step of the
    same instance chained from the same last event, so it fails here on ``(instance_id, seq)`` (an
    IntegrityError) as surely as at the instance's ``lock_version``."""
    rows = [chained(instance, **e) for e in events]
    if rows:
        session.execute(insert(Event.__table__), rows)


def chained(instance, *, type: str, actor: str, task_id=None, bpmn_id=None, lane=None, data: dict | None = None,
            state_hash: str | None = None, at: datetime | None = None) -> dict:
    """The next event of the instance's chain as column values; advances the instance's last seq and hash."""
    at = at or utcnow()
    seq = instance.last_seq + 1
    data = json.loads(json.dumps(data or {}, default=str))
    digest = event_hash(instance.last_hash, instance_id=instance.id, seq=seq, type=type, at=at, actor=actor,
                        task_id=task_id, bpmn_id=bpmn_id, lane=lane, data=data, state_hash=state_hash)
    row = dict(instance_id=instance.id, seq=seq, type=type, at=at, actor=actor, task_id=task_id, bpmn_id=bpmn_id,
               lane=lane, data=data, state_hash=state_hash, prev_hash=instance.last_hash, hash=digest)
    instance.last_seq, instance.last_hash = seq, digest
    return row


def events_of(session, instance_id: str) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.instance_id == instance_id).order_by(Event.seq)))


def verify_chain(events: list[Event], *, last_seq: int | None = None, last_hash: str | None = None) -> str | None:
    """The first fault in an instance's chain, or None when it is intact."""
    prev, expected_seq = GENESIS, 1
    for e in events:
        if e.seq != expected_seq:
            return f"seq {expected_seq}: missing or out of order (found {e.seq})"
        if e.prev_hash != prev:
            return f"seq {e.seq}: prev_hash does not match the previous event"
        digest = event_hash(prev, instance_id=e.instance_id, seq=e.seq, type=e.type, at=e.at, actor=e.actor,
                            task_id=e.task_id, bpmn_id=e.bpmn_id, lane=e.lane, data=e.data,
                            state_hash=e.state_hash)
        if digest != e.hash:
            return f"seq {e.seq}: content does not match its hash"
        prev, expected_seq = e.hash, expected_seq + 1
    if last_seq is not None and last_seq != expected_seq - 1:
        return f"seq {expected_seq}: the log ends before the instance's last step ({last_seq})"
    if last_hash is not None and events and last_hash != prev:
        return f"seq {events[-1].seq}: the last hash differs from the instance's"
    return None
