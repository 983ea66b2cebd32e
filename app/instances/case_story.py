"""A case's story for one reader: fetches the rows ``story`` tells (events, tasks, organisations, documents,
people) once, for the case page and its API twin alike."""
from __future__ import annotations

from sqlalchemy import select

from .. import access
from ..documents.models import Document
from ..events.models import Event
from ..organisations.service import names as organisation_names
from ..registry.words import element_names, process_title
from ..timeutil import utcnow
from ..users.models import User
from . import story
from .models import Task


def tell(session, user, case, *, instances, versions, data: dict, open_tasks, lang: str,
         names: dict | None = None, titles: dict | None = None) -> dict:
    """What was reported (``report``, masked by ``access.may_see_report``), who registered it, who holds which
    duty now (``duties``) and what has happened (``story``), in ``lang``.

    ``versions``: version id → ProcessVersion of the case's instances; ``names``: (instance id, element id) →
    the element's name in the reader's language, ``titles``: instance id → its chapter's title likewise (when
    omitted, both from ``registry.words``, the one home of naming)."""
    if names is None:
        names = {(i.id, eid): name for i in instances
                 for eid, name in element_names(versions[i.version_id], lang).items()}
    if titles is None:
        titles = {i.id: process_title(versions[i.version_id], lang) for i in instances}
    shown = access.may_see_report(session, user, case.id)
    ids = [i.id for i in instances]
    events = list(session.scalars(select(Event).where(Event.instance_id.in_(ids)))) if ids else []
    task_orgs = dict(session.execute(select(Task.id, Task.organisation).where(Task.case_id == case.id)).all())
    moved = {(e.data or {}).get(k) for e in events if e.type.endswith("_transferred") for k in ("from", "to")}
    units = organisation_names(session, {*task_orgs.values(), *moved, case.opened_organisation})
    documents = {d.id: d.filename for d in session.scalars(select(Document).where(Document.case_id == case.id))} \
        if shown else {}
    actors = {e.actor for e in events if e.actor and e.actor != "system"} | {case.opened_by} - {None}
    people = {u.username: u.full_name or u.username
              for u in session.scalars(select(User).where(User.username.in_(actors)))} if actors else {}
    chapters = {i.id: story.Chapter(name=titles.get(i.id) or versions[i.version_id].name or i.process_id,
                                    elements={e["id"]: e for e in versions[i.version_id].elements or []})
                for i in instances}
    return {
        "report": story.reported(data, visible=shown),
        "registered_by": people.get(case.opened_by, case.opened_by),
        "registered_unit": units.get(case.opened_organisation),
        "duties": story.duties(open_tasks, now=utcnow(), names=names, units=units, lang=lang),
        "story": story.timeline(events, chapters=chapters, names=names, task_orgs=task_orgs, units=units,
                                documents=documents, people=people, lang=lang, reasons_shown=shown),
    }

