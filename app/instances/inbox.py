"""What the staff pages read: an agency's inbox with counts and pages, notifications received,
the supervisor's compliance figures, and who may see a child's name.

Why a module of its own: the pages need totals, chapter filters and both sort directions,
which the API's ``visible_tasks`` does not offer; every rule of *who sees which task* is still
``service.can_see_task`` / ``can_work_task``, applied here as SQL filters of the same meaning.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from ..collation import sorted_by
from ..registry.models import ProcessVersion
from ..timeutil import utcnow
from ..users.models import User
from .deadlines import outcome
from .models import Case, ProcessInstance, Task, not_withdrawn
from ..access import case_agencies, may_see_case, may_see_child_name, task_filter  # noqa: F401  (pages read them here)
from .service import WORKING_ROLES, can_work_task

PAGE_SIZE = 20


@dataclass(frozen=True)
class InboxFilter:
    overdue: bool = False
    mine: bool = False
    unclaimed: bool = False
    process_id: str | None = None
    case: str | None = None          # a case id or its registration number
    descending: bool = False
    page: int = 1


@dataclass
class InboxPage:
    items: list[Task]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)


def _late(now: datetime):
    return Task.overdue_since.is_not(None) | (Task.due_at.is_not(None) & (Task.due_at < now))


def _agency_ready(user: User):
    """Ready tasks the user may see (``access.task_filter``: their organisation's, or agency's)."""
    return select(Task).where(Task.state == "ready", task_filter(user))


def _case_ids(session, case: str) -> list[str]:
    found = session.scalars(select(Case.id).where(or_(Case.id == case, Case.registration_number == case))).all()
    return list(found)


def inbox(session, user: User, flt: InboxFilter, *, page_size: int = PAGE_SIZE) -> InboxPage:
    from ..access.aggregates import refuse_counts_only
    refuse_counts_only(user)                       # an overseer has counts, never a list of tasks
    now = utcnow()
    base = _agency_ready(user)
    q = base
    if flt.overdue:
        q = q.where(_late(now))
    if flt.mine:
        q = q.where(Task.claimed_by == user.username)
    if flt.unclaimed:
        q = q.where(Task.claimed_by.is_(None))
    if flt.process_id:
        q = q.where(Task.process_id == flt.process_id)
    if flt.case:
        q = q.where(Task.case_id.in_(_case_ids(session, flt.case.strip())))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, flt.page), pages)
    order = (Task.due_at.is_(None), Task.due_at.desc() if flt.descending else Task.due_at, Task.created_at)
    items = list(session.scalars(q.order_by(*order).limit(page_size).offset((page - 1) * page_size)))
    return InboxPage(items=items, total=total, page=page, pages=pages, counts=counts(session, user))


def counts(session, user: User) -> dict[str, int]:
    """Counts by state for the top of the inbox, in one query."""
    now = utcnow()
    sub = _agency_ready(user).subquery()
    late = or_(sub.c.overdue_since.is_not(None), and_(sub.c.due_at.is_not(None), sub.c.due_at < now))
    row = session.execute(select(
        func.count(),
        func.count().filter(late),
        func.count().filter(sub.c.claimed_by == user.username),
        func.count().filter(sub.c.claimed_by.is_(None)),
        func.count().filter(sub.c.required_role == "supervisor"),
    ).select_from(sub)).one()
    return dict(zip(("ready", "overdue", "mine", "unclaimed", "escalated"), (int(v or 0) for v in row)))


def colleagues(session, user: User, task: Task) -> list[User]:
    """Who the task may be handed to: active users who may work it, the user excluded."""
    if not task.agency:
        return []
    q = select(User).where(User.agency == task.agency, User.active.is_(True))
    if task.organisation:
        q = q.where(User.organisation == task.organisation)
    people = [p for p in session.scalars(q) if p.id != user.id and can_work_task(p, task)]
    # as the list shows them: by name, in the alphabet of the reader's language (Kazakh letters in their places)
    return sorted_by(people, lambda p: p.full_name or p.username)


# -- notifications ------------------------------------------------------------------------------------------
@dataclass
class Notification:
    task: Task
    instance: ProcessInstance
    process_name: str
    registration_number: str | None


def notifications(session, user: User, *, limit: int = 50) -> tuple[list[Notification], list[Notification]]:
    """(waiting, acknowledged): the first task of each instance a message started in the user's agency.

    Chapters started by a message ("inform the police at once") begin with an acknowledgement
    task in the receiving agency's lane; that task *is* the notification, its deadline the window.
    """
    if not user.has_role(*WORKING_ROLES, "auditor", "admin"):
        return [], []
    first = (select(Task.instance_id, func.min(Task.created_at).label("first_at"))
             .join(ProcessInstance, ProcessInstance.id == Task.instance_id)
             .where(ProcessInstance.started_by == "system").group_by(Task.instance_id).subquery())
    q = (select(Task, ProcessInstance, ProcessVersion.name, Case.registration_number)
         .join(first, and_(first.c.instance_id == Task.instance_id, first.c.first_at == Task.created_at))
         .join(ProcessInstance, ProcessInstance.id == Task.instance_id)
         .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
         .outerjoin(Case, Case.id == ProcessInstance.case_id))
    q = q.where(task_filter(user))
    waiting = [Notification(t, i, n or i.process_id, r) for t, i, n, r in
               session.execute(q.where(Task.state == "ready").order_by(Task.due_at.is_(None), Task.due_at,
                                                                       Task.created_at).limit(limit))]
    done = [Notification(t, i, n or i.process_id, r) for t, i, n, r in
            session.execute(q.where(Task.state != "ready").order_by(Task.created_at.desc()).limit(limit))]
    return waiting, done


# -- supervisor ---------------------------------------------------------------------------------------------
@dataclass
class Compliance:
    process_id: str
    bpmn_id: str
    name: str
    clauses: list
    total: int = 0
    met: int = 0
    late: int = 0
    open_in_time: int = 0

    @property
    def rate(self) -> float | None:
        decided = self.met + self.late
        return self.met / decided if decided else None


def compliance(session, user: User, *, since: datetime, until: datetime) -> list[Compliance]:
    """How each statutory deadline (a task with a due date) was kept by the agency in a period.

    A task counts in the period it was created. Met: completed by its due time and never marked
    overdue. Late: completed after it, marked overdue, or still open past it. Cancelled tasks
    (another branch finished first) are left out.
    """
    now = utcnow()
    q = select(Task).where(Task.due_at.is_not(None), Task.created_at >= since, Task.created_at < until,
                           Task.state != "cancelled")
    q = q.where(task_filter(user), not_withdrawn(Task.case_id))        # a registration made in error: not counted
    rows: dict[tuple[str, str], Compliance] = {}
    for t in session.scalars(q):
        c = rows.setdefault((t.process_id, t.bpmn_id),
                            Compliance(t.process_id, t.bpmn_id, t.name or t.bpmn_id, list(t.clauses or [])))
        c.total += 1
        result = outcome(t, now)
        if result == "on_time":
            c.met += 1
        elif result == "pending":
            c.open_in_time += 1
        else:
            c.late += 1
    return sorted(rows.values(), key=lambda c: (c.process_id, c.name))


def overdue_and_escalated(session, user: User, *, limit: int = 100) -> tuple[list[Task], list[Task]]:
    now = utcnow()
    base = _agency_ready(user)
    late = list(session.scalars(base.where(_late(now)).order_by(Task.due_at).limit(limit)))
    escalated = list(session.scalars(base.where(Task.required_role == "supervisor")
                                     .order_by(Task.due_at.is_(None), Task.due_at).limit(limit)))
    return late, escalated


# -- cases and personal data -------------------------------------------------------------------------------------
def case_instances(session, case_id: str) -> list[ProcessInstance]:
    return list(session.scalars(select(ProcessInstance).where(ProcessInstance.case_id == case_id)
                                .order_by(ProcessInstance.created_at)))


def case_open_tasks(session, case_id: str) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.case_id == case_id, Task.state == "ready")
                                .order_by(Task.due_at.is_(None), Task.due_at)))


def case_data(session, case_ids) -> dict[str, dict]:
    """Per case, the data of its instances merged (earliest first wins): where the child's record lives,
    whichever chapter a task belongs to — a police check knows the child the school described."""
    out: dict[str, dict] = {}
    if not case_ids:
        return out
    rows = session.execute(select(ProcessInstance.case_id, ProcessInstance.data)
                           .where(ProcessInstance.case_id.in_(list(case_ids)))
                           .order_by(ProcessInstance.created_at))
    for case_id, data in rows:
        merged = out.setdefault(case_id, {})
        for key, value in (data or {}).items():
            merged.setdefault(key, value)
    return out
