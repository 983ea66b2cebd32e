"""User tasks: the inbox, one task, complete, claim, hand over, draft."""
from flask import request

from ..audit.access import record_access
from ..errors import Invalid
from ..problems import field
from ..extensions import db
from ..i18n import api_language
from ..instances import service as instances
from ..instances.task_forms import task_form
from ..registry.words import task_words
from . import api
from .auth import current_user, json_body, require, settings
from .schemas import InstanceSchema, TaskSchema


def _flag(name):
    value = request.args.get(name)
    if value is None:
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise Invalid("not_a_boolean", [field(name, "true_or_false")], {"name": name})


def _int(name, default, lo, hi):
    raw = request.args.get(name)
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        raise Invalid("not_an_integer", [field(name, "an_integer")], {"name": name}) from None
    if not lo <= value <= hi:
        raise Invalid("out_of_range", [field(name, "between", lo=lo, hi=hi)], {"name": name})
    return value


@api.get("/tasks")
@require()
def inbox():
    tasks = instances.visible_tasks(db.session, current_user(), instance=request.args.get("instance"),
                                    lane=request.args.get("lane"), overdue=_flag("overdue"),
                                    mine=bool(_flag("mine")), case=request.args.get("case"),
                                    limit=_int("limit", 100, 1, 500), offset=_int("offset", 0, 0, 10**9))
    lang = _reader_language()
    words = task_words(db.session, tasks, lang)
    return {"items": [{**item, "words": {"lang": lang, **words[item["id"]]}}
                      for item in TaskSchema(many=True).dump(tasks)]}, 200, {"Vary": "Accept-Language"}


def _reader_language() -> str:
    """The caller's Accept-Language when it sends one, else the user's own UI language, else Russian."""
    return api_language(request.accept_languages, getattr(current_user(), "language", None))


@api.get("/tasks/<task_id>")
@require()
def show_task(task_id):
    task = instances.get_task(db.session, task_id, current_user())
    body = TaskSchema().dump(task)
    body["data"] = instances.task_data(db.session, task)
    # everything a client needs to draw the form, without the owners-only form endpoints; worded in the
    # reader's language (same fields, values and rules in every language: app.forms.i18n)
    lang = _reader_language()
    body["form_schema"], body["ui_schema"] = task_form(db.session, task, lang)
    # the step's name and instructions in that language (``name``/``instructions`` stay the canonical Russian)
    body["words"] = {"lang": lang, **task_words(db.session, [task], lang)[task.id]}
    record_access(db.session, user=current_user(), kind="task", object_id=task.id, case_id=task.case_id)
    return body, 200, {"Content-Language": lang, "Vary": "Accept-Language"}


@api.post("/tasks/<task_id>/complete")
@require("staff", "supervisor")
def complete(task_id):
    body = json_body()
    data = body.get("data", {})
    same_child = {k: body[k] for k in ("link_to_case", "new_case_reason") if k in body}
    done = instances.complete(db.session, task_id=task_id, data=data, user=current_user(), settings=settings(),
                              same_child=same_child)
    return {"instance": _COMPLETED_INSTANCE.dump(done.instance), "next_tasks": _TASKS.dump(done.next_tasks)}


# the completion's answer on every request: schemas built once (their construction copies every field)
_COMPLETED_INSTANCE = InstanceSchema(only=("id", "status", "case_id"))
_TASKS = TaskSchema(many=True)


@api.post("/tasks/<task_id>/claim")
@require("staff", "supervisor")
def claim(task_id):
    return TaskSchema().dump(instances.claim_task(db.session, task_id=task_id, user=current_user()))


@api.post("/tasks/<task_id>/unclaim")
@require("staff", "supervisor")
def unclaim(task_id):
    return TaskSchema().dump(instances.unclaim_task(db.session, task_id=task_id, user=current_user()))


@api.post("/tasks/<task_id>/assign")
@require("staff", "supervisor")
def assign(task_id):
    body = json_body()
    return TaskSchema().dump(instances.assign_task(db.session, task_id=task_id, user=current_user(),
                                                   to_username=str(body.get("to", ""))))


@api.put("/tasks/<task_id>/draft")
@require("staff", "supervisor")
def draft(task_id):
    body = json_body()
    return TaskSchema().dump(instances.save_draft(db.session, task_id=task_id, data=body.get("data", {}),
                                                  user=current_user()))
