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
from ..incidents import service as incidents
from ..instances.environment import Settings, engine_functions
from ..instances.models import ProcessInstance
from ..instances.steps import apply_step
from ..registry.models import ProcessVersion
from ..registry.service import runner_for


def _lock_due(session, now: datetime, skip: set[str], batch: int):
    q = select(ProcessInstance).where(ProcessInstance.next_timer_at <= now,
                                      ProcessInstance.status.in_(("running", "waiting")))
    if skip:
        q = q.where(ProcessInstance.id.not_in(skip))
    q = q.order_by(ProcessInstance.next_timer_at).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    return list(session.scalars(q))


def fire_due_timers(session, *, now: datetime, settings: Settings, limit: int = 1000, batch: int = 16) -> int:
    """Fire every timer due at ``now``; returns how many instances stepped.

    Due instances are locked ``batch`` at a time and committed together: one commit (one WAL
    flush) and one version lookup per batch instead of per instance. Each instance steps inside
    its own savepoint, so one that fails is skipped without undoing the others; a step that fails
    for any other reason than a concurrent worker becomes an incident, retried after a back-off.
    """
    fired, skip = 0, set()
    while fired + len(skip) < limit:
        # a database that is away fails here, and the whole round with it (the worker loop waits and retries)
        instances = _lock_due(session, now, skip, min(batch, limit - fired - len(skip)))
        if not instances:
            break
        ids = [i.id for i in instances]
        try:
            functions = engine_functions(session, settings)      # the calendar, read once per batch
            stepped = 0
            for instance in instances:
                try:
                    with session.begin_nested(), clock.pinned_at(now):
                        version = session.get(ProcessVersion, instance.version_id)
                        result = runner_for(version, functions).fire_timers(instance.state)
                        if result.next_timer_at is not None and result.next_timer_at <= now:
                            # Due by the column but still due after the step (a timer SpiffWorkflow does not
                            # consider ripe yet): leave it for the next round instead of spinning on it.
                            skip.add(instance.id)
                        apply_step(session, instance, version, result, actor="system",
                                   message_ttl_hours=settings.message_ttl_hours)
                        incidents.timer_fired(session, instance, now=now)
                    stepped += 1
                except (StaleDataError, IntegrityError):
                    skip.add(instance.id)    # another worker stepped it first: its timer is not ours to fire
                except OperationalError:
                    raise                    # the database is away: the batch's handler below, not an incident
                except Exception as exc:     # this instance's step fails: its savepoint is undone; tell, retry later
                    skip.add(instance.id)
                    incidents.timer_failed(session, instance, exc=exc, now=now)
            session.commit()
            fired += stepped
        except (StaleDataError, IntegrityError, OperationalError):
            session.rollback()               # the batch's steps are undone together; they stay due
            skip.update(ids)
    return fired
