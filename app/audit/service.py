"""What auditors read: instances across every agency, filtered, and their registration numbers.

Auditors (an internal auditor, the prosecutor's inspector, a court's clerk) have a read-only role
that sees every case (a regional auditor: the cases of their territory); nothing here changes anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from .. import territories
from ..access import overseen
from ..errors import Forbidden, Invalid
from ..problems import field
from ..instances.models import Case, ProcessInstance, Task
from ..registry.models import ProcessVersion
from ..timeutil import utcnow
from ..users.models import User

AUDIT_ROLES = ("auditor", "admin")
STATUSES = ("running", "waiting", "completed", "error")


def require_auditor(user: User) -> None:
    if not user.has_role(*AUDIT_ROLES):
        raise Forbidden("auditors_only")


@dataclass
class InstanceRow:
    instance: ProcessInstance
    registration_number: str | None
    version: int
    overdue: bool


def list_instances(session, *, user: User, case: str | None = None, registration_number: str | None = None,
                   process_id: str | None = None, agency: str | None = None, since: datetime | None = None,
                   until: datetime | None = None, status: str | None = None, overdue: bool | None = None,
                   limit: int = 100, offset: int = 0) -> list[InstanceRow]:
    """Instances newest first. ``agency``: the agency had a task in it; ``overdue``: a deadline was missed."""
    require_auditor(user)
    if status and status not in STATUSES:
        raise Invalid("unknown_status", [field("status", "one_of", values=", ".join(STATUSES))])
    if since and until and since >= until:
        raise Invalid("empty_period", [field("until", "after_since")])
    q = select(ProcessInstance, Case.registration_number, ProcessVersion.version) \
        .outerjoin(Case, Case.id == ProcessInstance.case_id) \
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
    scope = overseen(user)
    if scope is not None:                # a regional auditor: the cases of children living in their territory
        q = q.where(Case.territory.in_(territories.within(scope)))
    if case:
        q = q.where(ProcessInstance.case_id == case)
    if registration_number:
        q = q.where(Case.registration_number.contains(registration_number.strip()))
    if process_id:
        q = q.where(ProcessInstance.process_id == process_id)
    if agency:
        q = q.where(exists().where(Task.instance_id == ProcessInstance.id, Task.agency == agency))
    if since:
        q = q.where(ProcessInstance.created_at >= since)
    if until:
        q = q.where(ProcessInstance.created_at < until)
    if status:
        q = q.where(ProcessInstance.status == status)
    late = exists().where(Task.instance_id == ProcessInstance.id, _late(utcnow()))
    if overdue is True:
        q = q.where(late)
    elif overdue is False:
        q = q.where(~late)
    q = q.add_columns(late.label("overdue")).order_by(ProcessInstance.created_at.desc(), ProcessInstance.id)
    rows = session.execute(q.limit(limit).offset(offset)).all()
    return [InstanceRow(r[0], r[1], r[2], bool(r[3])) for r in rows]


def _late(now: datetime):
    """A task that missed its deadline: done after it, still open past it, or flagged by its timer."""
    return Task.overdue_since.is_not(None) | (
        Task.due_at.is_not(None) & (((Task.state == "completed") & (Task.completed_at > Task.due_at))
                                     | ((Task.state == "ready") & (Task.due_at < now))))
