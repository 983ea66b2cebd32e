"""Withdrawing a registration made in error (issue 13 §6): the one service the case page and the API call.

A stray «register a report» leaves a case number and notices already on their way to other agencies. Nothing
of it is deleted — the number stays taken (numbers are gapless, P6) and the log stays whole for the auditor.
Instead every unfinished instance of the case is cancelled *by the engine* (``Runner.withdraw``: SpiffWorkflow
cancels its tasks, timers and catches), as one step whose first event, ``registration_withdrawn``, carries the
reason and who, in the instance's hash chain; re-execution cancels it again the same way (audit/reexecute.py).
The step's projection does the rest: open tasks leave every agency's inbox, timers and waiting catches go.
The case's undelivered messages are cancelled first (so a router mid-delivery finishes before the instances
are read), unsent e-mails about its tasks are dropped, open incidents of it resolved, and everyone who could
open the case — the agencies already told of it — gets an e-mail saying so (never the reason: it is free text
and may name the child). The case row keeps when, who and why, for its page, the lists and the counts.

Who may is ``access.may_withdraw_registration``; here is what the case must be: not withdrawn already (409),
still open — some instance not finished (409) — and the reason long enough to say what the error was (422).
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field

from sqlalchemy import select, update

from ..access import case_agencies, may_see_case, may_withdraw_registration
from ..engine import clock
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..incidents.models import Incident
from ..messages.models import Message
from ..notify.models import OutgoingMail
from ..problems import field
from ..registry.models import ProcessVersion
from ..registry.service import runner_for
from ..timeutil import utcnow
from ..users.models import User
from .environment import Settings, engine_functions
from .models import Case, ProcessInstance
from .service import conflict_guard
from .steps import apply_step

FINISHED = ("completed", "terminated", "cancelled")
REASON_MIN, REASON_MAX = 10, 1000


@dataclass
class Withdrawal:
    case: Case
    cancelled_instances: list[str] = dataclass_field(default_factory=list)
    told: list[str] = dataclass_field(default_factory=list)          # user names e-mailed about it


def check_reason(reason) -> str:
    """The reason as recorded (spaces folded), or 422 naming ``reason``: a few words at least, so that the
    auditor reading the log learns what the error was ("дубль", "ошибка" say nothing)."""
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(text) < REASON_MIN:
        raise Invalid("withdrawal_invalid", [field("reason", "reason_withdrawal", n=REASON_MIN)])
    return text[:REASON_MAX]


def withdraw_registration(session, *, case_id, user: User, reason, settings: Settings) -> Withdrawal:
    """Cancel the case's work as registered in error; commits, or changes nothing and raises."""
    case = session.get(Case, str(case_id))
    if case is None:
        raise NotFound("case_not_found", {"case_id": case_id})
    if not may_withdraw_registration(session, user, case.id):
        raise Forbidden("withdrawal_forbidden")
    if case.withdrawn_at is not None:
        raise Conflict("registration_withdrawn_already", {"number": case.registration_number})
    reason = check_reason(reason)
    now = utcnow()
    # First, so that a router delivering one of them right now finishes (PostgreSQL waits for its row lock)
    # before the instances are read below: an instance that delivery starts is then among them.
    session.execute(update(Message).where(Message.case_id == case.id, Message.status.in_(("pending", "waiting")))
                    .values(status="cancelled", waiting_reason=None, next_attempt_at=None)
                    .execution_options(synchronize_session=False))
    instances = list(session.scalars(select(ProcessInstance).where(ProcessInstance.case_id == case.id,
                                                                   ProcessInstance.status.not_in(FINISHED))
                                     .order_by(ProcessInstance.created_at, ProcessInstance.id)))
    if not instances:
        session.rollback()
        raise Conflict("case_closed_no_withdrawal", {"number": case.registration_number})
    note = {"reason": reason, "by": user.username, "organisation": user.organisation}
    done = Withdrawal(case=case)
    with conflict_guard(session), clock.pinned_at(now):
        for instance in instances:
            version = session.get(ProcessVersion, instance.version_id)
            result = runner_for(version, engine_functions(session, settings)).withdraw(instance.state, note=note,
                                                                                      at=now)
            apply_step(session, instance, version, result, actor=user.username,
                       message_ttl_hours=settings.message_ttl_hours)
            instance.timer_attempts, instance.timer_error = 0, None
            done.cancelled_instances.append(instance.id)
        case.withdrawn_at, case.withdrawn_by, case.withdrawal_reason = now, user.username, reason
        # e-mails about tasks that no longer exist are not sent; open incidents of the case are not retried
        session.execute(update(OutgoingMail).where(OutgoingMail.case_id == case.id,
                                                   OutgoingMail.status.in_(("pending", "digest")))
                        .values(status="cancelled").execution_options(synchronize_session=False))
        session.execute(update(Incident).where(Incident.case_id == case.id, Incident.status == "open")
                        .values(status="resolved", resolved_at=now, updated_at=now, next_attempt_at=None)
                        .execution_options(synchronize_session=False))
        done.told = _tell(session, case, user)
    return done


def _tell(session, case: Case, actor: User) -> list[str]:
    """E-mail everyone else who could open the case (the agencies already told of it, the registrant's unit)."""
    from ..notify.service import queue_withdrawal_mail          # (notify.service → instances: import late)
    agencies = case_agencies(session, case.id)
    people = [u for u in session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None),
                                                            User.agency.in_(agencies),
                                                            User.username != actor.username).order_by(User.id))
              if u.has_role("staff", "supervisor") and may_see_case(session, u, case.id)]
    queue_withdrawal_mail(session, case, people, by=actor)
    return [u.username for u in people]


def withdrawn_cases(session, user: User, *, limit: int = 20) -> list[Case]:
    """The withdrawn registrations among the cases the user may open, newest first: the notifications page
    lists them, so that a unit told of a case learns there too that its work on it is cancelled."""
    from ..access import case_filter
    return list(session.scalars(select(Case).where(Case.withdrawn_at.is_not(None), case_filter(user))
                                .order_by(Case.withdrawn_at.desc()).limit(limit)))
