"""One task: its instructions and its form; save a draft, complete it, see where the case goes next."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..agencies import BY_CODE, agency_sender
from ..audit.access import record_access
from ..errors import Conflict, Invalid
from ..extensions import db
from ..forms.known import fill_known
from ..organisations.service import names as organisation_names
from ..i18n import current_language
from ..instances import inbox as inboxes
from ..instances import service as instances
from ..instances.models import Case, ProcessInstance
from ..instances.task_forms import form_of
from ..registry.models import ProcessVersion
from ..registry.words import process_title, task_words
from . import login_required, pages
from ..api.auth import settings
from .clauses import clause_texts
from .field_titles import field_title, summary_line
from .form_errors import localized
from .instructions import render_instructions
from .people import shown_name
from .schema_form import apply_action, build, form_fields, parse


def _context(task):
    instance = db.session.get(ProcessInstance, task.instance_id)
    version = db.session.get(ProcessVersion, instance.version_id)
    schema, ui = form_of(version, task, current_language())
    schema = schema or {"type": "object", "properties": {}}
    case = db.session.get(Case, task.case_id) if task.case_id else None
    return instance, version, schema, ui, case


def _facts(instance, data) -> dict:
    """What the instructions' placeholders read; the sender of a notice named as the reader's language puts it
    (the diagrams' notified_by_name is the Russian name, which after «от» must be «от организации образования»)."""
    facts = {**(instance.data or {}), **(data or {})}
    if isinstance(facts.get("notified_by"), str) and facts["notified_by"] in BY_CODE:
        facts["notified_by_name"] = agency_sender(facts["notified_by"], current_language())
    return facts


def _render(task, data, errors=None, status=200, same_child=None):
    instance, version, schema, ui, case = _context(task)
    by_field: dict[str, list[str]] = {}
    for e in errors or []:
        by_field.setdefault(e.get("field", ""), []).append(e.get("message", ""))
    known = fill_known(schema, data, user=g.user, organisation_name=lambda: organisation_names(
        db.session, [g.user.organisation], "ru").get(g.user.organisation or ""))
    form = build(schema, known, by_field, ui)     # shown as the case will hold it
    visible = inboxes.may_see_child_name(db.session, g.user, task.case_id)
    words = task_words(db.session, [task])[task.id]          # the element's words in the reader's language
    return render_template(
        "task.html", task=task, instance=instance, version=version, case=case, form=form,
        task_name=words["name"], chapter=process_title(version),
        schema_title=schema.get("title"), confirmation=not task.form,
        errors=[{**e, "summary": summary_line(field_title(schema, e.get("field")), e.get("message", ""))}
                for e in errors or []],
        instructions=render_instructions(words["instructions"], _facts(instance, data)),
        child=shown_name(inboxes.case_data(db.session, [task.case_id]).get(task.case_id) if task.case_id else instance.data, visible), can_work=instances.can_work_task(g.user, task),
        colleagues=inboxes.colleagues(db.session, g.user, task) if task.state == "ready" else [],
        same_child=same_child,
        # the Guide's texts are Russian only: a Kazakh or English page keeps the bare codes rather than mix languages
        clause_texts=clause_texts(current_app.config["PROCESSES_DIR"]) if current_language() == "ru" else {},
    ), status


@pages.get("/tasks/<task_id>")
@login_required
def task(task_id):
    t = instances.get_task(db.session, task_id, g.user)
    record_access(db.session, user=g.user, kind="task", object_id=t.id, case_id=t.case_id)
    return _render(t, instances.task_data(db.session, t))


@pages.post("/tasks/<task_id>")
@login_required
def task_submit(task_id):
    t = instances.get_task(db.session, task_id, g.user)
    if not instances.can_work_task(g.user, t):
        abort(403)
    schema = _context(t)[2]
    data = parse(schema, request.form)
    action = request.form.get("__action", "")
    if action.startswith(("add:", "remove:")):
        return _render(t, {**instances.task_data(db.session, t), **apply_action(schema, data, action)})
    if action == "save":
        instances.save_draft(db.session, task_id=t.id, data=data, user=g.user)
        flash(_("Draft saved."), "success")
        return redirect(url_for("pages.task", task_id=t.id))
    if action != "complete":
        abort(400)
    owned = form_fields(schema)
    submitted = {k: v for k, v in data.items() if k in owned}
    # Staff's answer when the child already has another case (instances/same_child.py): link or a reason.
    decision = {k: request.form.get(k, "").strip() or None for k in ("link_to_case", "new_case_reason")}
    if request.form.get("same_child") == "new":
        decision["link_to_case"] = None
        decision["new_case_reason"] = decision["new_case_reason"] or ""
    elif request.form.get("same_child"):
        decision = {"link_to_case": request.form["same_child"], "new_case_reason": None}
    try:
        instances.complete_task(db.session, task_id=t.id, data=submitted, user=g.user, settings=settings(),
                                same_child={k: v for k, v in decision.items() if v is not None})
    except Conflict as exc:
        db.session.rollback()
        if "same_child_cases" not in exc.extra:
            raise
        return _render(t, {**instances.task_data(db.session, t), **data}, status=409,
                       same_child=exc.extra["same_child_cases"])
    except Invalid as exc:
        db.session.rollback()
        # The service's errors are worded as the API returns them (Russian); their codes let the page
        # word them in its own language.
        errors = localized(exc.errors, exc.field_errors)
        if any(e.get("field") in ("link_to_case", "new_case_reason") for e in exc.errors):
            return _render(t, {**instances.task_data(db.session, t), **data}, errors=errors, status=422,
                           same_child=_undecided_cases(t, submitted))
        return _render(t, {**instances.task_data(db.session, t), **data}, errors=errors,
                       status=422)
    flash(_("Task completed."), "success")
    return redirect(url_for("pages.task_next", task_id=t.id))


def _undecided_cases(task, submitted):
    """The other cases of the child still waiting for staff's decision (asked again after a refused answer)."""
    from ..instances.same_child import child_iin, pending_cases
    return pending_cases(db.session, case_id=task.case_id, iin=child_iin(submitted))


@pages.get("/tasks/<task_id>/next")
@login_required
def task_next(task_id):
    """After completing: what is open in the case now, for whom, and by when."""
    t = instances.get_task(db.session, task_id, g.user)
    from .inbox import task_rows
    open_tasks = inboxes.case_open_tasks(db.session, t.case_id) if t.case_id else \
        instances.open_tasks(db.session, t.instance_id)
    case = db.session.get(Case, t.case_id) if t.case_id else None
    return render_template("task_next.html", task=t, case=case, rows=task_rows(open_tasks, g.user),
                           task_name=task_words(db.session, [t])[t.id]["name"])
