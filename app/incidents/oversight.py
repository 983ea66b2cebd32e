"""What supervisors and process owners do with incidents: see them, and have one retried now.

Process owners fix the diagrams that fail, so they see every incident; a supervisor sees those of
cases their unit takes part in, because their staff wait on what the failed step should have done;
national auditors read them all, a regional one those of their territory's cases; staff see none (the
reason names diagram internals, not work to do). Who oversees which case is ``app.access``'s
``oversees_everything`` / ``overseen_cases_among``, the rule every other oversight page uses.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from .. import access
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..problems import field
from ..instances.models import ProcessInstance
from ..messages.models import Message
from ..users.models import User
from .models import Incident

SEE_ALL = ("process_owner", "admin", "auditor")
STATUSES = ("open", "resolved", "all")


def visible_incidents(session, *, user: User, status: str = "open", limit: int = 100) -> list[Incident]:
    if status not in STATUSES:
        raise Invalid("unknown_status", [field("status", "one_of", values=", ".join(STATUSES))])
    if not user.has_role(*SEE_ALL, "supervisor"):
        raise Forbidden("incidents_forbidden")
    q = select(Incident)
    if status != "all":
        q = q.where(Incident.status == status)
    q = q.order_by(Incident.opened_at.desc(), Incident.id.desc())
    if access.oversees_everything(user):
        return list(session.scalars(q.limit(limit)))
    found = list(session.scalars(q.where(Incident.case_id.is_not(None)).limit(limit * 5)))
    theirs = access.overseen_cases_among(session, user, {i.case_id for i in found})
    return [i for i in found if i.case_id in theirs][:limit]


def retry_incident(session, *, incident_id: int, user: User, now: datetime) -> Incident:
    """Let the worker's next round try the failed step again now, instead of after the back-off."""
    if not user.has_role("process_owner", "admin"):
        raise Forbidden("incident_retry_forbidden")
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound("incident_not_found", {"incident_id": incident_id})
    if incident.status != "open":
        raise Conflict("incident_resolved")
    if incident.kind == "message":
        message = session.get(Message, incident.message_id)
        if message is None or message.status not in ("pending", "waiting"):
            raise Conflict("incident_message_not_waiting")
        message.next_attempt_at = now
    elif incident.kind == "timer":
        instance = session.get(ProcessInstance, incident.instance_id)
        if instance is None or instance.status not in ("running", "waiting"):
            raise Conflict("incident_timers_not_waiting")
        instance.next_timer_at = now
    else:
        raise Conflict("incident_retry_by_completing")
    incident.next_attempt_at, incident.updated_at = now, now
    session.commit()
    return incident


def to_dict(incident: Incident) -> dict:
    return {"id": incident.id, "kind": incident.kind, "status": incident.status, "reason": incident.reason,
            "message_id": incident.message_id, "instance_id": incident.instance_id, "case_id": incident.case_id,
            "process_id": incident.process_id, "attempts": incident.attempts,
            "next_attempt_at": _iso(incident.next_attempt_at), "opened_at": _iso(incident.opened_at),
            "updated_at": _iso(incident.updated_at), "resolved_at": _iso(incident.resolved_at)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
