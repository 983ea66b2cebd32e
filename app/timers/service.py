"""Firing due timers: the worker's half of every statutory deadline.

Instances are picked by their stored ``next_timer_at`` (indexed), one at a time under a row
lock that other workers skip (PostgreSQL ``FOR UPDATE SKIP LOCKED``); on SQLite the single
writer and the instance's optimistic version give the same exactly-once result.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ..engine import clock
from ..instances.environment import Settings, engine_functions
from ..instances.models import ProcessInstance
from ..instances.steps import apply_step
from ..registry.models import ProcessVersion
from ..registry.service import runner_for


def _lock_due(session, now: datetime, skip: set[str]):
    q = select(ProcessInstance).where(ProcessInstance.next_timer_at <= now,
                                      ProcessInstance.status.in_(("running", "waiting")))
    if skip:
        q = q.where(ProcessInstance.id.not_in(skip))
    q = q.order_by(ProcessInstance.next_timer_at).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    return session.scalar(q)


def fire_due_timers(session, *, now: datetime, settings: Settings, limit: int = 1000) -> int:
    """Fire every timer due at ``now``; returns how many instances stepped."""
    fired, skip = 0, set()
    while fired + len(skip) < limit:
        instance = _lock_due(session, now, skip)
        if instance is None:
            break
        try:
            with clock.pinned_at(now):
                version = session.get(ProcessVersion, instance.version_id)
                result = runner_for(version, engine_functions(session, settings)).fire_timers(instance.state)
                if result.next_timer_at is not None and result.next_timer_at <= now:
                    # Due by the column but still due after the step (a timer SpiffWorkflow does not
                    # consider ripe yet): leave it for the next round instead of spinning on it.
                    skip.add(instance.id)
                apply_step(session, instance, version, result, actor="system",
                           message_ttl_hours=settings.message_ttl_hours)
                session.commit()
            fired += 1
        except (StaleDataError, IntegrityError, OperationalError):
            session.rollback()           # another worker stepped it first: its timer is not ours to fire
            skip.add(instance.id)
    return fired
