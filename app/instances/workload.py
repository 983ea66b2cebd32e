"""A supervisor's unit at a glance: how much open work each employee holds, how much nobody has taken, and how
much of it is late or due by the end of the next working day — so work can be shared out before deadlines pass.

Counted in one aggregate over the unit's ready tasks (``access.task_filter``: the tasks the supervisor sees),
grouped by holder; the people are the unit's (``access.unit_member_filter``). Someone who holds tasks but is no
longer of the unit (moved, deactivated) still gets a row: their tasks are exactly the ones to hand over.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select

from ..access import WORKING_ROLES, manages_unit, task_filter, unit_member_filter
from ..collation import sorted_by
from ..users.models import User
from .models import Task


@dataclass
class Load:
    username: str | None          # None: the unit's tasks nobody has taken
    name: str
    member: bool = True           # False: holds tasks of the unit but is no longer one of its active people
    open: int = 0
    overdue: int = 0
    due_soon: int = 0


@dataclass
class Workload:
    people: list[Load]
    untaken: Load
    due_until: datetime           # "due soon" means due by this instant (the end of the next working day)
    due_day: date                 # that working day, as the page names it


def _counts(session, user, now: datetime, until: datetime) -> dict[str | None, tuple[int, int, int]]:
    late = or_(Task.overdue_since.is_not(None), and_(Task.due_at.is_not(None), Task.due_at < now))
    soon = and_(Task.overdue_since.is_(None), Task.due_at >= now, Task.due_at <= until)
    rows = session.execute(select(Task.claimed_by, func.count(), func.count().filter(late), func.count().filter(soon))
                           .where(Task.state == "ready", task_filter(user)).group_by(Task.claimed_by))
    return {holder: (int(n), int(o), int(s)) for holder, n, o, s in rows}


def members(session, user) -> list[User]:
    """The unit's active staff and supervisors, by name in the reader's alphabet."""
    people = [p for p in session.scalars(select(User).where(unit_member_filter(user))) if p.has_role(*WORKING_ROLES)]
    return sorted_by(people, lambda p: p.full_name or p.username)


def workload(session, user, *, now: datetime, calendar) -> Workload | None:
    """None for a user without a unit to manage (auditors, admins)."""
    if not manages_unit(user):
        return None
    until = calendar.add_working_days(now, 1)
    counts = _counts(session, user, now, until)
    people = [Load(p.username, p.full_name or p.username, True, *counts.pop(p.username, (0, 0, 0)))
              for p in members(session, user)]
    untaken = Load(None, "", True, *counts.pop(None, (0, 0, 0)))
    people += [Load(holder, holder, False, *c) for holder, c in sorted(counts.items())]
    return Workload(people=people, untaken=untaken, due_until=until, due_day=calendar.nth_working_day_after(now, 1))


def held_tasks(session, user, holder: str | None, *, limit: int = 200) -> list[Task]:
    """The unit's ready tasks ``holder`` holds (None: those nobody has taken), soonest deadline first."""
    q = select(Task).where(Task.state == "ready", task_filter(user))
    q = q.where(Task.claimed_by.is_(None) if holder is None else Task.claimed_by == holder)
    return list(session.scalars(q.order_by(Task.due_at.is_(None), Task.due_at, Task.created_at).limit(limit)))
