"""Who may see counts across cases (the dashboard), and over which cases: the aggregate side of ``app.access``.

An **overseer** (the ministry's Committee for the Protection of Children's Rights across the country, or a
regional akimat's or oblast's overseer with a territory) sees only aggregates: the dashboard and its export.
No inbox, no case, no replay, no child's data: none of the predicates that open those names the role, so
every such page and endpoint refuses them, and the lists of work (inbox, notices), which answer anyone with
what they may see, refuse them outright (``refuse_counts_only``; the ``inbox`` area of ``areas``).

Supervisors count their own unit's work (``task_filter``), auditors and admins the country or, for a regional
auditor, their territory (``overseen``). An overseer's scope is their territory (``User.territory``, a КАТО
code and everything under it) or, without one, the whole country.
"""
from __future__ import annotations

from sqlalchemy import exists, select, true
from sqlalchemy.orm import aliased

from .. import territories
from ..instances.models import Case, Task
from . import SEE_ALL, overseen, task_filter
from .areas import AREAS, may_open

OVERSEER = "overseer"
AGGREGATE_ROLES = AREAS["dashboard"]          # the page's gate and the menu's link: one list


def sees_aggregates(user) -> bool:
    """May open the dashboard and its data at all (in the scope ``aggregate_task_filter`` draws)."""
    return user is not None and user.has_role(*AGGREGATE_ROLES)


def aggregate_territory(user) -> str | None:
    """The territory the user's counts are held to: a regional auditor's (``overseen``) or an overseer's own;
    None: the whole country (national auditors and overseers) or a unit's own work (supervisors)."""
    if user.has_role(OVERSEER) and not user.has_role(*SEE_ALL):
        return getattr(user, "territory", None)
    return overseen(user)


def counts_the_country(user) -> bool:
    """Whether the user's counts cover every case with no bound at all (national auditors, admins, the
    committee): the dashboard then needs no scoping condition."""
    return (user.has_role(*SEE_ALL) or user.has_role(OVERSEER)) and aggregate_territory(user) is None


def aggregate_task_filter(user):
    """SQL condition on ``Task``: the tasks counted for the user. Overseers: the tasks of cases whose child
    lives in their territory (EXISTS on the case, which the planner runs as a semi-join), or every task;
    everyone else: the tasks they may see (``task_filter``)."""
    if counts_the_country(user):
        return true()
    if user.has_role(OVERSEER) and not user.has_role(*SEE_ALL):
        scope = territories.within(aggregate_territory(user))
        home = aliased(Case)             # its own name: a query that also joins Case must not correlate to it
        return exists(select(home.id).where(home.id == Task.case_id, home.territory.in_(scope)))
    return task_filter(user)


def refuse_counts_only(user) -> None:
    """Raise Forbidden at a list of work (the inbox, notices) for whoever the ``inbox`` area leaves out (the
    overseers): theirs would be empty anyway, but a list that answers them is one rule away from showing tasks."""
    from ..errors import Forbidden
    if not may_open(user, "inbox"):
        raise Forbidden("role_required", {"roles": ", ".join(AREAS["inbox"])})


def landing(user) -> str:
    """Where the service opens for the user: the dashboard for an overseer (they have no inbox), else the inbox."""
    return "pages.inbox" if may_open(user, "inbox") else "dashboard_pages.dashboard_page"
