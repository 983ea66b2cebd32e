"""Territories (the КАТО classifier) and a case's API twin of the case page."""
from dataclasses import asdict

from flask import request

from .. import access, territories
from ..audit.access import record_access
from ..errors import Forbidden, Invalid, NotFound
from ..problems import field
from ..events.service import events_of
from ..extensions import db
from ..i18n import current_language
from ..instances import inbox as inboxes
from ..instances.case_story import tell
from ..instances.models import Case
from ..registry.models import ProcessVersion
from ..instances.same_child import links_of
from ..organisations.service import names as organisation_names
from ..pages.people import shown_name
from . import api
from .auth import current_user, require


def _territory(t) -> dict:
    return {"code": t.code, "parent": t.parent, "level": t.level, "name": t.name(), "name_ru": t.name_ru,
            "name_kk": t.name_kk, "name_en": t.name_en}


@api.get("/territories")
@require()
def list_territories():
    """Children of ``parent`` (none: the oblasts and cities of republican significance)."""
    unknown = sorted(set(request.args) - {"parent"})
    if unknown:
        raise Invalid("unknown_query_parameter", [field(unknown[0], "only_parent")])
    parent = request.args.get("parent") or None
    if parent is not None and territories.get(parent) is None:
        raise Invalid("unknown_territory", [field("parent", "kato_code")])
    return {"items": [_territory(t) for t in territories.children(parent)]}


@api.get("/cases/<case_id>")
@require()
def show_case(case_id):
    """The case as its page shows it: territory, organisations, open duties, what was reported and the story
    (``instances.case_story``, worded per Accept-Language), the raw timeline; the child and the account of what
    happened by the same masking rules (full to the case's own staff and auditors, initials and nothing else to
    everyone else)."""
    user = current_user()
    case = db.session.get(Case, str(case_id))
    if case is None:
        raise NotFound("case_not_found", {"case_id": case_id})
    if not access.may_see_case(db.session, user, case.id):
        raise Forbidden("case_not_routed")
    data = inboxes.case_data(db.session, [case.id]).get(case.id, {})
    instances = inboxes.case_instances(db.session, case.id)
    open_tasks = inboxes.case_open_tasks(db.session, case.id)
    orgs = access.case_organisations(db.session, case.id)
    named = organisation_names(db.session, [*orgs, *(t.organisation for t in open_tasks)])
    timeline = sorted(((e, i) for i in instances for e in events_of(db.session, i.id)),
                      key=lambda pair: (pair[0].at, pair[0].seq))
    versions = {i.version_id: db.session.get(ProcessVersion, i.version_id) for i in instances}
    told = tell(db.session, user, case, instances=instances, versions=versions, data=data, open_tasks=open_tasks,
                lang=current_language())
    record_access(db.session, user=user, kind="case", object_id=case.id, case_id=case.id)
    return {
        "id": case.id, "registration_number": case.registration_number, "opened_at": case.created_at.isoformat(),
        "opened_agency": case.opened_agency, "opened_organisation": case.opened_organisation,
        "territory": {"code": case.territory, "name": territories.full_name(case.territory)} if case.territory
        else None,
        "child": shown_name(data, access.may_see_child_name(db.session, user, case.id)),
        "agencies": sorted(access.case_agencies(db.session, case.id)),
        "organisations": [{"code": c, "name": named.get(c)} for c in orgs],
        "open_duties": [{"task_id": t.id, "name": t.name, "agency": t.agency, "organisation": t.organisation,
                         "organisation_name": named.get(t.organisation),
                         "due_at": t.due_at.isoformat() if t.due_at else None} for t in open_tasks],
        "instances": [{"id": i.id, "process_id": i.process_id, "status": i.status} for i in instances],
        "linked_cases": links_of(db.session, case.id),
        "withdrawal": withdrawal_of(case, shown=access.may_see_report(db.session, user, case.id)),
        "timeline": [{"at": e.at.isoformat(), "type": e.type, "actor": e.actor, "instance_id": i.id,
                      "bpmn_id": e.bpmn_id} for e, i in timeline],
        "reported": {**asdict(told["report"]), "registered_by": told["registered_by"],
                     "registered_organisation": told["registered_unit"]},
        "duties": [{"task_id": d.task.id, "step": d.step, "agency": d.agency, "organisation": d.organisation,
                    "kind": d.kind, "late": d.late, "due_at": d.task.due_at.isoformat() if d.task.due_at else None}
                   for d in told["duties"]],
        "story": [{**asdict(line), "at": line.at.isoformat()} for line in told["story"]],
    }


@api.post("/cases/<case_id>/withdrawal")
@require("staff", "supervisor")
def withdraw_registration(case_id):
    """Withdraw a registration made in error: ``{reason}`` (10+ characters). The registrant or a supervisor of
    their unit, while the case is open; every instance is cancelled, nothing deleted (instances/withdrawal.py)."""
    from ..instances.withdrawal import withdraw_registration as withdraw
    from .auth import json_body, settings
    body = json_body()
    done = withdraw(db.session, case_id=case_id, user=current_user(), reason=body.get("reason"),
                    settings=settings())
    return {**withdrawal_of(done.case, shown=True), "cancelled_instances": done.cancelled_instances}, 201


def withdrawal_of(case: Case, *, shown: bool) -> dict | None:
    """A withdrawn registration as the API shows it: when and who to every reader of the case, the reason
    (free text that may name the child) to those who may read what was reported (``access.may_see_report``)."""
    if case.withdrawn_at is None:
        return None
    return {"case_id": case.id, "registration_number": case.registration_number,
            "withdrawn_at": case.withdrawn_at.isoformat(), "withdrawn_by": case.withdrawn_by,
            "reason": case.withdrawal_reason if shown else None}


@api.post("/tasks/<task_id>/transfer")
@require("supervisor", "admin")
def transfer_task(task_id):
    """Hand an open task to another organisation of its agency: ``{to, reason}``."""
    from ..instances.transfer import transfer_task as move
    from .auth import json_body
    from .schemas import TaskSchema
    body = json_body()
    task = move(db.session, task_id=task_id, user=current_user(), to=body.get("to"), reason=body.get("reason"))
    return TaskSchema().dump(task) | {"organisation": task.organisation}


@api.post("/cases/<case_id>/transfer")
@require("supervisor", "admin")
def transfer_case(case_id):
    """Move every open task of the caller's unit in the case to another organisation: ``{to, reason}``."""
    from ..instances.transfer import transfer_case as move
    from .auth import json_body
    body = json_body()
    moved = move(db.session, case_id=case_id, user=current_user(), to=body.get("to"), reason=body.get("reason"))
    return {"moved": [t.id for t in moved], "to": body.get("to")}


@api.put("/cases/<case_id>/territory")
@require("staff", "supervisor", "admin")
def change_residence(case_id):
    """The child now lives elsewhere: ``{territory, reason}``; open work moves to the units now responsible."""
    from ..instances.residence import change_residence as move
    from .auth import json_body
    body = json_body()
    moved = move(db.session, case_id=case_id, user=current_user(), territory=body.get("territory"),
                 reason=body.get("reason"))
    return {"territory": body.get("territory"), "moved": [{"task_id": t.id, "organisation": t.organisation}
                                                         for t in moved]}
