"""The case page's story sections: fetches the rows ``instances.story`` tells (the page stays thin)."""
from __future__ import annotations

from sqlalchemy import select

from .. import access
from ..documents.models import Document
from ..events.models import Event
from ..i18n import current_language
from ..instances import story
from ..instances.models import Task
from ..organisations.service import names as organisation_names
from ..timeutil import utcnow
from ..users.models import User


def story_context(session, user, case, *, instances, versions, data: dict, open_tasks, names, titles) -> dict:
    """What was reported, who holds which duty now, and the timeline, for ``case.html``.

    ``names`` is the page's one mapping (instance id, element id) → element name in the reader's language,
    ``titles`` instance id → its chapter's title likewise."""
    lang = current_language()
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
    chapters = {i.id: story.Chapter(name=titles.get(i.id) or i.process_id,
                                    elements={e["id"]: e for e in versions[i.version_id].elements or []})
                for i in instances}
    return {
        "report": story.reported(data, visible=shown),
        "registered_by": people.get(case.opened_by, case.opened_by),
        "registered_unit": units.get(case.opened_organisation),
        "duties": story.duties(open_tasks, now=utcnow(), names=names, units=units, lang=lang),
        "story": story.timeline(events, chapters=chapters, names=names, task_orgs=task_orgs, units=units,
                                documents=documents, people=people, lang=lang),
    }

