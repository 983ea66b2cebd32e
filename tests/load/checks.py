"""What "nothing lost, nothing doubled" means, read straight from the database."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select


def api_on(api, base: str):
    """The same user's client, pointed at another server (gunicorn instead of the test's werkzeug)."""
    from support import Api
    return Api(base, api.http.headers["Authorization"][7:], api.username)


def snapshot(app) -> dict:
    """Per instance: event types, the chain's first fault, and the task projection against the engine."""
    from app.events.models import Event
    from app.events.service import verify_chain
    from app.extensions import db
    from app.instances.models import ProcessInstance, Task
    from app.messages.models import Message
    from app.registry.models import ProcessVersion
    from app.registry.service import runner_for
    with app.app_context():
        try:
            out = {"instances": {}, "messages": [], "tasks": {}}
            events_by = {}
            for e in db.session.scalars(select(Event).order_by(Event.instance_id, Event.seq)):
                events_by.setdefault(e.instance_id, []).append(e)
            for inst in db.session.scalars(select(ProcessInstance)):
                evs = events_by.get(inst.id, [])
                version = db.session.get(ProcessVersion, inst.version_id)
                engine_ready = {t.task_id for t in runner_for(version, lambda: {}).describe(inst.state).ready_tasks} \
                    if inst.status in ("running", "waiting") else set()
                projected = set(db.session.scalars(select(Task.id).where(Task.instance_id == inst.id,
                                                                         Task.state == "ready")))
                out["instances"][inst.id] = {
                    "process_id": inst.process_id, "case_id": inst.case_id, "status": inst.status,
                    "types": Counter(e.type for e in evs), "events": [(e.type, e.task_id) for e in evs],
                    "delivered": [e.data.get("message_id") for e in evs if e.type == "message_delivered"],
                    "chain_fault": verify_chain(evs, last_seq=inst.last_seq, last_hash=inst.last_hash),
                    "projection_matches": engine_ready == projected, "next_timer_at": inst.next_timer_at}
            for m in db.session.scalars(select(Message).order_by(Message.id)):
                out["messages"].append({"id": m.id, "name": m.name, "case_id": m.case_id, "status": m.status,
                                        "delivered_to": m.delivered_to or [], "source": m.source_instance_id})
            for t in db.session.scalars(select(Task)):
                out["tasks"][t.id] = {"state": t.state, "instance_id": t.instance_id, "bpmn_id": t.bpmn_id}
            return out
        finally:
            db.session.remove()


def assert_consistent(snap: dict) -> None:
    """Every chain intact; every projection equal to the engine's own view; no task completed twice."""
    faults = {i: s["chain_fault"] for i, s in snap["instances"].items() if s["chain_fault"]}
    assert not faults, faults
    mismatched = [i for i, s in snap["instances"].items() if not s["projection_matches"]]
    assert not mismatched, mismatched
    completions = Counter(task_id for s in snap["instances"].values() for t, task_id in s["events"]
                          if t == "task_completed")
    assert not [t for t, n in completions.items() if n > 1], "a task was completed twice"
    for task_id in completions:
        assert snap["tasks"][task_id]["state"] == "completed"
    started_by = Counter(i for m in snap["messages"] for i in m["delivered_to"])
    for m in snap["messages"]:
        assert len(m["delivered_to"]) == len(set(m["delivered_to"])), m
        assert (m["status"] == "delivered") == bool(m["delivered_to"]), m
        for i in m["delivered_to"]:
            inst = snap["instances"][i]
            # reached a waiting instance exactly once, or started it (and no other message did)
            assert inst["delivered"].count(m["id"]) == 1 or (m["id"] not in inst["delivered"] and started_by[i] == 1
                                                             and inst["events"][0][0] == "instance_started"), (m, inst)
    for i, inst in snap["instances"].items():
        for mid in inst["delivered"]:
            assert any(m["id"] == mid and i in m["delivered_to"] for m in snap["messages"]), (i, mid)
