"""Running one step of one workflow and saying, in plain data, what the step did.

Every change to an instance goes through ``Runner``: start, complete a user task, fire due
timers, deliver a message, withdraw (cancel) it. Each returns a ``StepResult`` — the events to append, the messages to
send, the ready user tasks, the next timer, the status — computed by comparing the task tree
before and after. The caller persists all of it in one transaction; nothing here touches a
database or knows about HTTP.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from . import clock
from .correlation import receiver_keys, waiting_expectations
from .sandbox import DiagramFunctions, SandboxEnvironment, ScriptFailed, ScriptLimits, ScriptRefused, ScriptStopped
from .serialization import Unstorable, find_unstorable, workflow_from_json, workflow_to_json

TIMER_TYPES = {"TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition"}


class TaskNotReady(Exception):
    """The task is not (or no longer) waiting for a person."""


class UnknownTask(Exception):
    """No task with that id in this instance."""


_KINDS = {"generator": "a generator", "set": "a set", "frozenset": "a set", "bytes": "bytes",
          "bytearray": "bytes", "type": "a class", "function": "a function", "date": "a date without a time",
          "Decimal": "a decimal number"}


class UnstorableData(Exception):
    """Diagram code left task data that JSON cannot hold, so the step's state cannot be saved.

    Raised instead of a result: the caller keeps the instance as it was before the step. The
    message names the element, the variable and its type, never the value (it may be a child's data)."""

    def __init__(self, bpmn_id: str | None, variable: str | None, kind: str):
        where = f"{bpmn_id}: " if bpmn_id else ""
        what = _KINDS.get(kind, f"a value of type {kind}")
        text = (f"{where}variable {variable!r} holds {what}, which cannot be stored" if variable else
                f"{where}the step left {what} in the task data, which cannot be stored")
        super().__init__(text)
        self.bpmn_id, self.variable, self.kind = bpmn_id, variable, kind


@dataclass
class EngineEvent:
    type: str
    task_id: str | None = None
    bpmn_id: str | None = None
    name: str | None = None
    lane: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class OutgoingMessage:
    name: str
    payload: dict[str, Any]
    # the keys the sender's retrieval expressions computed from the payload ({key: {property: value}});
    # None when unknown (a message from outside, or a sender declaring none): the receiver computes them
    correlations: dict[str, dict[str, Any]] | None = None


@dataclass
class ReadyTask:
    task_id: str
    bpmn_id: str
    name: str | None
    lane: str | None
    due_at: datetime | None
    properties: dict[str, str]
    instructions: str | None
    data: dict[str, Any]


@dataclass
class StepResult:
    status: str                                   # running | waiting | completed | error | cancelled
    state: str                                    # serialized instance state
    data: dict[str, Any]                          # the instance's current data
    state_hash: str
    events: list[EngineEvent] = field(default_factory=list)
    outgoing: list[OutgoingMessage] = field(default_factory=list)
    ready_tasks: list[ReadyTask] = field(default_factory=list)
    next_timer_at: datetime | None = None
    waiting_messages: list[str] = field(default_factory=list)
    # per message name waited for: the correlation keys a message must match (any one), None for any message
    waiting_correlations: dict[str, list | None] = field(default_factory=dict)
    # what the instance waited for before the step, in the same shape ({name: correlations}); None when the
    # step did not start from a stored state (describe): the caller's projection then says
    waiting_before: dict[str, list | None] | None = None
    error: str | None = None


def _parse_instant(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, dict):                   # cycle timers keep {'next': iso, ...}
        value = value.get("next")
    try:
        instant = value if isinstance(value, datetime) else TimerEventDefinition.get_datetime(str(value))
    except ValueError:
        return None
    # SpiffWorkflow's timer module hands back the engine clock's datetime subclass: normalise it.
    return datetime.fromtimestamp(instant.timestamp(), tz=timezone.utc)


def state_hash(data: Mapping[str, Any]) -> str:
    """A stable fingerprint of instance data, for replay verification."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Runner:
    """Executes steps on workflows of one compiled version."""

    def __init__(self, spec, subprocess_specs: dict,
                 functions: DiagramFunctions | Callable[[], Mapping[str, Callable]]):
        self.spec = spec
        self.subprocess_specs = subprocess_specs
        self._functions = functions
        self.limits = functions.limits if isinstance(functions, DiagramFunctions) else ScriptLimits()

    # -- building and restoring --------------------------------------------------------------
    def _engine(self) -> PythonScriptEngine:
        return PythonScriptEngine(environment=SandboxEnvironment(
            self._functions(), time_limit_s=self.limits.seconds, memory_mb=self.limits.memory_mb))

    def load(self, state: str) -> BpmnWorkflow:
        wf = workflow_from_json(state, self.spec, self.subprocess_specs)
        wf.script_engine = self._engine()
        return wf

    # -- the kinds of step ---------------------------------------------------------------------
    def start(self, data: Mapping[str, Any], *, message: OutgoingMessage | None = None,
              at: datetime | None = None) -> StepResult:
        wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self._engine())
        wf.task_tree.data.update(dict(data))
        started = [EngineEvent("instance_started", data=dict(data))]

        def act():
            wf.do_engine_steps()
            if message is not None:
                event = self._message_event(message)
                if not wf.get_tasks(state=TaskState.WAITING, catches_event=event):
                    raise TaskNotReady(f"this process does not start on message {message.name!r}")
                wf.catch(event)
                wf.do_engine_steps()
        return self._step(wf, act, at=at, before=None, leading=started)

    def complete(self, state: str, task_id: str, data: Mapping[str, Any], *,
                 at: datetime | None = None) -> StepResult:
        wf = self.load(state)
        task = self._ready_user_task(wf, task_id)
        submitted = dict(data)

        def act():
            task.data.update(submitted)
            task.run()
            wf.do_engine_steps()
        return self._step(wf, act, at=at, completed_by_person={str(task.id): submitted})

    def fire_timers(self, state: str, *, at: datetime | None = None) -> StepResult:
        wf = self.load(state)

        def act():
            wf.refresh_timers()
            wf.do_engine_steps()
        return self._step(wf, act, at=at)

    def deliver(self, state: str, message: OutgoingMessage, *, at: datetime | None = None) -> StepResult | None:
        """Deliver a message to a waiting catch; None when nothing in this instance waits for it."""
        wf = self.load(state)
        event = self._message_event(message, wf)
        if not wf.get_tasks(state=TaskState.WAITING, catches_event=event):
            return None

        def act():
            wf.catch(event)
            wf.do_engine_steps()
        return self._step(wf, act, at=at)

    def withdraw(self, state: str, *, note: Mapping[str, Any], at: datetime | None = None) -> StepResult:
        """Cancel the whole workflow (a registration withdrawn as made in error): every open task, timer and
        catch is cancelled by SpiffWorkflow itself, so re-execution from the log cancels it the same way.
        ``note`` (the withdrawal's reason and who) leads the step's events; the data stays as it was."""
        wf = self.load(state)
        return self._step(wf, wf.cancel, at=at, leading=[EngineEvent("registration_withdrawn", data=dict(note))],
                          status="cancelled")

    def describe(self, state: str) -> StepResult:
        """The instance as it stands, without running anything."""
        wf = self.load(state)
        return self._result(wf, [], status=None)

    # -- internals ---------------------------------------------------------------------------------
    @staticmethod
    def _message_event(message: OutgoingMessage, receiver: BpmnWorkflow | None = None) -> BpmnEvent:
        keys = message.correlations
        if not keys and receiver is not None:
            keys = receiver_keys(receiver, message.name, message.payload)
        return BpmnEvent(MessageEventDefinition(message.name), payload=dict(message.payload), correlations=keys)

    @staticmethod
    def _ready_user_task(wf: BpmnWorkflow, task_id: str):
        try:
            task = wf.get_task_from_id(UUID(str(task_id)))
        except (ValueError, KeyError, TaskNotReady):
            task = None
        if task is None:
            raise UnknownTask(task_id)
        if task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(f"task {task.task_spec.bpmn_id} is {TaskState.get_name(task.state)}, not READY")
        return task

    def _step(self, wf: BpmnWorkflow, act: Callable[[], None], *, at: datetime | None,
              before: dict | None = ..., leading: list[EngineEvent] | None = None,
              completed_by_person: dict[str, dict] | None = None, status: str | None = None) -> StepResult:
        before_states = _states(wf) if before is ... else {}
        waiting_before = _waiting(wf)
        events = list(leading or [])
        error = None
        with clock.pinned_at(at):
            try:
                act()
            except (TaskNotReady, UnknownTask):
                raise
            except (WorkflowException, SpiffWorkflowException, ScriptRefused, ScriptStopped, ScriptFailed,
                    NameError, TypeError, ValueError, KeyError, ZeroDivisionError, AttributeError) as exc:
                error = _describe_error(exc)
            events += _diff(wf, before_states, completed_by_person or {})
            # Only messages leave the instance; other unmatched events (e.g. what a terminate end event
            # leaves behind in SpiffWorkflow 3.2) are internal to it.
            outgoing = [OutgoingMessage(e.event_definition.name, _jsonable(e.payload),
                                        _jsonable(e.correlations) or None)
                        for e in wf.get_events() if isinstance(e.event_definition, MessageEventDefinition)]
            for msg in outgoing:
                events.append(EngineEvent("message_sent", data={"name": msg.name, "payload": msg.payload}))
            if error:
                events.append(EngineEvent("incident", data={"error": error}))
            elif wf.is_completed() and status is None:
                events.append(EngineEvent("instance_completed"))
            try:
                result = self._result(wf, events, status="error" if error else status, outgoing=outgoing, error=error)
                result.waiting_before = waiting_before
                return result
            except Unstorable as exc:
                raise UnstorableData(*(find_unstorable(wf) or (None, None, exc.kind))) from None

    def _result(self, wf, events, *, status, outgoing=(), error=None) -> StepResult:
        ready = []
        for t in wf.get_tasks(state=TaskState.READY, manual=True):
            ext = getattr(t.task_spec, "extensions", {}) or {}
            ready.append(ReadyTask(
                task_id=str(t.id), bpmn_id=t.task_spec.bpmn_id, name=t.task_spec.bpmn_name,
                lane=t.task_spec.lane, due_at=_due_at(t), properties=dict(ext.get("properties", {})),
                instructions=ext.get("instructionsForEndUser"), data=_jsonable(t.data)))
        timers, messages = [], []
        for pending in wf.waiting_events():
            if pending.event_type in TIMER_TYPES:
                due = _parse_instant(pending.value)
                if due:
                    timers.append(due)
            elif pending.event_type == "MessageEventDefinition":
                messages.append(pending.name)
        if status is None:
            status = "completed" if wf.is_completed() else ("running" if ready else "waiting")
        data = _instance_data(wf)
        return StepResult(status=status, state=workflow_to_json(wf), data=data, state_hash=state_hash(data),
                          events=events, outgoing=list(outgoing), ready_tasks=ready,
                          next_timer_at=min(timers) if timers else None,
                          waiting_messages=sorted(set(messages)),
                          waiting_correlations=waiting_expectations(wf.waiting_events()), error=error)


def _waiting(wf) -> dict[str, list | None]:
    """The messages the workflow waits for, with the correlations each expects (as StepResult states them)."""
    pending = wf.waiting_events()
    expects = waiting_expectations(pending)
    return {name: expects.get(name) for name in sorted({p.name for p in pending
                                                        if p.event_type == "MessageEventDefinition"})}


def _describe_error(exc: Exception) -> str:
    spec = getattr(getattr(exc, "task", None), "task_spec", None)
    where = f"{spec.bpmn_id}: " if spec is not None and getattr(spec, "bpmn_id", None) else ""
    return f"{where}{exc}"


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def _states(wf) -> dict[UUID, int]:
    return {t.id: t.state for t in wf.get_tasks()}


def _due_at(task) -> datetime | None:
    """The deadline of a user task: the earliest timer on a boundary event attached to it."""
    dues = []
    for sibling in task.parent.children if task.parent else []:
        spec = sibling.task_spec
        if sibling is task or type(spec).__name__ != "BoundaryEvent":
            continue
        if type(spec.event_definition).__name__ in TIMER_TYPES:
            due = _parse_instant(sibling._get_internal_data("event_value"))
            if due:
                dues.append(due)
    return min(dues) if dues else None


def _instance_data(wf) -> dict[str, Any]:
    """The data a person would call 'the case so far': the last completed task's data."""
    if wf.is_completed():
        return _jsonable(wf.data or _last_completed(wf))
    return _jsonable(_last_completed(wf))


def _last_completed(wf) -> dict:
    done = [t for t in wf.get_tasks(state=TaskState.COMPLETED)]
    if not done:
        return dict(wf.task_tree.data)
    return dict(max(done, key=lambda t: t.last_state_change).data)


def _diff(wf, before: dict, by_person: dict[str, dict]) -> list[EngineEvent]:
    """Events for what changed in the task tree, in the order the engine changed it."""
    events: list[EngineEvent] = []
    changed = sorted((t for t in wf.get_tasks() if before.get(t.id) != t.state), key=lambda t: t.last_state_change)
    for t in changed:
        spec = t.task_spec
        bpmn_id = getattr(spec, "bpmn_id", None)
        if not bpmn_id:
            continue
        common = dict(task_id=str(t.id), bpmn_id=bpmn_id, name=getattr(spec, "bpmn_name", None),
                      lane=getattr(spec, "lane", None))
        kind = type(spec).__name__
        definition = type(getattr(spec, "event_definition", None)).__name__
        if t.state == TaskState.READY and spec.manual:
            events.append(EngineEvent("task_ready", **common))
        elif t.state == TaskState.COMPLETED:
            if str(t.id) in by_person:
                events.append(EngineEvent("task_completed", data=by_person[str(t.id)], **common))
            elif definition in TIMER_TYPES:
                events.append(EngineEvent("timer_fired", **common))
                if kind == "BoundaryEvent":
                    attached = _attached_task(t)
                    if attached is not None and attached.state not in (TaskState.COMPLETED, TaskState.CANCELLED):
                        events.append(EngineEvent("overdue", task_id=str(attached.id),
                                                  bpmn_id=attached.task_spec.bpmn_id,
                                                  name=attached.task_spec.bpmn_name,
                                                  lane=attached.task_spec.lane,
                                                  data={"timer": bpmn_id}))
            elif definition == "MessageEventDefinition" and not spec.event_definition.expression \
                    and kind in ("StartEvent", "IntermediateCatchEvent", "BoundaryEvent", "ReceiveTask"):
                events.append(EngineEvent("message_received", data={"name": spec.event_definition.name}, **common))
            else:
                events.append(EngineEvent("activity_completed", **common))
        elif t.state == TaskState.CANCELLED and before.get(t.id) in (TaskState.READY, TaskState.WAITING):
            events.append(EngineEvent("task_cancelled", **common))
    return events


def _attached_task(boundary_task):
    for sibling in boundary_task.parent.children if boundary_task.parent else []:
        if type(sibling.task_spec).__name__ not in ("BoundaryEvent",) and sibling is not boundary_task:
            return sibling
    return None
