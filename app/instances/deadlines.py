"""Whether a task kept its statutory deadline: one rule for the supervisor's page and the audit."""
from __future__ import annotations

import re
from datetime import datetime

from .models import Task


def outcome(task: Task, now: datetime) -> str:
    """on_time | late | open_overdue | pending | cancelled, for a task that has a due time."""
    if task.state == "completed":
        # A deadline timer that fired before the completion is a miss whatever the clocks say.
        return "on_time" if task.completed_at <= task.due_at and task.overdue_since is None else "late"
    if task.state == "cancelled":
        return "late" if task.completed_at and task.completed_at >= task.due_at else "cancelled"
    return "open_overdue" if task.overdue_since is not None or task.due_at < now else "pending"


# -- which clause a deadline is kept under -------------------------------------------------------------------
# A task may document several clauses (an acknowledgement serves every notice it may receive: P4.c, P8.4,
# P13.3, ...), but its deadline is one: the timer on its boundary. That deadline belongs to the clauses the
# timer documents (else the task's own), of the same kind as the timer (a 1-hour acknowledgement window is
# never "2 calendar days"), and among several, to the clause of the notice the instance received.
_TIMER_KINDS = ((re.compile(r"^\s*ack_deadline\s*\("), lambda m: ("immediately", None)),
                (re.compile(r"^\s*add_working_days\s*\([^,]*,\s*(\d+)\s*\)\s*$"), lambda m: ("working_days", int(m[1]))),
                (re.compile(r"^\s*add_days\s*\([^,]*,\s*(\d+)\s*\)\s*$"), lambda m: ("calendar_days", int(m[1]))))
_GUIDE_KINDS = ((re.compile(r"незамедлительно"), lambda m: ("immediately", None)),
                (re.compile(r"^(\d+) рабоч"), lambda m: ("working_days", int(m[1]))),
                (re.compile(r"^(\d+) календарн"), lambda m: ("calendar_days", int(m[1]))))


def _kind(text: str | None, table) -> tuple[str, int | None] | None:
    for pattern, kind in table:
        found = pattern.search(text or "")
        if found:
            return kind(found)
    return None


def deadline_candidates(task: Task, elements: list[dict], guide: dict[str, str]) -> list[str]:
    """Clauses of ``guide`` (clause → its deadline in words) that the task's deadline may count under."""
    timers = [e for e in elements if e.get("type") == "boundaryEvent" and e.get("attached_to") == task.bpmn_id
              and e.get("timer")]
    documented = [c for e in timers for c in e.get("clauses") or [] if c in guide] \
        or [c for c in task.clauses or [] if c in guide]
    kinds = {_kind(e["timer"], _TIMER_KINDS) for e in timers} - {None}
    if kinds:                     # a timer of a kind we can name: only clauses with that kind of deadline
        documented = [c for c in documented if _kind(guide[c], _GUIDE_KINDS) in kinds]
    return list(dict.fromkeys(documented))


def deadline_clause(candidates: list[str], notice_clause: object = None) -> str | None:
    """The one clause a deadline is counted under: the received notice's, when it is a candidate."""
    if notice_clause in candidates:
        return notice_clause
    return candidates[0] if candidates else None
