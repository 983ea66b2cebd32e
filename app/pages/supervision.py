"""The supervisor's page: late and escalated work, failed steps, deadlines kept, and the unit's workload, from
which the supervisor hands an employee's tasks (all or some) to a colleague of the same unit.

Handing over is the task page's ``assign`` (``instances.assign_task``: one ``task_assigned`` event per task);
who may give which task to whom is ``access.may_hand_over`` / ``may_receive``. Every chosen task is checked
before any moves, so a refused hand-over (a colleague of another unit, a task no longer open) moves none and
redraws the page with the reason (422).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from sqlalchemy import select

from ..access import manages_unit, may_hand_over, may_receive
from ..access.areas import may_open
from ..calendar import to_local
from ..errors import DomainError
from ..extensions import db
from ..i18n import current_language
from ..incidents.oversight import visible_incidents
from ..instances import inbox as inboxes
from ..instances import service as instances
from ..instances import workload as workloads
from ..instances.environment import working_calendar
from ..instances.models import Task
from ..registry.words import newest_element_names
from ..timeutil import utcnow
from ..users.models import User
from . import login_required, pages
from .inbox import task_rows

UNTAKEN = "-"          # the holder "nobody": the unit's tasks nobody has taken (no user name is a lone dash)


def _day(name: str, default: date) -> date:
    """The day in the query, or ``default`` for none, a malformed one, or one so far off (9999-12-31)
    that the day after it, which the report counts up to, does not exist."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default
    return day if 1900 <= day.year < 3000 else default


def _handover(holder: str, chosen=(), to: str = "") -> dict | None:
    """The hand-over form for the chosen holder: their tasks to tick and the colleagues to give them to."""
    if not manages_unit(g.user):
        return None
    people = workloads.members(db.session, g.user)
    tasks = workloads.held_tasks(db.session, g.user, None if holder == UNTAKEN else holder) if holder else []
    return {"holder": holder, "people": people, "rows": task_rows(tasks, g.user), "chosen": set(chosen), "to": to,
            "receivers": [p for p in people if p.username != holder]}


def _page(*, status: int = 200, error: str | None = None, holder: str = "", chosen=(), to: str = ""):
    today = to_local(utcnow()).date()
    since = _day("from", today - timedelta(days=30))
    until = _day("to", today)
    if until < since:
        since, until = until, since
    tz = to_local(utcnow()).tzinfo
    start = datetime.combine(since, time.min, tzinfo=tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
    late, escalated = inboxes.overdue_and_escalated(db.session, g.user)
    load = workloads.workload(db.session, g.user, now=utcnow(), calendar=working_calendar(db.session))
    return render_template("supervisor.html", since=since, until=until,
                           report=inboxes.compliance(db.session, g.user, since=start, until=end),
                           step_names=newest_element_names(db.session),
                           late=task_rows(late, g.user), escalated=task_rows(escalated, g.user),
                           incidents=visible_incidents(db.session, user=g.user, limit=20),
                           workload=load, handover=_handover(holder, chosen, to), untaken=UNTAKEN,
                           handover_error=error), status


@pages.get("/supervisor")
@login_required
def supervisor():
    if not may_open(g.user, "supervision"):
        abort(403)
    return _page(holder=request.args.get("holder", "").strip())


@pages.post("/supervisor/handover")
@login_required
def hand_over():
    """Give the ticked tasks to one colleague of the unit: all of them, or none when any may not go."""
    if not may_open(g.user, "supervision") or not manages_unit(g.user):
        abort(403)
    holder, to = request.form.get("holder", "").strip(), request.form.get("to", "").strip()
    ids = list(dict.fromkeys(i for i in request.form.getlist("task") if i))

    def refuse(message: str):
        db.session.rollback()
        return _page(status=422, error=message, holder=holder, chosen=ids, to=to)

    if not ids:
        return refuse(_("Tasks: choose at least one task to hand over."))
    if not to:
        return refuse(_("Hand to: choose a colleague."))
    tasks = [db.session.get(Task, i) for i in ids]
    if any(t is None or not may_hand_over(g.user, t) for t in tasks):
        return refuse(_("Tasks: a chosen task is no longer open in your unit. Reload the list and choose again."))
    colleague = db.session.scalar(select(User).where(User.username == to))
    if not all(may_receive(colleague, t) for t in tasks):
        if colleague is None or colleague.username not in {p.username for p in workloads.members(db.session, g.user)}:
            return refuse(_("Hand to: %(name)s does not work in your unit and cannot take its tasks.", name=to))
        return refuse(_("Hand to: %(name)s may not work one of the chosen tasks (an escalation, for example, is "
                        "for supervisors).", name=colleague.full_name or colleague.username))
    name = colleague.full_name or colleague.username
    try:
        for t in tasks:
            instances.assign_task(db.session, task_id=t.id, user=g.user, to_username=colleague.username)
    except DomainError as exc:           # changed meanwhile (a colleague completed one): say so, keep what moved
        return refuse(exc.worded(current_language()))
    flash(ngettext("%(num)d task was handed to %(name)s.", "%(num)d tasks were handed to %(name)s.",
                   len(tasks), name=name), "success")
    return redirect(url_for("pages.supervisor", holder=holder) + "#handover")
