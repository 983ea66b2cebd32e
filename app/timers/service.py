"""Firing due timers: the worker's half of every statutory deadline.

Instances are picked by their stored ``next_timer_at`` (indexed), a batch at a time under row
locks that other workers skip (PostgreSQL ``FOR UPDATE SKIP LOCKED``). SQLite has one writer:
a batch takes the write lock before it reads what is due (``BEGIN IMMEDIATE``), so a second
worker waits for the first one's commit and then no longer sees the timers it fired.
"""
from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ..engine import clock
from ..incidents import service as incidents
from ..instances.conflicts import back_off, is_conflict
from ..instances.environment import Settings, engine_functions
from ..instances.models import ProcessInstance
from ..instances.steps import apply_step
from ..registry.models import ProcessVersion
from ..registry.service import runner_for

def _begin_batch(session) -> None:
    """On SQLite, take the write lock before reading what is due.

    Without it a batch's first statement that writes is its per-instance SAVEPOINT, which SQLite
    treats as the transaction itself: each RELEASE committed one instance, a failing batch could not
    be undone together, and a worker that had read before another's commit failed with
    SQLITE_BUSY_SNAPSHOT instead of waiting (the busy timeout only waits for a lock not yet read under)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if connection.connection.driver_connection.in_transaction:
        session.commit()                 # what the caller left is committed by this batch anyway
        connection = session.connection()
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lock_due(session, now: datetime, skip: set[str], batch: int):
    q = select(ProcessInstance).where(ProcessInstance.next_timer_at <= now,
                                      ProcessInstance.status.in_(("running", "waiting")))
    if skip:
        q = q.where(ProcessInstance.id.not_in(skip))
    q = q.order_by(ProcessInstance.next_timer_at).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    return list(session.scalars(q))


def fire_due_timers(session, *, now: datetime, settings: Settings, limit: int = 1000, batch: int = 16,
                    conflict_seconds: float = 30.0) -> int:
    """Fire every timer due at ``now``; returns how many instances stepped.

    Due instances are locked ``batch`` at a time and committed together: one commit (one WAL
    flush) and one version lookup per batch instead of per instance. Each instance steps inside
    its own savepoint, so one that fails is skipped without undoing the others; a step that fails
    for any other reason than a concurrent worker becomes an incident, retried after a back-off.

    A lock or snapshot conflict with another worker undoes the batch and tries it again after a
    short random back-off, for at most ``conflict_seconds`` (then it is raised: the worker loop's
    next round comes back). Skipping the batch instead would end a one-shot ``run-due`` with its
    timers unfired, and both workers could skip the same batch.
    """
    fired, skip = 0, set()
    deadline, conflicts = time.monotonic() + conflict_seconds, 0
    while fired + len(skip) < limit:
        ids: list[str] = []
        try:
            # a database that is away fails here, and the whole round with it (the worker loop waits and retries)
            _begin_batch(session)
            instances = _lock_due(session, now, skip, min(batch, limit - fired - len(skip)))
            if not instances:
                session.commit()
                break
            ids = [i.id for i in instances]
            functions = engine_functions(session, settings)      # the calendar, read once per batch
            stepped, passed = 0, set()       # into ``skip`` only once the batch commits: a retried batch redoes them
            for instance in instances:
                try:
                    with session.begin_nested(), clock.pinned_at(now):
                        version = session.get(ProcessVersion, instance.version_id)
                        result = runner_for(version, functions).fire_timers(instance.state)
                        if result.next_timer_at is not None and result.next_timer_at <= now:
                            # Due by the column but still due after the step (a timer SpiffWorkflow does not
                            # consider ripe yet): leave it for the next round instead of spinning on it.
                            passed.add(instance.id)
                        apply_step(session, instance, version, result, actor="system",
                                   message_ttl_hours=settings.message_ttl_hours)
                        incidents.timer_fired(session, instance, now=now)
                    stepped += 1
                except (StaleDataError, IntegrityError):
                    passed.add(instance.id)  # another worker stepped it first: its timer is not ours to fire
                except OperationalError:
                    raise                    # a conflict or the database away: the batch's handlers below
                except Exception as exc:     # this instance's step fails: its savepoint is undone; tell, retry later
                    passed.add(instance.id)
                    incidents.timer_failed(session, instance, exc=exc, now=now)
            session.commit()
            fired += stepped
            skip |= passed
        except OperationalError as exc:
            session.rollback()               # the batch's steps are undone together; they stay due
            if not is_conflict(exc) or time.monotonic() >= deadline:
                raise
            conflicts += 1
            back_off(conflicts)
        except (StaleDataError, IntegrityError):
            session.rollback()               # another worker stepped one of them first: what is left, next round
            skip.update(ids)
    return fired
