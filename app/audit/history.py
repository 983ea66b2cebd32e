"""One instance's full history for a court file: what happened, who did it, when, and whether
each statutory deadline was met — with the verification verdict and the hashes that prove it."""
from __future__ import annotations

from sqlalchemy import select

from ..events.service import events_of
from ..instances.environment import Settings
from ..instances.models import Case, ProcessInstance, Task
from ..registry.models import ProcessVersion
from ..registry.words import element_names, process_title
from ..timeutil import utcnow
from .anchors import anchored_ends
from .compliance import DEADLINE_CLAUSES, outcome
from .court_data import field_labels, readable
from .models import Anchor
from .verify import verify_instance


def instance_history(session, instance: ProcessInstance, *, settings: Settings) -> dict:
    version = session.get(ProcessVersion, instance.version_id)
    case = session.get(Case, instance.case_id) if instance.case_id else None
    names = {el["id"]: el.get("name") for el in version.elements or []}
    names.update(element_names(version))           # the reader's language where the version has its words
    now = utcnow()
    tasks = []
    for t in session.scalars(select(Task).where(Task.instance_id == instance.id).order_by(Task.created_at)):
        deadline = [c for c in t.clauses or [] if c in DEADLINE_CLAUSES]
        tasks.append({"bpmn_id": t.bpmn_id, "name": names.get(t.bpmn_id) or t.name, "agency": t.agency, "clauses": t.clauses or [],
                      "deadline_clauses": deadline, "state": t.state, "created_at": t.created_at,
                      "due_at": t.due_at, "completed_at": t.completed_at, "completed_by": t.completed_by,
                      "outcome": outcome(t, now) if t.due_at else None})
    events = events_of(session, instance.id)
    # Only an anchor that took this instance's log in says anything about it; the newest such one.
    anchored = anchored_ends(session)[0].get(instance.id)
    verdict = verify_instance(session, instance, settings=settings, anchored=anchored)
    labels = field_labels(version.forms or {})
    return {
        "instance": instance, "case": case, "version": version, "chapter": process_title(version),
        "tasks": tasks, "verdict": verdict,
        "events": [{"seq": e.seq, "type": e.type, "at": e.at, "actor": e.actor, "bpmn_id": e.bpmn_id,
                    "name": names.get(e.bpmn_id), "lane": e.lane, "data": e.data,
                    "fields": readable(e.data, labels), "hash": e.hash}
                   for e in events],
        "last_seq": events[-1].seq if events else None,
        "last_hash": events[-1].hash if events else None,
        "anchor": session.get(Anchor, anchored[2]) if anchored else None,
        "anchored_seq": anchored[0] if anchored else None, "generated_at": now,
    }
