"""A lock or snapshot conflict between two workers routing messages retries the message; none is left behind.

The timers had this fault first (test_timer_conflicts.py): a conflict made the round skip what it was doing,
and a one-shot ``flask worker run-due`` never came back to it. Routing a message is the worker's other half;
here the conflict is injected where the real one arises, in the routing step's writes.
"""
import pytest

from support import FIXTURES
from test_timer_conflicts import _conflict

NOW_ISO = "2026-12-01T09:30:00+05:00"


def _world(session):
    from app.instances.service import open_case
    from app.messages.models import Message
    from app.registry.service import deploy
    deploy(session, bpmn=(FIXTURES / "bpmn" / "receiver.bpmn").read_bytes(), forms={},
           forms_dir=str(FIXTURES / "forms"), deployed_by="owner")
    case = open_case(session, user=None)
    message = Message(name="case_notified", case_id=case.id, payload={}, correlation={"case_id": case.id},
                      sender="test")
    session.add(message)
    session.commit()
    return case.id, message.id


def _conflicting(monkeypatch, dialect: str, times: int):
    import app.messages.service as messages
    real, calls = messages._route, {"n": 0}

    def _route(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise _conflict(dialect)
        return real(*args, **kwargs)
    monkeypatch.setattr(messages, "_route", _route)
    return calls


def _receivers(session, case_id):
    from app.instances.models import ProcessInstance
    return session.query(ProcessInstance).filter_by(case_id=case_id).count()


def test_a_conflict_while_routing_is_retried_and_the_message_is_delivered_once(app, monkeypatch):
    from datetime import datetime

    from app.extensions import db
    from app.instances.environment import Settings
    from app.messages.models import Message
    from app.messages.service import route_pending
    settings, now = Settings.from_config(app.config), datetime.fromisoformat(NOW_ISO)
    with app.app_context():
        s = db.session
        case_id, message_id = _world(s)
        calls = _conflicting(monkeypatch, s.get_bind().dialect.name, times=2)

        route_pending(s, now=now, settings=settings)
        assert calls["n"] == 3                  # two conflicts, then routed in the same round
        s.expire_all()
        assert s.get(Message, message_id).status == "delivered"
        assert _receivers(s, case_id) == 1
        route_pending(s, now=now, settings=settings)
        assert _receivers(s, case_id) == 1      # never delivered twice
        db.session.remove()


def test_a_conflict_that_does_not_clear_is_raised_at_its_deadline_and_the_message_waits(app, monkeypatch):
    from datetime import datetime

    from sqlalchemy.exc import OperationalError

    from app.extensions import db
    from app.instances.environment import Settings
    from app.messages.models import Message
    from app.messages.service import route_pending
    settings, now = Settings.from_config(app.config), datetime.fromisoformat(NOW_ISO)
    with app.app_context():
        s = db.session
        case_id, message_id = _world(s)
        _conflicting(monkeypatch, s.get_bind().dialect.name, times=10_000)
        with pytest.raises(OperationalError):
            route_pending(s, now=now, settings=settings, conflict_seconds=0.3)
        s.rollback()
        s.expire_all()
        assert s.get(Message, message_id).status == "pending" and _receivers(s, case_id) == 0
        monkeypatch.undo()
        route_pending(s, now=now, settings=settings)
        s.expire_all()
        assert s.get(Message, message_id).status == "delivered" and _receivers(s, case_id) == 1
        db.session.remove()
