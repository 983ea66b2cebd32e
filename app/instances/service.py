"""Starting instances and completing their user tasks, with the Guide's access rules.

Each public function is one unit of work: it checks who may do it, runs one engine step,
persists it with ``apply_step`` and commits — or changes nothing and raises a domain error.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import territories
from ..calendar import to_local
from ..engine import OutgoingMessage, TaskNotReady, UnknownTask, UnstorableData, clock
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..problems import field
from ..events import service as events
from ..forms.known import fill_known
from ..organisations.service import names as organisation_names
from ..forms.validation import validate_form
from ..incidents.service import task_failed
from ..registry.models import ProcessVersion
from ..registry.service import latest_version, runner_for, version_of
from ..timeutil import utcnow
from ..users.models import User
from .environment import Settings, engine_functions
from .models import Case, ProcessInstance, Task
from .notified import VARIABLE as NOTIFIED
from .notified import agencies_of, notified_column
from ..access import (can_release_task, can_see_task, can_work_task, may_hand_over, may_read_instance, may_receive,
                      require_part_in_case, task_filter)
from .routing import record_participant
from .same_child import check as same_child_check
from .same_child import child_iin
from .steps import apply_step
from .task_forms import form_of

WORKING_ROLES = ("staff", "supervisor")
_CASE_NUMBER_LOCK = 0x51A30000          # + year: the advisory lock that serialises registration numbers


# -- cases ------------------------------------------------------------------------------------------
def open_case(session, *, user: User | None) -> Case:
    """A new case with the next registration number of the year (P6)."""
    year = to_local(utcnow()).year
    prefix = f"{year}-"
    if session.get_bind().dialect.name == "postgresql":
        # Numbers are gapless per year, so openers take turns (until their transaction ends) instead of
        # colliding on max()+1: with half a dozen concurrent starts the retries below ran out (409).
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CASE_NUMBER_LOCK + year})
    for _ in range(5):
        last = session.scalar(select(func.max(Case.registration_number))
                              .where(Case.registration_number.like(f"{prefix}%")))
        number = int(last.split("-")[1]) + 1 if last else 1
        case = Case(id=str(uuid.uuid4()), registration_number=f"{prefix}{number:06d}",
                    opened_by=user.username if user else None, opened_agency=user.agency if user else None,
                    opened_organisation=user.organisation if user else None)
        try:
            with session.begin_nested():
                session.add(case)
            record_participant(session, case.id, case.opened_organisation)
            return case
        except IntegrityError:
            continue
    raise Conflict("number_allocation_failed")


# -- starting -------------------------------------------------------------------------------------------
def start_instance(session, *, process_id: str, data: dict, user: User, settings: Settings) -> ProcessInstance:
    version = latest_version(session, process_id)
    if not user.has_role("admin"):
        if not user.has_role(*WORKING_ROLES):
            raise Forbidden("staff_only_start")
        if user.agency not in (version.start_agencies or []):
            raise Forbidden("start_other_lane", {"agency": user.agency, "process_id": process_id})
    if not isinstance(data, dict):
        raise Invalid("data_not_object", [field("data", "json_object")])
    data = dict(data)
    # Who received the report and when are facts of the start itself (P2, P6): the diagrams branch
    # on the reporting agency and count every deadline from the time of receipt.
    if user.agency:
        data["reporting_agency"] = user.agency
    data.setdefault("received_at", to_local(utcnow()).isoformat())
    if "territory" in data and territories.get(data["territory"]) is None:
        raise Invalid("unknown_territory", [field("data.territory", "kato_code_api")])
    case = _case_for(session, data, user)
    with conflict_guard(session):
        try:
            instance = start_in_transaction(session, version=version, case=case, data=data, actor=user.username,
                                            settings=settings)
        except UnstorableData as exc:
            session.rollback()           # not even the case is opened
            raise Conflict("process_cannot_start", {"reason": str(exc)}) from None
    return instance


def _case_for(session, data: dict, user: User | None) -> Case:
    case_id = data.get("case_id")
    if case_id is None:
        case = open_case(session, user=user)
    else:
        case = session.get(Case, str(case_id))
        if case is None:
            raise Invalid("unknown_case", [field("data.case_id", "no_case", case_id=case_id)])
        require_part_in_case(session, user, case.id)     # joining a case means receiving its notices
        if case.withdrawn_at is not None:                 # registered in error: no new work in it
            raise Conflict("case_withdrawn", {"number": case.registration_number})
    data["case_id"] = case.id
    data["registration_number"] = case.registration_number
    return case


def start_in_transaction(session, *, version: ProcessVersion, case: Case | None, data: dict, actor: str, settings: Settings,
           message: OutgoingMessage | None = None, leading_events: list[dict] | None = None) -> ProcessInstance:
    runner = runner_for(version, engine_functions(session, settings))
    # One instant for the engine and the recorded events, so an auditor's re-execution sees the same clock.
    with clock.pinned_at(utcnow()):
        result = runner.start(data, message=message)
        instance = ProcessInstance(id=str(uuid.uuid4()), process_id=version.process_id, version_id=version.id,
                                   case_id=case.id if case else None, status=result.status, state=result.state,
                                   data=result.data, started_by=actor, last_seq=0, last_hash=events.GENESIS)
        session.add(instance)
        apply_step(session, instance, version, result, actor=actor, message_ttl_hours=settings.message_ttl_hours,
                   leading_events=leading_events, open_tasks=[])         # a new instance has none yet
    return instance


# -- tasks ----------------------------------------------------------------------------------------------
def get_task(session, task_id: str, user: User) -> Task:
    task = session.get(Task, str(task_id))
    if task is None:
        raise NotFound("task_not_found", {"task_id": task_id})
    if not can_see_task(user, task):
        raise Forbidden("task_other_lane")
    return task


def task_data(session, task: Task) -> dict:
    """The data the task's form opens with: the instance's data, then the saved draft."""
    instance = session.get(ProcessInstance, task.instance_id)
    return {**(instance.data or {}), **(task.draft or {})}


def report_date(instance: ProcessInstance, submitted: dict | None = None) -> date:
    """The day the report was received: a child's age is judged on it (P1). The registration form's own
    "received at" wins over the instance's (staff may register a report some days after it came in)."""
    received = (submitted or {}).get("received_at") or (instance.data or {}).get("received_at")
    try:
        return to_local(received).date() if received else to_local(utcnow()).date()
    except (ValueError, TypeError):
        return to_local(utcnow()).date()


@dataclass
class Completed:
    instance: ProcessInstance
    next_tasks: list[Task]          # the instance's open tasks after the step, oldest first


def complete_task(session, *, task_id: str, data: dict, user: User, settings: Settings,
                  same_child: dict | None = None) -> ProcessInstance:
    """``same_child``: staff's answer when the form's ИИН is already another case's (see same_child.py)."""
    return complete(session, task_id=task_id, data=data, user=user, settings=settings, same_child=same_child).instance


@dataclass
class _StepRows:
    task: Task
    instance: ProcessInstance
    case: Case | None
    version: ProcessVersion
    open_tasks: list[Task]          # the instance's ready tasks before the step (the task itself among them)
    notified: list[str]             # notified_agencies of the case


@cache
def _step_query():
    """Built once per process: composing it took more CPU than PostgreSQL took to run it."""
    task_id = bindparam("task_id")
    of_task = select(Task.instance_id).where(Task.id == task_id).scalar_subquery()
    return (select(Task, ProcessInstance, Case, ProcessVersion.sha256, notified_column(ProcessInstance.case_id))
            .join(ProcessInstance, ProcessInstance.id == Task.instance_id)
            .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
            .outerjoin(Case, Case.id == ProcessInstance.case_id)
            .where(Task.instance_id == of_task, (Task.state == "ready") | (Task.id == task_id)))


def _step_rows(session, task_id: str, user: User) -> _StepRows:
    """Everything a completion reads, in one query: the task, its instance's other open tasks, the instance, its
    case, its version's hash (the version row itself comes from the process's cache of immutable rows,
    ``version_of``) and which agencies the case's messages reached. ``get_task``'s checks then find the task
    already loaded."""
    rows = session.execute(_step_query(), {"task_id": str(task_id)}).all()
    task = get_task(session, task_id, user)
    _task, instance, case, sha256, notified = rows[0]
    return _StepRows(task, instance, case, version_of(session, instance.version_id, sha256),
                     [r[0] for r in rows if r[0].state == "ready"], agencies_of(notified))


def complete(session, *, task_id: str, data: dict, user: User, settings: Settings,
             same_child: dict | None = None) -> Completed:
    """Complete a user task: one engine step, written in a few statements and committed once; the rows of
    the answer (the instance, its open tasks) stay loaded instead of being read again."""
    rows = _step_rows(session, task_id, user)
    task, instance, version = rows.task, rows.instance, rows.version
    if not can_work_task(user, task):
        raise Forbidden("task_supervisors_only" if task.required_role else "task_not_yours")
    if task.state != "ready":
        raise Conflict("task_not_waiting", {"state": task.state})
    if task.claimed_by and task.claimed_by != user.username:
        raise Conflict("task_claimed", {"user": task.claimed_by})
    if not isinstance(data, dict):
        raise Invalid("data_not_object", [field("data", "json_object")])
    schema, _ui = form_of(version, task)
    if schema is not None:
        data = fill_known(schema, data, user=user,      # birth date and sex from the ИИН, who acknowledged
                          organisation_name=lambda: organisation_names(session, [user.organisation], "ru").get(
                              user.organisation or ""))
        errors = validate_form(schema, data, report_date=report_date(instance, data))
        if errors:
            invalid = Invalid("the form has errors", [e.as_dict() for e in errors])
            invalid.field_errors = errors        # with their codes, for pages that word them in their language
            raise invalid
    if "case_id" in data:
        # The case an instance belongs to is the service's fact, not a form's: a field named case_id keeps it.
        data = {**data, "case_id": instance.case_id}
    same_child_check(session, case_id=instance.case_id, iin=child_iin(data), decision=same_child or {}, user=user)
    # Who was already told of this case is the service's fact too (the diagrams' "inform" duties branch on it).
    data = {**data, NOTIFIED: rows.notified}
    runner = runner_for(version, engine_functions(session, settings))
    with clock.pinned_at(utcnow()):          # the step's instant is the one its events record (re-execution)
        try:
            result = runner.complete(instance.state, task.id, data)
        except (TaskNotReady, UnknownTask) as exc:
            raise Conflict("task_gone", {"reason": str(exc)}) from None
        except UnstorableData as exc:
            _unsaved(session, instance, task, exc)
        own = session.registry() if hasattr(session, "registry") else session     # a scoped session's own
        expire, own.expire_on_commit = own.expire_on_commit, False
        try:
            with conflict_guard(session):
                next_tasks = apply_step(session, instance, version, result, actor=user.username,
                                        message_ttl_hours=settings.message_ttl_hours, open_tasks=rows.open_tasks)
        finally:
            own.expire_on_commit = expire
    del rows                       # held until the step is written: the step finds the case in the identity map
    return Completed(instance, next_tasks)


def _unsaved(session, instance: ProcessInstance, task: Task, exc: UnstorableData):
    """The diagram left data the step cannot save: nothing of it is kept, the process owner is told."""
    session.rollback()
    instance = session.get(ProcessInstance, instance.id)
    task_failed(session, instance, exc=exc, now=utcnow(), task_bpmn_id=task.bpmn_id)
    session.commit()
    raise Conflict("task_diagram_broken", {"reason": str(exc)})


@contextmanager
def conflict_guard(session):
    """Turn a concurrent change of the same instance (seen at flush or commit) into a 409, changing nothing."""
    try:
        yield
        session.commit()
    except (StaleDataError, IntegrityError):
        session.rollback()
        raise Conflict("concurrent_change") from None


def _record(session, task: Task, type_: str, actor: str, data: dict) -> None:
    instance = session.get(ProcessInstance, task.instance_id)
    instance.updated_at = utcnow()
    events.append(session, instance, type=type_, actor=actor, task_id=task.id, bpmn_id=task.bpmn_id,
                  lane=task.lane, data=data)


def claim_task(session, *, task_id: str, user: User) -> Task:
    task = get_task(session, task_id, user)
    if not can_work_task(user, task) or task.state != "ready":
        raise Forbidden("claim_forbidden") if task.state == "ready" else Conflict("not_waiting")
    if task.claimed_by and task.claimed_by != user.username:
        raise Conflict("task_claimed", {"user": task.claimed_by})
    task.claimed_by = user.username
    with conflict_guard(session):
        _record(session, task, "task_claimed", user.username, {"by": user.username})
    return task


def unclaim_task(session, *, task_id: str, user: User) -> Task:
    task = get_task(session, task_id, user)
    if not can_release_task(user, task):
        raise Forbidden("release_forbidden")
    previous, task.claimed_by = task.claimed_by, None
    with conflict_guard(session):
        _record(session, task, "task_unclaimed", user.username, {"from": previous})
    return task


def assign_task(session, *, task_id: str, user: User, to_username: str) -> Task:
    """Give a ready task to a colleague of its unit (``access.may_hand_over`` / ``may_receive``): the holder hands
    their own on, a supervisor anyone's (the supervision page's workload). Does not commit a refusal."""
    task = get_task(session, task_id, user)
    if task.state != "ready" or not can_work_task(user, task):
        raise Forbidden("handover_forbidden")
    if not may_hand_over(user, task):
        raise Conflict("task_claimed", {"user": task.claimed_by})
    colleague = session.scalar(select(User).where(User.username == to_username))
    if not may_receive(colleague, task):
        raise Invalid("no_such_colleague", [field("to", "not_a_colleague")])
    previous, task.claimed_by = task.claimed_by, colleague.username
    with conflict_guard(session):
        _record(session, task, "task_assigned", user.username, {"from": previous, "to": colleague.username})
    return task


def save_draft(session, *, task_id: str, data: dict, user: User) -> Task:
    task = get_task(session, task_id, user)
    if not can_work_task(user, task) or task.state != "ready":
        raise Forbidden("work_forbidden")
    task.draft = data if isinstance(data, dict) else {}
    session.commit()
    return task


# -- reading ----------------------------------------------------------------------------------------------
def get_instance(session, instance_id: str, user: User) -> ProcessInstance:
    instance = session.get(ProcessInstance, str(instance_id))
    if instance is None:
        raise NotFound("instance_not_found", {"instance_id": instance_id})
    if not may_read_instance(session, user, instance):
        raise Forbidden("case_not_routed")
    return instance


def open_tasks(session, instance_id: str) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.instance_id == instance_id, Task.state == "ready")
                                .order_by(Task.created_at)))


def visible_tasks(session, user: User, *, instance: str | None = None, lane: str | None = None,
                  overdue: bool | None = None, mine: bool = False, case: str | None = None,
                  limit: int = 100, offset: int = 0) -> list[Task]:
    from ..access.aggregates import refuse_counts_only
    refuse_counts_only(user)                       # an overseer has counts, never a list of tasks
    q = select(Task).where(Task.state == "ready", task_filter(user))
    if instance:
        q = q.where(Task.instance_id == instance)
    if lane:
        q = q.where((Task.lane == lane) | (Task.agency == lane))
    if case:
        q = q.where(Task.case_id == case)
    if mine:
        q = q.where(Task.claimed_by == user.username)
    late = Task.overdue_since.is_not(None) | (Task.due_at.is_not(None) & (Task.due_at < utcnow()))
    if overdue is True:
        q = q.where(late)
    elif overdue is False:
        q = q.where(~late)
    q = q.order_by(Task.due_at.is_(None), Task.due_at, Task.created_at).limit(limit).offset(offset)
    return list(session.scalars(q))
