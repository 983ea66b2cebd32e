"""A case: what was reported, the child and family, who holds which duty now, the story so far (told by
``instances.story``, fetched by ``case_story``), each chapter's diagram."""
from __future__ import annotations

import re

from flask import abort, g, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import access, territories
from ..audit.access import record_access
from ..extensions import db
from ..forms.i18n import localize
from ..i18n import current_language
from ..instances import inbox as inboxes
from ..instances.models import Case, ProcessInstance
from ..instances.same_child import links_of
from ..instances.withdrawal import FINISHED
from ..organisations.service import names as organisation_names
from ..registry.models import ProcessVersion
from ..registry.words import element_name, process_title
from .diagrams import localized_diagram
from . import login_required, pages
from .people import child_facts, shown_name
from .case_story import story_context
from .schema_form import _enum, _key
from ..users.models import User

EVENT_LABELS = {
    "instance_started": _l("Process started"), "instance_completed": _l("Process finished"),
    "task_ready": _l("Task assigned"), "task_completed": _l("Task completed"),
    "task_cancelled": _l("Task no longer needed"), "task_claimed": _l("Task taken"),
    "task_unclaimed": _l("Task released"), "task_assigned": _l("Task handed over"),
    "timer_fired": _l("Deadline timer fired"), "overdue": _l("Deadline missed"),
    "message_sent": _l("Notification sent"), "message_received": _l("Notification received"),
    "message_delivered": _l("Notification delivered"), "activity_completed": _l("Step done"),
    "incident": _l("Incident"), "instance_migrated": _l("Moved to a newer version"),
    "document_attached": _l("Document attached"),
    "task_transferred": _l("Task handed to another organisation"),
    "case_transferred": _l("Case work handed to another organisation"),
    "residence_changed": _l("Child's residence changed"),
    "case_linked": _l("Linked to another case of the child"),
    "case_kept_separate": _l("Kept apart from another case of the child"),
    "registration_withdrawn": _l("Registration withdrawn as made in error"),
}


def _case_or_403(case_id: str) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not inboxes.may_see_case(db.session, g.user, case.id):
        abort(403)
    return case


def _labels(versions, key: str) -> dict[str, tuple[str, dict]]:
    """Field titles (and enum labels) of the object ``key`` as the case's forms describe it."""
    out: dict[str, tuple[str, dict]] = {}
    for v in versions:
        for schema in (v.forms or {}).values():
            sub = ((schema or {}).get("properties") or {}).get(key) or {}
            if sub.get("type") == "array":
                sub = sub.get("items") or {}
            sub = localize(sub, current_language())           # the reader's words, the same values
            for name, prop in (sub.get("properties") or {}).items():
                if name not in out and isinstance(prop, dict):
                    choices = _enum(prop) or []
                    out[name] = (str(prop.get("title") or name), {_key(val): lbl for val, lbl in choices})
    return out


STATUS_LABELS = {"running": _l("in progress"), "waiting": _l("waiting for another agency"),
                 "completed": _l("finished"), "error": _l("stopped by an error"), "cancelled": _l("cancelled")}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value) -> str:
    if isinstance(value, bool):
        return str(_l("yes")) if value else str(_l("no"))
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"          # Russian date format
    return str(value)


def _facts(obj: dict, labels) -> list[tuple[str, str]]:
    rows = []
    for name, value in obj.items():
        if value in (None, "", [], {}) or isinstance(value, (dict, list)):
            continue
        title, choices = labels.get(name, (name, {}))
        rows.append((title, _shown(choices.get(_key(value), value))))
    return rows


def _linked_cases(case: Case) -> list[dict]:
    """The child's other cases this reader may also open (app/access has the rule), dates as the page shows them."""
    links = links_of(db.session, case.id)
    shown = access.linked_cases_shown(db.session, g.user, case.id, [link["id"] for link in links])
    return [link | {"opened_on": _shown(link["opened_on"])} for link in links if link["id"] in shown]


@pages.get("/cases/<case_id>")
@login_required
def case(case_id):
    return render_case(_case_or_403(case_id))


def render_case(case: Case, **form):
    """The case page; ``form``: what a form on it redraws in place (``withdrawal_error``, ``withdrawal_reason``)."""
    instances = inboxes.case_instances(db.session, case.id)
    versions = {i.version_id: db.session.get(ProcessVersion, i.version_id) for i in instances}
    data = inboxes.case_data(db.session, [case.id]).get(case.id, {})
    visible = inboxes.may_see_child_name(db.session, g.user, case.id)
    open_tasks = inboxes.case_open_tasks(db.session, case.id)
    child_rows, family = [], []
    if visible:
        child_rows = _facts(child_facts(data), _labels(versions.values(), "child"))
        members = data.get("family_members") or data.get("family") or []
        if isinstance(members, list):
            labels = _labels(versions.values(), "family_members" if "family_members" in data else "family")
            family = [_facts(m, labels) for m in members if isinstance(m, dict)]
    # agencies that have (had) work in the case, not every lane of its chapters: chapter 1 has an
    # intake lane for five agencies, and only the one that registered the report is involved
    agencies = sorted(inboxes.case_agencies(db.session, case.id))
    names = {(i.id, e["id"]): element_name(versions[i.version_id], e["id"], fallback=e.get("name") or e["id"])
             for i in instances for e in (versions[i.version_id].elements or [])}    # in the reader's language
    diagrams = [{"instance": i, "version": versions[i.version_id], "title": process_title(versions[i.version_id]),
                 "current": [t.bpmn_id for t in open_tasks if t.instance_id == i.id]} for i in instances]
    orgs = access.case_organisations(db.session, case.id)
    named = organisation_names(db.session, orgs)
    story = story_context(db.session, g.user, case, instances=instances, versions=versions, data=data,
                          open_tasks=open_tasks, names=names,
                          titles={d["instance"].id: d.get("title") or d["version"].name for d in diagrams})
    record_access(db.session, user=g.user, kind="case", object_id=case.id, case_id=case.id)
    return render_template("case.html", case=case, territory=territories.full_name(case.territory),
                           organisations=[(c, named.get(c)) for c in orgs], child=shown_name(data, visible), visible=visible,
                           child_rows=child_rows, family=family,
                           statuses=STATUS_LABELS, agencies=agencies, diagrams=diagrams,
                           waiting=sorted({t.agency for t in open_tasks if t.agency}),
                           linked_cases=_linked_cases(case), withdrawn_by=_person(case.withdrawn_by),
                           case_open=any(i.status not in FINISHED for i in instances),
                           **form, **story)


def _person(username: str | None) -> str | None:
    """How the page names a member of staff: their full name, else their user name."""
    if not username:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    return (user.full_name or username) if user else username


@pages.get("/cases/<case_id>/instances/<instance_id>.bpmn")
@login_required
def diagram(case_id, instance_id):
    case = _case_or_403(case_id)
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or instance.case_id != case.id:
        abort(404)
    version = db.session.get(ProcessVersion, instance.version_id)
    return localized_diagram(version)
