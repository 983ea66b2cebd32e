"""Re-executing an instance from its pinned version and the inputs its log recorded, step by step.

The log is read as a sequence of engine steps, each opened by its input:
``instance_started`` (the initial data), ``task_completed`` (the form a person submitted),
``timer_fired`` (the worker's clock reached a deadline), ``message_delivered`` (the payload of
a message, which may also start the instance) or ``registration_withdrawn`` (the registrant cancelled
the case's work as registered in error: the engine cancels the workflow again). Every step is run again on a fresh engine with
the clock pinned at the recorded instant, and the events it yields are matched one by one with
the recorded ones; the state hash after the step must equal the recorded one.

Task ids are UUIDs SpiffWorkflow draws at run time, so the rebuilt instance has other ids: a
recorded task is matched to its rebuilt twin by the position of its ``task_ready`` event (same
BPMN id, same order), and failing that by BPMN id among the ready tasks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from sqlalchemy import select

from ..engine import OutgoingMessage, StepResult, TaskNotReady, UnknownTask, clock, state_hash
from ..events.models import Event
from ..instances.environment import Settings, engine_functions
from ..registry.models import ProcessVersion
from ..registry.service import runner_for
from ..problems import english, worded

STEP_OPENERS = {"instance_started": "start", "task_completed": "complete", "timer_fired": "timer",
                "message_delivered": "deliver", "instance_migrated": "migrate",
                "registration_withdrawn": "withdraw"}


@dataclass
class Divergence:
    """The first point where the log and its re-execution disagree. ``code`` and ``params`` name the reason
    for any language (app/problems.py's VERIFICATION); ``reason`` is its English sentence."""
    seq: int
    reason: str
    code: str | None = None
    params: dict | None = None

    @classmethod
    def coded(cls, seq: int, code: str, /, **params) -> "Divergence":
        return cls(seq, english(code, params), code, params)

    def worded(self, lang: str | None) -> str:
        return worded(self.code, self.params or {}, lang) if self.code else self.reason

    def to_dict(self) -> dict:
        out = {"seq": self.seq, "reason": self.reason}
        if self.code:
            out.update(code=self.code, params=self.params or {})
        return out


@dataclass
class StepRun:
    """One re-executed step: the recorded events it covers and what the engine gave again."""
    kind: str                      # start | complete | timer | deliver | migrate | withdraw
    first_seq: int
    last_seq: int
    at: datetime
    actor: str
    result: StepResult
    version: ProcessVersion        # the version the instance ran on after this step
    task_ids: dict[str, str] = field(default_factory=dict)   # rebuilt task id -> recorded task id


class ReexecutionFailed(Exception):
    def __init__(self, divergence: Divergence):
        super().__init__(f"seq {divergence.seq}: {divergence.reason}")
        self.divergence = divergence


def first_version(session, instance, events: list[Event]) -> ProcessVersion:
    """The version the instance started on: its own, unless a process owner migrated it since."""
    migrated = next((e for e in events if e.type == "instance_migrated"), None)
    if migrated is None:
        return session.get(ProcessVersion, instance.version_id)
    return _version(session, instance.process_id, migrated, "from")


def _version(session, process_id: str, e: Event, side: str) -> ProcessVersion:
    number, sha = (e.data or {}).get(f"{side}_version"), (e.data or {}).get(f"{side}_sha256")
    version = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                          ProcessVersion.version == number))
    if version is None or (sha and version.sha256 != sha):
        raise ReexecutionFailed(Divergence.coded(e.seq, "version_not_recorded", version=number, process_id=process_id))
    return version


def reexecute(session, instance, events: list[Event], *, settings: Settings,
              upto_seq: int | None = None) -> Iterator[StepRun]:
    """Yield each step re-executed, in order; raise ``ReexecutionFailed`` at the first divergence.

    ``upto_seq`` stops after the step that contains that sequence number (replay at step N).
    """
    functions = engine_functions(session, settings)
    version = first_version(session, instance, events)
    runner = runner_for(version, functions)
    recorded_to_rebuilt: dict[str, str] = {}
    state: str | None = None
    i = 0
    while i < len(events):
        e = events[i]
        if upto_seq is not None and e.seq > upto_seq:
            return
        if e.type not in STEP_OPENERS and e.state_hash is None:
            i += 1                 # a claim, a release, a hand-over: recorded, but no engine step
            continue
        if e.type not in STEP_OPENERS:
            raise ReexecutionFailed(Divergence.coded(e.seq, "unexplained_event", event=_what(e)))
        first, message = e, None
        if e.type == "message_delivered":
            payload = (e.data or {}).get("payload")
            if not isinstance(payload, dict):
                raise ReexecutionFailed(Divergence.coded(e.seq, "payload_not_recorded"))
            message = OutgoingMessage(str(e.data.get("name")), payload, e.data.get("correlations") or None)
            i += 1
            if i >= len(events):
                raise ReexecutionFailed(Divergence.coded(e.seq, "delivery_without_step"))
            e = events[i]
        if e.type == "instance_migrated":
            if state is None:
                raise ReexecutionFailed(Divergence.coded(e.seq, "migration_before_start"))
            version, runner, result = _migrate(session, instance, e, state, runner, functions)
            i += 1
        else:
            result = _run(runner, state, e, message, recorded_to_rebuilt)
        run = StepRun(kind="deliver" if message and state is not None else STEP_OPENERS[e.type],
                      first_seq=first.seq, last_seq=e.seq, at=first.at, actor=e.actor, result=result,
                      version=version)
        if e.type != "instance_migrated":
            i = _match(events, i, first, result, recorded_to_rebuilt, run)
        run.last_seq = events[i - 1].seq
        state = result.state
        yield run


def _migrate(session, instance, e: Event, state: str, runner, functions):
    """Move the rebuilt workflow as the process owner moved the recorded one."""
    from ..engine.migration import MigrationRefused, migrate
    target = _version(session, instance.process_id, e, "to")
    new_runner = runner_for(target, functions)
    try:
        moved = migrate(state, runner, new_runner)
    except MigrationRefused as exc:
        raise ReexecutionFailed(Divergence.coded(e.seq, "migration_refused_again", reason=str(exc))) from None
    result = new_runner.describe(moved)
    if result.state_hash != e.state_hash:
        raise ReexecutionFailed(Divergence.coded(e.seq, "hash_after_migration"))
    return target, new_runner, result


def _run(runner, state: str | None, e: Event, message: OutgoingMessage | None, ids: dict) -> StepResult:
    at = e.at
    try:
        with clock.pinned_at(at):
            if e.type == "instance_started":
                if state is not None:
                    raise ReexecutionFailed(Divergence.coded(e.seq, "second_start"))
                return runner.start(dict(e.data or {}), message=message, at=at)
            if state is None:
                raise ReexecutionFailed(Divergence.coded(e.seq, "log_not_started"))
            if message is not None:
                result = runner.deliver(state, message, at=at)
                if result is None:
                    raise ReexecutionFailed(Divergence.coded(
                        e.seq, "nothing_waits_for_message", message=message.name))
                return result
            if e.type == "task_completed":
                return runner.complete(state, _rebuilt_task(runner, state, e, ids), dict(e.data or {}), at=at)
            if e.type == "timer_fired":
                return runner.fire_timers(state, at=at)
            if e.type == "registration_withdrawn":
                return runner.withdraw(state, note=dict(e.data or {}), at=at)
    except (TaskNotReady, UnknownTask) as exc:
        raise ReexecutionFailed(Divergence.coded(e.seq, "task_not_ready_again", task=e.bpmn_id, reason=str(exc))) from None
    raise ReexecutionFailed(Divergence.coded(e.seq, "event_opens_no_step", event=_what(e)))


def _rebuilt_task(runner, state: str, e: Event, ids: dict) -> str:
    if e.task_id in ids:
        return ids[e.task_id]
    ready = [t.task_id for t in runner.describe(state).ready_tasks if t.bpmn_id == e.bpmn_id]
    if not ready:
        raise ReexecutionFailed(Divergence.coded(e.seq, "no_task_waiting", task=e.bpmn_id))
    return ready[0]


def _match(events: list[Event], i: int, first: Event, result: StepResult, ids: dict, run: StepRun) -> int:
    """Match the step's events with the recorded ones from index ``i``; returns the index after them."""
    for got in result.events:
        if i >= len(events):
            raise ReexecutionFailed(Divergence.coded(events[-1].seq + 1, "log_ends_early",
                                                     got=f"{got.type}{' ' + got.bpmn_id if got.bpmn_id else ''}"))
        r = events[i]
        if (r.type, r.bpmn_id) != (got.type, got.bpmn_id):
            raise ReexecutionFailed(Divergence.coded(r.seq, "event_differs", event=_what(r),
                                                     got=f"{got.type}{' ' + got.bpmn_id if got.bpmn_id else ''}"))
        if r.at != first.at:
            raise ReexecutionFailed(Divergence.coded(r.seq, "event_other_instant", event=_what(r)))
        if r.state_hash != result.state_hash:
            raise ReexecutionFailed(Divergence.coded(r.seq, "state_hash_differs", recorded=str(r.state_hash)[:12],
                                                     got=result.state_hash[:12]))
        if got.type in ("message_sent", "incident") and (r.data or {}) != (got.data or {}):
            raise ReexecutionFailed(Divergence.coded(r.seq, "event_other_data", event=_what(r)))
        if got.task_id and r.task_id:
            ids[r.task_id] = got.task_id
            run.task_ids[got.task_id] = r.task_id
        i += 1
    if i < len(events) and events[i].state_hash is not None and events[i].type not in STEP_OPENERS \
            and events[i].at == first.at:
        raise ReexecutionFailed(Divergence.coded(events[i].seq, "step_ends_early", event=_what(events[i])))
    return i


def final_check(instance, last: StepRun | None) -> Divergence | None:
    """The instance row must hold what the last step left: its data and its status."""
    if last is None:
        return Divergence.coded(1, "no_step_reexecuted")
    if state_hash(instance.data or {}) != last.result.state_hash:
        return Divergence.coded(instance.last_seq, "stored_data_differs")
    if instance.status != last.result.status:
        return Divergence.coded(instance.last_seq, "status_differs", status=instance.status, got=last.result.status)
    return None


def _what(e: Event) -> str:
    return f"{e.type}{' ' + e.bpmn_id if e.bpmn_id else ''}"
