"""Persisting one engine step: state, status, task projection, waiting messages, outbox, events.

Everything a step changed is written in the caller's transaction, so a step happens completely
or not at all; the instance's ``lock_version`` makes a concurrent step on the same instance fail
at commit instead of overwriting it.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from ..agencies import agency_for_lane
from ..engine import StepResult
from ..events import service as events
from ..messages.models import Message
from ..notify.service import queue_mail_for_step
from ..registry.models import ProcessVersion
from ..timeutil import utcnow
from .models import Case, ProcessInstance, Task, WaitingMessage
from .case_search import note_search_text
from .routing import note_residence, route_task


def apply_step(session, instance: ProcessInstance, version: ProcessVersion, result: StepResult, *,
               actor: str, message_ttl_hours: float, leading_events: list[dict] | None = None,
               open_tasks: list[Task] | None = None) -> list[Task]:
    """Write the step; returns the instance's open tasks after it, oldest first (for the answer).

    ``open_tasks``: the instance's ready task rows before the step, when the caller loaded them already."""
    # One flush at commit instead of one per query below: the rows are written together anyway.
    with session.no_autoflush:
        return _apply(session, instance, version, result, actor=actor, message_ttl_hours=message_ttl_hours,
                      leading_events=leading_events, open_tasks=open_tasks)


def _apply(session, instance, version, result: StepResult, *, actor: str, message_ttl_hours: float,
           leading_events: list[dict] | None, open_tasks: list[Task] | None) -> list[Task]:
    now = utcnow()
    instance.state = result.state
    instance.status = result.status
    instance.data = result.data
    instance.error = result.error
    instance.next_timer_at = result.next_timer_at if result.status in ("running", "waiting") else None
    instance.updated_at = now

    step_events = [{"actor": actor, "at": now, **extra} for extra in leading_events or []]
    step_events += [dict(type=ev.type, actor=actor if ev.type == "task_completed" else _engine_actor(ev.type, actor),
                         task_id=ev.task_id, bpmn_id=ev.bpmn_id, lane=ev.lane, data=ev.data,
                         state_hash=result.state_hash, at=now) for ev in result.events]

    open_tasks = _sync_tasks(session, instance, version, result, actor=actor, now=now, open_tasks=open_tasks)
    queue_mail_for_step(session, instance, result)      # e-mails about the tasks just made (app/notify/)
    _sync_waiting(session, instance, result)
    source = _source_organisation(session, result) if result.outgoing else None
    for msg in result.outgoing:
        # A message goes to the sender's own case, whatever its payload or the task data say about case_id.
        payload = {**msg.payload, "case_id": instance.case_id} if "case_id" in msg.payload else msg.payload
        session.add(Message(name=msg.name, case_id=instance.case_id, correlation={"case_id": instance.case_id},
                            correlation_keys=msg.correlations, payload=payload, source_instance_id=instance.id,
                            sender=f"instance:{instance.id}", sender_organisation=source, status="pending",
                            expires_at=now + timedelta(hours=message_ttl_hours)))
    # Last, so that the step's first statement stays _sync_waiting's (see there): one INSERT for all events.
    events.append_all(session, instance, step_events)
    return open_tasks


def _source_organisation(session, result: StepResult) -> str | None:
    """The unit a diagram's message comes from: the organisation of the task whose completion threw it (the
    engine does not say which lane threw). A step no person set off (a timer, a message) names none."""
    for ev in result.events:
        if ev.type == "task_completed" and ev.task_id:
            task = session.get(Task, ev.task_id)
            if task is not None and task.organisation:
                return task.organisation
    return None


def _engine_actor(event_type: str, actor: str) -> str:
    # What the engine did on its own (gateways, timers, messages) is the system's act; what a
    # person's completion set in motion within the same step is still recorded under the person.
    return "system" if event_type in ("timer_fired", "overdue", "message_received", "incident") else actor


def _sync_tasks(session, instance, version, result: StepResult, *, actor: str, now,
                open_tasks: list[Task] | None) -> list[Task]:
    if open_tasks is None:
        open_tasks = session.scalars(select(Task).where(Task.instance_id == instance.id, Task.state == "ready"))
    open_rows = {t.id: t for t in open_tasks}
    ready_ids = {t.task_id for t in result.ready_tasks}
    completed = {e.task_id: e for e in result.events if e.type == "task_completed"}
    for task_id, row in open_rows.items():
        if task_id in ready_ids:
            continue
        row.state = "completed" if task_id in completed else "cancelled"
        row.completed_by = actor if task_id in completed else None
        row.completed_at = now
        row.draft = None
    overdue = {e.task_id for e in result.events if e.type == "overdue"}
    case = session.get(Case, instance.case_id) if instance.case_id else None
    note_residence(case, result.data)
    note_search_text(case, result.data)
    still_open = []
    for t in result.ready_tasks:
        row = open_rows.get(t.task_id)
        if row is not None:
            if row.due_at != t.due_at:
                row.due_at = t.due_at
            if t.task_id in overdue and row.overdue_since is None:
                row.overdue_since = now
            still_open.append(row)
            continue
        element = version.element(t.bpmn_id) or {}
        agency = agency_for_lane(t.lane)
        still_open.append(Task(
            id=t.task_id, instance_id=instance.id, case_id=instance.case_id, process_id=instance.process_id,
            bpmn_id=t.bpmn_id, name=t.name, lane=t.lane, agency=agency,
            organisation=route_task(session, instance=instance, case=case, agency=agency, now=now),
            required_role=t.properties.get("requiredRole"), form=t.properties.get("formJsonSchemaFilename"),
            ui_form=t.properties.get("formUiSchemaFilename"), instructions=t.instructions,
            clauses=element.get("clauses", []), state="ready", created_at=now, due_at=t.due_at))
        session.add(still_open[-1])
    return sorted(still_open, key=lambda row: row.created_at)


def _sync_waiting(session, instance, result: StepResult) -> None:
    expects = result.waiting_correlations
    if result.waiting_before is not None:
        # The engine's own account of what the instance waited for before the step: the rows below are only ever
        # written from it (in the step's transaction), so they say the same, without a query.
        before = result.waiting_before
    else:
        before = dict(session.execute(select(WaitingMessage.name, WaitingMessage.correlation_keys)
                                      .where(WaitingMessage.instance_id == instance.id)).all())
    if before == {n: expects.get(n) for n in result.waiting_messages}:
        return                      # waiting for the same as before (most steps): nothing to write
    new = sorted(n for n in result.waiting_messages if n not in before or before[n] != expects.get(n))
    if new and instance.case_id:
        # A new catch may take what found no matching one before: the router looks at those again. Pending
        # ones are included so that, on PostgreSQL, this waits for a router holding one and then undoes the
        # verdict it wrote. First statement of the step, so it holds no lock a router could be waiting for.
        session.execute(update(Message).where(Message.case_id == instance.case_id, Message.name.in_(new),
                                              Message.status.in_(("pending", "waiting")))
                        .values(waiting_reason=None).execution_options(synchronize_session=False))
    session.execute(delete(WaitingMessage).where(WaitingMessage.instance_id == instance.id))
    for name in result.waiting_messages:
        session.add(WaitingMessage(instance_id=instance.id, name=name, case_id=instance.case_id,
                                   correlation_keys=expects.get(name)))
