"""Registering a report (chapter 1's start) and notifications received (the supervisor's page: ``supervision``)."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from ..api.auth import settings
from ..errors import NotFound
from ..extensions import db
from ..instances import inbox as inboxes
from ..instances import service as instances
from ..registry.service import latest_version
from ..timeutil import utcnow
from . import login_required, pages
from .inbox import task_rows
from ..registry.words import chapter_titles

def report_process_id() -> str:
    return current_app.config["REPORT_PROCESS"]


def can_register(user) -> bool:
    """Whether the "register a report" button is offered: chapter 1 is deployed and starts in the user's agency."""
    if user is None or not user.has_role(*instances.WORKING_ROLES):
        return False
    try:
        version = latest_version(db.session, report_process_id())
    except NotFound:
        return False
    return user.agency in (version.start_agencies or [])


@pages.app_context_processor
def _report_button():
    return {"can_register": can_register(g.get("user")) if g.get("user") is not None else False}


@pages.get("/reports/new")
@login_required
def confirm_report():
    """The question before a case is opened: registering makes a case number at once."""
    if not can_register(g.user):
        abort(403)
    return render_template("report_confirm.html")


@pages.post("/reports")
@login_required
def register_report():
    """One click: open a case, start chapter 1, and go straight to the first form of one's own agency."""
    instance = instances.start_instance(db.session, process_id=report_process_id(),
                                        data={"received_at": utcnow().isoformat()}, user=g.user, settings=settings())
    mine = [t for t in instances.open_tasks(db.session, instance.id) if instances.can_work_task(g.user, t)]
    flash(_("Report registered: case %(number)s.", number=instance.data.get("registration_number", "")), "success")
    if mine:
        return redirect(url_for("pages.task", task_id=mine[0].id))
    return redirect(url_for("pages.case", case_id=instance.case_id))


@pages.get("/notifications")
@login_required
def notifications():
    from ..access.aggregates import refuse_counts_only
    refuse_counts_only(g.user)
    waiting, done = inboxes.notifications(db.session, g.user)
    from ..instances.withdrawal import withdrawn_cases
    return render_template("notifications.html", waiting=waiting, done=done, chapters=chapter_titles(db.session),
                           withdrawn=withdrawn_cases(db.session, g.user),
                           rows={n.task.id: r for n, r in zip(waiting, task_rows([n.task for n in waiting], g.user))})
