"""The agency's inbox, and claiming, releasing and handing tasks over (each an event)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import child_names_shown_among
from ..extensions import db
from ..instances import inbox as inboxes
from ..instances import service as instances
from ..instances.models import Case
from ..organisations.service import names as organisation_names
from ..registry.words import chapter_titles, task_words
from . import login_required, pages, safe_next
from .people import shown_name


def _int_arg(name: str, default: int) -> int:
    try:
        return max(1, int(request.args.get(name, default)))
    except ValueError:
        return default


def task_rows(tasks, user):
    """Each task with what a list shows beside it: registration number, the child's name, chapter."""
    case_ids = {t.case_id for t in tasks if t.case_id}
    data = inboxes.case_data(db.session, case_ids)
    numbers = dict(db.session.execute(select(Case.id, Case.registration_number)
                                      .where(Case.id.in_(case_ids))).all()) if case_ids else {}
    visible = child_names_shown_among(db.session, user, case_ids)      # one query for the page
    chapters = chapter_titles(db.session)
    words = task_words(db.session, tasks)        # names in the reader's language, by each task's version
    units = organisation_names(db.session, {t.organisation for t in tasks})
    return [{"task": t, "name": words[t.id]["name"],
             "registration_number": numbers.get(t.case_id), "organisation": units.get(t.organisation),
             "child": shown_name(data.get(t.case_id), t.case_id in visible),
             "chapter": chapters.get(t.process_id, t.process_id),
             "late": t.overdue_since is not None or (t.due_at is not None and t.due_at < _now()),
             "can_work": instances.can_work_task(user, t)} for t in tasks]


def _now():
    from ..timeutil import utcnow
    return utcnow()


@pages.get("/inbox")
@login_required
def inbox():
    show = request.args.get("show", "all")
    flt = inboxes.InboxFilter(overdue=show == "overdue", mine=show == "mine", unclaimed=show == "unclaimed",
                              process_id=request.args.get("chapter") or None,
                              case=request.args.get("case") or None,
                              descending=request.args.get("sort") == "-due", page=_int_arg("page", 1))
    result = inboxes.inbox(db.session, g.user, flt)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("inbox.html", page=result, rows=task_rows(result.items, g.user), show=show,
                           flt=flt, chapters=sorted(chapter_titles(db.session).items()), args=args)


def _back(default_task=None):
    fallback = url_for("pages.task", task_id=default_task) if default_task else url_for("pages.inbox")
    return redirect(safe_next(request.form.get("next"), fallback))


@pages.post("/tasks/<task_id>/claim")
@login_required
def claim(task_id):
    instances.claim_task(db.session, task_id=task_id, user=g.user)
    flash(_("The task is yours now."), "success")
    return _back(task_id)


@pages.post("/tasks/<task_id>/unclaim")
@login_required
def unclaim(task_id):
    instances.unclaim_task(db.session, task_id=task_id, user=g.user)
    flash(_("The task is back in the agency's queue."), "success")
    return _back(task_id)


@pages.post("/tasks/<task_id>/assign")
@login_required
def assign(task_id):
    to = request.form.get("to", "")
    instances.assign_task(db.session, task_id=task_id, user=g.user, to_username=to)
    flash(_("The task was handed to %(name)s.", name=to), "success")
    return _back(task_id)
