"""The child moves: the case's ``territory`` changes and its open work follows to the newly responsible units.

Routing (``routing.route``) is asked again for every open task under the new residence; a task whose unit
changes moves as a ``case_transferred`` event (the same event a supervisor's transfer writes, its data also
naming the old and new territory). The reporting organisation keeps its own lane, as at routing. When no
unit of an agency serves the new territory, routing's fallback applies and its admin alert is raised; a task
whose fallback is the agency's national level stays where it is rather than leave every unit's sight.

The units that held the work stay participants of the case: they keep read access to the case and its
history (what they did there is theirs to account for) but get no new work in it. Every instance of the
case still running records ``residence_changed``, so the change is in the hash chain even when no task moves.
"""
from __future__ import annotations

from sqlalchemy import select

from .. import territories
from ..access import may_change_residence, records_residence
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..problems import field
from ..events import service as events
from ..timeutil import utcnow
from .models import Case, ProcessInstance, Task
from .routing import record_participant, route_task

FINISHED = ("completed", "terminated", "cancelled")


def _checked(session, case_id, *, user, territory, reason) -> Case:
    if not records_residence(user):
        raise Forbidden("residence_forbidden")
    case = session.get(Case, str(case_id))
    if case is None:
        raise NotFound("case_not_found", {"case_id": case_id})
    if not may_change_residence(session, user, case.id):
        raise Forbidden("case_not_routed_org")
    if case.withdrawn_at is not None:         # registered in error (withdrawal.py): nothing moves any more
        raise Conflict("case_withdrawn", {"number": case.registration_number})
    errors = []
    if not isinstance(territory, str) or territories.get(territory) is None:
        errors.append(field("territory", "kato_code"))
    elif territory == case.territory:
        errors.append(field("territory", "already_lives_there"))
    if not isinstance(reason, str) or not reason.strip():
        errors.append(field("reason", "reason_residence"))
    if errors:
        raise Invalid("residence_invalid", errors)
    return case


def change_residence(session, *, case_id, user, territory, reason) -> list[Task]:
    """Set the case's territory and move its open tasks to the units now responsible; the moved tasks."""
    case = _checked(session, case_id, user=user, territory=territory, reason=reason)
    reason, previous, now = reason.strip()[:500], case.territory, utcnow()
    case.territory = territory
    instances = {i.id: i for i in session.scalars(select(ProcessInstance).where(ProcessInstance.case_id == case.id))}
    for instance in instances.values():
        if instance.status not in FINISHED:
            events.append(session, instance, type="residence_changed", actor=user.username,
                          data={"from": previous, "to": territory, "reason": reason}, at=now)
    moved = []
    open_tasks = session.scalars(select(Task).where(Task.case_id == case.id, Task.state == "ready")
                                 .order_by(Task.id))
    for task in open_tasks:
        instance = instances[task.instance_id]
        target = route_task(session, instance=instance, case=case, agency=task.agency, now=now)
        if target is None or target == task.organisation:
            continue
        before, task.organisation, task.claimed_by = task.organisation, target, None
        record_participant(session, case.id, target)
        instance.updated_at = now
        events.append(session, instance, type="case_transferred", actor=user.username, task_id=task.id,
                      bpmn_id=task.bpmn_id, lane=task.lane, at=now,
                      data={"from": before, "to": target, "reason": reason,
                            "territory": {"from": previous, "to": territory}})
        moved.append(task)
    session.commit()
    return moved
