"""A supervisor hands work to another organisation of the same agency (wrong district, a unit overloaded):
one task, or every open task a unit holds in a case. A reason is required; each move is an event in the
instance's hash-chained log, and the receiving unit becomes a participant of the case."""
from __future__ import annotations

from sqlalchemy import select

from ..access import can_see_task, may_see_case
from ..errors import Forbidden, Invalid, NotFound
from ..problems import field
from ..events import service as events
from ..organisations.models import Organisation
from ..timeutil import utcnow
from .models import Case, ProcessInstance, Task
from .routing import record_participant


def _checked(session, *, user, to: str, reason) -> Organisation:
    if not user.has_role("supervisor", "admin"):
        raise Forbidden("supervisors_transfer")
    errors = []
    if not isinstance(reason, str) or not reason.strip():
        errors.append(field("reason", "reason_transfer"))
    target = session.get(Organisation, to) if isinstance(to, str) else None
    if target is None or not target.active:
        errors.append(field("to", "active_organisation"))
    if errors:
        raise Invalid("transfer_invalid", errors)
    return target


def _move(session, task: Task, target: Organisation, *, user, reason: str, event_type: str) -> None:
    if task.agency != target.agency:
        raise Invalid("another_agency", [field("to", "not_of_agency", unit=target.code, agency=task.agency)])
    instance = session.get(ProcessInstance, task.instance_id)
    previous, task.organisation, task.claimed_by = task.organisation, target.code, None
    record_participant(session, task.case_id, target.code)
    instance.updated_at = utcnow()
    events.append(session, instance, type=event_type, actor=user.username, task_id=task.id, bpmn_id=task.bpmn_id,
                  lane=task.lane, data={"from": previous, "to": target.code, "reason": reason.strip()[:500]})


def transfer_task(session, *, task_id: str, user, to: str, reason) -> Task:
    if not user.has_role("supervisor", "admin"):
        raise Forbidden("supervisors_transfer")
    task = session.get(Task, str(task_id))
    if task is None:
        raise NotFound("task_not_found", {"task_id": task_id})
    if not user.has_role("admin") and not can_see_task(user, task):
        raise Forbidden("task_not_your_unit")
    target = _checked(session, user=user, to=to, reason=reason)
    if task.state != "ready":
        raise Invalid("task_not_open", [field("task", "task_state", state=task.state)])
    _move(session, task, target, user=user, reason=reason, event_type="task_transferred")
    session.commit()
    return task


def transfer_case(session, *, case_id: str, user, to: str, reason) -> list[Task]:
    """Every open task of the supervisor's unit (admins: of the target's agency) in the case moves to ``to``."""
    if not user.has_role("supervisor", "admin"):
        raise Forbidden("supervisors_transfer")
    if session.get(Case, str(case_id)) is None:
        raise NotFound("case_not_found", {"case_id": case_id})
    if not may_see_case(session, user, str(case_id)):
        raise Forbidden("case_not_your_unit")
    target = _checked(session, user=user, to=to, reason=reason)
    q = select(Task).where(Task.case_id == str(case_id), Task.state == "ready", Task.agency == target.agency)
    if not user.has_role("admin"):
        if user.agency != target.agency:
            raise Forbidden("transfer_other_agency")
        if user.organisation:
            q = q.where(Task.organisation == user.organisation)
    moved = list(session.scalars(q))
    if not moved:
        raise Invalid("nothing_to_move", [field("case", "no_open_task")])
    for task in moved:
        _move(session, task, target, user=user, reason=reason, event_type="case_transferred")
    session.commit()
    return moved
