"""A lock or snapshot conflict between two workers retries the batch; it never leaves due timers behind.

Two one-shot ``flask worker run-due`` processes once both reported "fired 0" on SQLite: a conflict in a
batch made the round skip the whole batch, and a one-shot run never came back to those timers. Here
the conflict is injected (once, in the middle of a batch) where the real one arises: writing a step.
"""
import sqlite3
from datetime import datetime

import pytest

from support import FIXTURES

RECEIVED = "2026-12-01T09:00:00+05:00"
AFTER_DUE = datetime.fromisoformat("2026-12-01T10:00:01+05:00")
COUNT = 12


def _deploy(session):
    from app.registry.service import deploy
    deploy(session, bpmn=(FIXTURES / "bpmn" / "reporter.bpmn").read_bytes(), forms={},
           forms_dir=str(FIXTURES / "forms"), deployed_by="owner")


def _start(session, settings):
    from app.instances.service import open_case, start_in_transaction
    from app.registry.service import latest_version
    case = open_case(session, user=None)
    instance = start_in_transaction(session, version=latest_version(session, "reporter"), case=case,
                                    data={"received_at": RECEIVED, "case_id": case.id}, actor="test",
                                    settings=settings)
    session.commit()
    return instance.id


def _conflict(dialect: str):
    """What the driver raises when another worker holds the write lock (SQLite: SQLITE_BUSY_SNAPSHOT)."""
    from sqlalchemy.exc import OperationalError
    if dialect == "postgresql":
        from psycopg.errors import LockNotAvailable
        return OperationalError("UPDATE process_instances", {}, LockNotAvailable("could not obtain lock"))
    orig = sqlite3.OperationalError("database is locked")
    orig.sqlite_errorcode = 517
    return OperationalError("UPDATE process_instances", {}, orig)


def _conflicting_once(monkeypatch, at_call: int, dialect: str, times: int = 1):
    import app.timers.service as timers
    real, calls = timers.apply_step, {"n": 0}

    def apply_step(*args, **kwargs):
        calls["n"] += 1
        if at_call <= calls["n"] < at_call + times:
            raise _conflict(dialect)
        return real(*args, **kwargs)
    monkeypatch.setattr(timers, "apply_step", apply_step)
    return calls


def test_a_conflict_in_the_middle_of_a_batch_is_retried_and_every_timer_fires_once(app, monkeypatch):
    from app.events.service import events_of
    from app.extensions import db
    from app.instances.environment import Settings
    from app.instances.models import ProcessInstance
    from app.timers.service import fire_due_timers
    settings = Settings.from_config(app.config)
    with app.app_context():
        s = db.session
        _deploy(s)
        ids = [_start(s, settings) for _ in range(COUNT)]
        calls = _conflicting_once(monkeypatch, at_call=3, dialect=s.get_bind().dialect.name)

        assert fire_due_timers(s, now=AFTER_DUE, settings=settings, batch=8) == COUNT
        assert calls["n"] == COUNT + 3          # the first batch's two steps before the conflict were redone
        s.expire_all()
        for instance_id in ids:
            types = [e.type for e in events_of(s, instance_id)]
            assert types.count("timer_fired") == 1 and types.count("overdue") == 1
            assert s.get(ProcessInstance, instance_id).next_timer_at is None
        assert fire_due_timers(s, now=AFTER_DUE, settings=settings) == 0
        db.session.remove()


def test_a_conflict_that_does_not_clear_ends_the_round_at_its_deadline_with_nothing_half_done(app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.events.service import events_of
    from app.extensions import db
    from app.instances.environment import Settings
    from app.timers.service import fire_due_timers
    settings = Settings.from_config(app.config)
    with app.app_context():
        s = db.session
        _deploy(s)
        ids = [_start(s, settings) for _ in range(3)]
        _conflicting_once(monkeypatch, at_call=2, dialect=s.get_bind().dialect.name, times=10_000)
        with pytest.raises(OperationalError):
            fire_due_timers(s, now=AFTER_DUE, settings=settings, conflict_seconds=0.3)
        s.rollback()
        s.expire_all()
        # the batch was undone together each time: no instance fired, all still due for the next round
        assert all("timer_fired" not in [e.type for e in events_of(s, i)] for i in ids)
        monkeypatch.undo()
        assert fire_due_timers(s, now=AFTER_DUE, settings=settings) == 3
        db.session.remove()
