"""Messages between agencies: accepted into the outbox, routed by the worker, never lost or doubled.

Routing a message is one transaction: the message row's status changes together with every
instance it advanced or started, so a crash leaves it either pending (retried) or delivered
(never again). A message nobody waits for yet stays ``waiting`` until its time to live ends.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ..calendar import to_local
from ..engine import OutgoingMessage, clock
from ..engine.correlation import matches as correlates
from ..errors import Conflict, Forbidden, Invalid
from ..problems import field
from ..incidents import service as incidents
from ..instances.conflicts import back_off, is_conflict
from ..instances.environment import Settings, engine_functions
from ..instances.models import Case, ProcessInstance, WaitingMessage
from ..access import may_see_case, require_part_in_case
from ..access.messages import require_may_send, require_sender
from ..instances.notice_facts import with_case_facts
from ..instances.service import start_in_transaction
from ..instances.steps import apply_step
from ..registry.models import ProcessVersion
from ..registry.service import processes_starting_on, runner_for
from ..timeutil import utcnow
from .models import Message


def post_message(session, *, name: str, correlation: dict, payload: dict, user,
                 settings: Settings) -> Message:
    """Accept a message from outside (an external system or a person) into the outbox.

    The sender is the signed-in principal, never the body: the row and the receiver's log name ``user``
    and their unit. Who may send which message into which case is ``access.messages.require_may_send``
    (a message a lane of their agency throws, in a case they take part in; integrations by their role).
    Fields the service itself sets — the instant deadlines count from, any other instant or due date,
    the case's own facts, who notified — are refused (422 naming them), not silently dropped, so a
    forged deadline is an error the caller sees rather than a quiet success."""
    require_sender(user)
    errors = []
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors.append(field("name", "message_name_required"))
    if not isinstance(correlation, dict):
        errors.append(field("correlation", "correlation_object"))
        correlation = {}
    if not isinstance(payload, dict):
        errors.append(field("payload", "must_be_object"))
    case_id = correlation.get("case_id")
    if not case_id or not isinstance(case_id, str):
        # A blank key would correlate with every instance: refuse instead of guessing.
        errors.append(field("correlation.case_id", "case_id_required"))
    elif session.get(Case, case_id) is None:
        errors.append(field("correlation.case_id", "no_case", case_id=case_id))
    unknown = sorted(set(correlation) - {"case_id"})
    if unknown:
        errors.append(field(f"correlation.{unknown[0]}", "correlated_by_case_id"))
    if isinstance(payload, dict):
        # The receiving process's own facts are the service's to set: a process the message starts counts
        # from the message's acceptance, a waiting one keeps its own deadlines, the sender is the principal.
        errors += [field(f"payload.{k}", "set_by_service_payload")
                   for k in sorted(map(str, payload)) if _protected(k)]
    if errors:
        raise Invalid("message_refused", errors)
    require_may_send(session, user, name.strip(), case_id)
    case = session.get(Case, case_id)
    if case.withdrawn_at is not None:            # registered in error (instances/withdrawal.py): nothing more in it
        raise Conflict("case_withdrawn", {"number": case.registration_number})
    message = Message(name=name.strip(), case_id=case_id, correlation={"case_id": case_id},
                      payload={**payload, "case_id": case_id}, sender=user.username,
                      sender_organisation=getattr(user, "organisation", None), status="pending",
                      expires_at=utcnow() + timedelta(hours=settings.message_ttl_hours))
    session.add(message)
    session.commit()
    return message


PROTECTED_KEYS = frozenset({"received_at", "registration_number", "reporting_agency", "territory",
                            "notified_by", "notified_by_name", "sender", "sender_organisation",
                            "source_instance_id", "source_organisation"})


def _protected(key: str) -> bool:
    """Keys a sender may not put in a payload, because the service (or the sending diagram) sets them: the
    instant every deadline counts from (``received_at``; timers are ``working_days(received_at, n)``), other
    instants (``*_at``), anything named a deadline or due date, the case's own facts, and who sent it
    (``notified_by`` is what the diagrams' notices say the sender was). ``case_id`` is set from the
    correlation whatever the payload says."""
    low = str(key).lower()
    return low in PROTECTED_KEYS or low.endswith("_at") or "deadline" in low or "due" in low.split("_")


@cache
def _next_message_query(postgresql: bool):
    """Built once per process (composing it cost more CPU than running it): the first routable message after
    ``after`` in id order. A waiting message is looked at again only once a receiver for it has appeared; one
    that receivers already refused (``waiting_reason``) only once a new catch clears that
    (instances/steps._sync_waiting); one whose routing failed (an incident) rests until its retry time. The pass
    goes in id order, so "not looked at yet" is "after the last one" (a NOT IN of every id seen so far made each
    look-up a new statement to render and parse: a pass of n messages cost O(n²))."""
    receiver_now = select(WaitingMessage.instance_id).where(
        WaitingMessage.name == Message.name, WaitingMessage.case_id == Message.case_id).exists()
    now = bindparam("now", type_=Message.next_attempt_at.type)
    q = (select(Message)
         .where((Message.status == "pending") | (
             (Message.status == "waiting") & receiver_now & Message.waiting_reason.is_(None)))
         .where(Message.id > bindparam("after"))
         .where(Message.next_attempt_at.is_(None) | (Message.next_attempt_at <= now))
         .order_by(Message.id).limit(1))
    return q.with_for_update(skip_locked=True) if postgresql else q


def _next_message(session, now: datetime, after: int):
    query = _next_message_query(session.get_bind().dialect.name == "postgresql")
    return session.scalar(query, {"after": after, "now": now})


def route_pending(session, *, now: datetime, settings: Settings, limit: int = 1000,
                  conflict_seconds: float = 30.0, expire: bool = True) -> int:
    """Route every routable message; returns how many were delivered. ``expire``: first mark the waiting ones
    past their time expired (once per instant is enough: a caller routing again at the same ``now`` skips it)."""
    if expire:
        session.execute(update(Message).where(Message.status == "waiting", Message.expires_at <= now)
                        .values(status="expired"))
        session.commit()
    delivered, looked_at, after = 0, 0, 0
    deadline, conflicts = time.monotonic() + conflict_seconds, 0
    while looked_at < limit:
        message = _next_message(session, now, after)
        if message is None:
            break
        looked_at += 1
        message_id = after = message.id
        try:
            with clock.pinned_at(now):
                routed = _route(session, message, now=now, settings=settings)
                incidents.message_routed(session, message, now=now)
                session.commit()
            delivered += int(routed)
        except (StaleDataError, IntegrityError):
            session.rollback()           # another worker routed it, or a target moved: retried next round
        except OperationalError as exc:
            session.rollback()
            # A lock or snapshot conflict with another worker: the message is tried again after a short
            # back-off, so a one-shot ``run-due`` does not end with it unrouted. Anything else (the
            # database away), or conflicts past ``conflict_seconds``: raised, the worker loop comes back.
            if not is_conflict(exc) or time.monotonic() >= deadline:
                raise
            conflicts += 1
            after = message_id - 1          # this one again
            looked_at -= 1
            back_off(conflicts)
        except Exception as exc:         # this message's step fails: undo it, tell, retry it later, go on
            session.rollback()
            incidents.message_failed(session, message_id=message_id, exc=exc, now=now)
    return delivered


def _route(session, message: Message, *, now: datetime, settings: Settings) -> bool:
    case = session.get(Case, message.case_id) if message.case_id else None
    if case is not None and case.withdrawn_at is not None:
        message.status, message.routed_at = "cancelled", now       # the case's registration was withdrawn
        return False
    outgoing = OutgoingMessage(message.name, message.payload or {}, message.correlation_keys)
    targets, receivers, sender_waits = [], 0, False
    for waiting in session.scalars(select(WaitingMessage).where(
            WaitingMessage.name == message.name, WaitingMessage.case_id == message.case_id)):
        if waiting.instance_id == message.source_instance_id:
            sender_waits = True
            continue
        receivers += 1
        # Inside the case, the diagrams' correlation keys decide which catch the message is for.
        if not correlates(message.correlation_keys, waiting.correlation_keys):
            continue
        q = select(ProcessInstance).where(ProcessInstance.id == waiting.instance_id)
        if session.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()
        instance = session.scalar(q)
        version = session.get(ProcessVersion, instance.version_id)
        with incidents.blame(instance.id):
            result = runner_for(version, engine_functions(session, settings)).deliver(instance.state, outgoing)
            if result is None:
                continue
            apply_step(session, instance, version, result, actor="system",
                       message_ttl_hours=settings.message_ttl_hours, leading_events=[_delivered(message)])
        targets.append(instance.id)
    # A message that advanced a waiting instance is spent; only otherwise does it start processes.
    for version in ([] if targets else processes_starting_on(session, message.name)):
        data = {**(message.payload or {})}
        if case is not None:
            data["case_id"], data["registration_number"] = case.id, case.registration_number
        # a notice without the child (one posted by a person or an integration) starts a chapter that knows
        # what the case knows, so its own notices do not stop at a NameError (instances/notice_facts.py)
        data = with_case_facts(session, case.id if case is not None else None, data)
        if not message.source_instance_id:        # from a person: deadlines count from its acceptance
            data.setdefault("received_at", to_local(message.created_at or now).isoformat())
        instance = start_in_transaction(session, version=version, case=case, data=data, actor="system",
                                        settings=settings, message=outgoing, leading_events=[_delivered(message)])
        targets.append(instance.id)
    message.attempts += 1
    message.routed_at = now
    if targets:
        message.status, message.delivered_to, message.waiting_reason = "delivered", targets, None
        return True
    message.status = "expired" if message.expires_at and message.expires_at <= now else "waiting"
    if receivers:
        message.waiting_reason = (f"no catch with matching correlation keys: {receivers} instance(s) of the case "
                                  f"wait for {message.name!r} with other keys")[:300]
    elif sender_waits:
        message.waiting_reason = f"only its sender waits for {message.name!r} in the case"[:300]
    return False


def _delivered(message: Message) -> dict:
    # The payload is recorded with the delivery so that an auditor can re-execute the step from the log alone.
    data = {"message_id": message.id, "name": message.name, "payload": message.payload or {}}
    if message.correlation_keys:
        data["correlations"] = message.correlation_keys
    # who sent it, recorded in the receiver's hash-chained log: a person (and their unit) or a diagram
    if message.source_instance_id:
        data["source_instance_id"] = message.source_instance_id
        data["source_organisation"] = message.sender_organisation     # the unit whose step threw it
    else:
        data["sender"], data["sender_organisation"] = message.sender, message.sender_organisation
    actor = "system" if message.source_instance_id else message.sender
    return {"type": "message_delivered", "actor": actor, "data": data}


def messages_of_case(session, *, case_id: str, user) -> list[Message]:
    """A case's messages; staff see them only when their organisation (agency) takes part in the case."""
    if (user.organisation or user.has_role("auditor")) and not may_see_case(session, user, case_id):
        raise Forbidden("case_outside_territory")
    if not user.has_role("auditor"):
        require_part_in_case(session, user, case_id)
    return list(session.scalars(select(Message).where(Message.case_id == case_id).order_by(Message.id)))
