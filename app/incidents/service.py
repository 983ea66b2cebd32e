"""Incidents: a step that failed is recorded, told to the people who can fix it, and retried later.

One message or timer that cannot be stepped (a script error the engine could not contain, data
that cannot be stored, a bug) must not stall the worker: the caller rolls the step back, then
records here an incident — on the message or timer row (attempts, next attempt, last error), as
an ``incident`` event in the instance's chain where there is an instance, and as an ``Incident``
row that supervisors and process owners list — and goes on with the next one. The retry waits
one minute, doubling up to an hour, so a poisoned message costs one failed step per back-off
instead of every round.

Reasons name the element, variable and exception type, never a value: they reach logs and
screens, and the values are children's data.
"""
from __future__ import annotations

import logging
import traceback
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from ..engine import UnstorableData
from ..events import service as events
from ..instances.models import ProcessInstance
from ..messages.models import Message
from .models import Incident

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)     # a fixed diagram or a returned service is picked up within the hour
_ROOT = Path(__file__).resolve().parent.parent.parent


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure in a row."""
    return min(FIRST_RETRY * 2 ** max(0, min(attempts - 1, 20)), LONGEST_RETRY)


def reason_for(exc: BaseException) -> str:
    """What went wrong, for people: the unstorable variable by name, or the exception's type and place.

    The exception's own text is left out on purpose: a ``ValueError`` may quote the value that
    caused it, and that value may be a child's name."""
    if isinstance(exc, UnstorableData):
        return str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.filename.startswith(str(_ROOT)) and "/.venv/" not in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = ""
    if where is not None:
        path = Path(where.filename)
        shown = path.relative_to(_ROOT) if path.is_relative_to(_ROOT) else path.name
        place = f" in {where.name} ({shown}:{where.lineno})"
    return f"the step failed with {type(exc).__name__}{place}"


@contextmanager
def blame(instance_id: str):
    """Mark an exception raised while stepping this instance, so that its incident lands on it."""
    try:
        yield
    except Exception as exc:
        if getattr(exc, "qamqor_instance_id", None) is None:
            try:
                exc.qamqor_instance_id = instance_id
            except AttributeError:       # an exception type without a __dict__: the incident stays on the message
                pass
        raise


# -- messages ------------------------------------------------------------------------------------------
def message_failed(session, *, message_id: int, exc: BaseException, now: datetime) -> Incident | None:
    """Record a failed routing step (already rolled back) and schedule the message's retry; commits."""
    reason = reason_for(exc)
    q = select(Message).where(Message.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    message = session.scalar(q)
    if message is None or message.status not in ("pending", "waiting"):
        session.rollback()               # another worker holds or routed it meanwhile: theirs to report
        return None
    incident = _open(session, kind="message", message_id=message.id) or Incident(
        kind="message", message_id=message.id, case_id=message.case_id, reason=reason, attempts=0, opened_at=now)
    instance_id = getattr(exc, "qamqor_instance_id", None)
    _failed(incident, reason, now)
    message.attempts = (message.attempts or 0) + 1
    message.last_error, message.next_attempt_at = reason, incident.next_attempt_at
    session.add(incident)
    if instance_id:
        instance = session.get(ProcessInstance, instance_id)
        if instance is not None:
            incident.instance_id, incident.process_id = instance.id, instance.process_id
            _record(session, instance, incident, now, source={"message_id": message.id, "name": message.name})
    session.flush()
    said = (incident.id, incident.attempts, incident.next_attempt_at.isoformat())
    session.commit()
    log.warning("message %s could not be routed (incident %s, attempt %s, next %s): %s", message_id, *said, reason)
    return incident


def message_routed(session, message: Message, *, now: datetime) -> None:
    """After a successful routing step: close the message's incident, if it had one (same transaction)."""
    if message.next_attempt_at is None and message.last_error is None:
        return                           # the usual case costs no query
    message.next_attempt_at = message.last_error = None
    incident = _open(session, kind="message", message_id=message.id)
    if incident is not None:
        _resolve(incident, now)


# -- timers ----------------------------------------------------------------------------------------------
def timer_failed(session, instance: ProcessInstance, *, exc: BaseException, now: datetime) -> Incident:
    """Record a failed timer step (its savepoint already rolled back) and move the instance's timer to the retry.

    ``next_timer_at`` is only the worker's index of when to look at the instance again (the due
    instant itself lives in the workflow state), so the retry time goes there; the caller commits."""
    reason = reason_for(exc)
    instance.timer_attempts = (instance.timer_attempts or 0) + 1
    instance.timer_error = reason
    incident = _open(session, kind="timer", instance_id=instance.id) or Incident(
        kind="timer", instance_id=instance.id, case_id=instance.case_id, process_id=instance.process_id,
        reason=reason, attempts=0, opened_at=now)
    _failed(incident, reason, now)
    instance.next_timer_at = incident.next_attempt_at
    session.add(incident)
    _record(session, instance, incident, now, source={"timer": True})
    log.warning("timers of instance %s could not fire (incident %s, attempt %s, next %s): %s", instance.id,
                incident.id, incident.attempts, incident.next_attempt_at.isoformat(), reason)
    return incident


def timer_fired(session, instance: ProcessInstance, *, now: datetime) -> None:
    """After a successful timer step: close the instance's timer incident, if it had one."""
    if not instance.timer_attempts:
        return
    instance.timer_attempts, instance.timer_error = 0, None
    incident = _open(session, kind="timer", instance_id=instance.id)
    if incident is not None:
        _resolve(incident, now)


# -- a person's step -----------------------------------------------------------------------------------
def task_failed(session, instance: ProcessInstance, *, exc: BaseException, now: datetime,
                task_bpmn_id: str | None) -> Incident:
    """A completion that could not be saved (nothing of it was): the owner is told; the caller commits."""
    reason = reason_for(exc)
    incident = _open(session, kind="task", instance_id=instance.id) or Incident(
        kind="task", instance_id=instance.id, case_id=instance.case_id, process_id=instance.process_id,
        reason=reason, attempts=0, opened_at=now)
    incident.attempts += 1
    incident.reason, incident.updated_at, incident.next_attempt_at = reason, now, None
    session.add(incident)
    _record(session, instance, incident, now, source={"task": task_bpmn_id})
    log.warning("a completion in instance %s could not be saved (incident %s): %s", instance.id, incident.id, reason)
    return incident


# -- shared ----------------------------------------------------------------------------------------------
def _open(session, *, kind: str, message_id: int | None = None, instance_id: str | None = None) -> Incident | None:
    q = select(Incident).where(Incident.kind == kind, Incident.status == "open")
    q = q.where(Incident.message_id == message_id) if message_id is not None else \
        q.where(Incident.instance_id == instance_id)
    return session.scalar(q.order_by(Incident.id.desc()).limit(1))


def _failed(incident: Incident, reason: str, now: datetime) -> None:
    incident.attempts = (incident.attempts or 0) + 1
    incident.reason, incident.updated_at = reason, now
    incident.next_attempt_at = now + backoff(incident.attempts)


def _resolve(incident: Incident, now: datetime) -> None:
    incident.status, incident.resolved_at, incident.updated_at, incident.next_attempt_at = "resolved", now, now, None


def _record(session, instance: ProcessInstance, incident: Incident, now: datetime, *, source: dict) -> None:
    # No state hash: the instance did not move, so re-execution reads this as a note, not a step.
    session.flush()                      # the incident's id goes into the event
    # in UTC, as stored: the hash covers the instant's text, which a +05:00 instant would not keep
    events.append(session, instance, type="incident", actor="system", at=now.astimezone(timezone.utc),
                  data={"error": incident.reason, "incident_id": incident.id, "attempt": incident.attempts,
                        "next_attempt_at": incident.next_attempt_at.isoformat() if incident.next_attempt_at
                        else None, **source})
