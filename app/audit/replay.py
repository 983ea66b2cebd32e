"""Replay: an instance as it stood after event N — path, tokens, data, actor, and the change.

The data at step N is not read from a snapshot (there is none) but re-executed from the
recorded inputs up to the engine step that holds event N, on the version the instance ran on
then: what the auditor sees is what the engine would do again, and it says so when
re-execution disagrees with the log. The path and the tokens come from the log itself: the
elements completed so far, the sequence flows between them, the user tasks waiting, and the
catch events a token waits at.
"""
from __future__ import annotations

from functools import lru_cache

from ..engine import parse_xml
from ..errors import Invalid, NotFound
from ..problems import field
from ..events.models import Event
from ..events.service import events_of
from ..instances.environment import Settings
from ..instances.models import Case, ProcessInstance
from ..registry.words import element_names, process_title
from .court_data import field_labels, readable
from .reexecute import Divergence, ReexecutionFailed, StepRun, first_version, reexecute

DONE_TYPES = {"activity_completed", "task_completed", "timer_fired", "message_received"}
WAITING_KINDS = {"intermediateCatchEvent", "receiveTask", "eventBasedGateway"}


@lru_cache(maxsize=64)
def _flows(sha256: str, xml: str) -> tuple[tuple[str, str, str], ...]:
    """(flow id, source, target) of every sequence flow; cached per immutable version."""
    root = parse_xml(xml.encode("utf-8")).getroot()
    return tuple((f.get("id"), f.get("sourceRef"), f.get("targetRef"))
                 for f in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}sequenceFlow"))


def _event_dict(e: Event) -> dict:
    return {"seq": e.seq, "type": e.type, "at": e.at.isoformat(), "actor": e.actor, "task_id": e.task_id,
            "bpmn_id": e.bpmn_id, "lane": e.lane, "data": e.data, "state_hash": e.state_hash, "hash": e.hash}


def path_at(events: list[Event], version, step: int) -> dict:
    """Elements done, flows taken and tokens after event ``step``, from the log alone."""
    done: list[str] = []
    ready: dict[str, str] = {}               # task id -> bpmn id, user tasks waiting for a person
    for e in events:
        if e.seq > step:
            break
        if e.type in DONE_TYPES and e.bpmn_id and e.bpmn_id not in done:
            done.append(e.bpmn_id)
        if e.type == "task_ready" and e.task_id:
            ready[e.task_id] = e.bpmn_id
        elif e.type in ("task_completed", "task_cancelled") and e.task_id:
            ready.pop(e.task_id, None)
    if any(e.type == "instance_completed" and e.seq <= step for e in events):
        ready.clear()
    kinds = {el["id"]: el.get("type") for el in version.elements or []}
    flows = _flows(version.sha256, version.bpmn_xml)
    active = set(ready.values())
    done_set = set(done)
    waiting = set()
    completed = any(e.type == "instance_completed" and e.seq <= step for e in events)
    for _, source, target in flows:
        if source in done_set and target not in done_set and kinds.get(target) in WAITING_KINDS and not completed:
            waiting.add(target)
    armed = [el["id"] for el in version.elements or [] if el.get("attached_to") in active
             and el["id"] not in done_set]
    tokens = active | waiting
    taken = [fid for fid, source, target in flows if source in done_set and (target in done_set or target in tokens)]
    return {"completed": done, "active": sorted(tokens), "armed": sorted(armed), "flows": taken}


def _changes(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    return {"added": {k: after[k] for k in after if k not in before},
            "removed": sorted(k for k in before if k not in after),
            "changed": {k: {"from": before[k], "to": after[k]} for k in after if k in before and before[k] != after[k]}}


def readable_fields(data: dict | None, before: dict | None, labels: dict[str, str]) -> dict:
    """The data as labelled rows (the forms' titles), each marked ``added`` or ``changed`` against the
    step before, and the labels of fields that went away: what a person reads instead of a JSON diff."""
    old = {label: value for label, value in readable(before or {}, labels)}
    rows = []
    for label, value in readable(data or {}, labels):
        change = "added" if label not in old else ("changed" if old[label] != value else None)
        rows.append({"label": label, "value": value, "change": change,
                     "before": old.get(label) if change == "changed" else None})
    now = {row["label"] for row in rows}
    return {"rows": rows, "removed": [label for label in old if label not in now]}


def readable_step(version, events: list[Event], state: dict, prev_data: dict | None,
                  service_labels: dict[str, str] | None = None) -> dict:
    """Names for what the replay shows by id: the chapter, the element, the tokens; every event for the
    jump list; the data and the event's own input as labelled fields."""
    names = {el["id"]: el.get("name") or el["id"] for el in version.elements or []}
    names.update(element_names(version))           # the reader's language where the version has its words
    labels = field_labels(version.forms or {}, extra=service_labels)
    event = state["event"]
    return {
        "chapter": process_title(version),
        "element_name": names.get(event["bpmn_id"]) if event["bpmn_id"] else None,
        "active_names": [names.get(i, i) for i in state["active"]],
        "timeline": [{"seq": e.seq, "type": e.type, "name": names.get(e.bpmn_id) if e.bpmn_id else None}
                     for e in events],
        "fields": readable_fields(state["data"], prev_data, labels) if state["data"] is not None else None,
        "event_fields": [{"label": label, "value": value} for label, value in readable(event["data"], labels)],
    }


def replay(session, instance: ProcessInstance, step: int | None, *, settings: Settings,
           service_labels: dict[str, str] | None = None) -> dict:
    """The instance after event ``step`` (default: the last), re-executed up to there. ``service_labels``:
    words, in the reader's language, for the fields the service itself sets (the forms title the rest)."""
    events = events_of(session, instance.id)
    if not events:
        raise NotFound("instance_no_events", {"instance_id": instance.id})
    last = events[-1].seq
    step = last if step is None else step
    if not 1 <= step <= last:
        raise Invalid("step_out_of_range", [field("step", "between", lo=1, hi=last)])
    event = next((e for e in events if e.seq == step), None)
    if event is None:
        raise Invalid("step_missing", [field("step", "event_missing", step=step)])

    runs: list[StepRun] = []
    divergence: Divergence | None = None
    try:
        for run in reexecute(session, instance, events, settings=settings, upto_seq=step):
            runs.append(run)
    except ReexecutionFailed as exc:
        divergence = exc.divergence
    def run_at(seq: int) -> StepRun | None:
        return next((r for r in reversed(runs) if r.first_seq <= seq), None)
    current, previous = run_at(step), run_at(step - 1)
    # The version in force at this step: the one the last re-executed step left (migrations move it).
    version = current.version if current else first_version(session, instance, events)
    case = session.get(Case, instance.case_id) if instance.case_id else None
    data = current.result.data if current else None
    prev_data = previous.result.data if previous else {}
    in_step = current is not None and current.last_seq >= step
    step_events = [e for e in events if current.first_seq <= e.seq <= current.last_seq] if in_step else [event]
    state = {
        "instance": {"id": instance.id, "process_id": instance.process_id, "status": instance.status,
                     "case_id": instance.case_id, "registration_number": case.registration_number if case else None},
        "version": {"id": version.id, "version": version.version, "name": version.name, "sha256": version.sha256},
        "diagram_url": f"/api/v1/audit/versions/{version.id}/diagram",
        "step": step, "steps": last,
        "event": _event_dict(event),
        "step_events": [_event_dict(e) for e in step_events],
        **path_at(events, version, step),
        "data": data,
        "changes": _changes(prev_data, data) if data is not None else None,
        "verified_to_here": divergence is None or divergence.seq > step,
        "divergence": divergence.to_dict() if divergence else None,
    }
    state["readable"] = readable_step(version, events, state, prev_data, service_labels)
    return state
