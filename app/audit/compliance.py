"""Compliance with the Guide's deadlines: per clause, per agency — and per organisation and territory once
tasks and cases carry them — per period, how many were met, under which calendar rule, and which missed.

A task's deadline is its ``due_at`` (the earliest timer on its boundary, computed on the
Kazakhstan working-day calendar), counted once, under one clause: the one its timer documents, of
the timer's kind, and for an acknowledgement the clause of the notice it acknowledges
(``app.instances.deadlines.deadline_clause``). A deadline is met when the task was completed by then (and its deadline timer had not
fired first). A task still open past its
deadline counts as missed already; a task still open before its deadline is pending and not
counted; a task cancelled before its deadline (the case took another path) is not counted.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..errors import Invalid
from ..problems import field as field_error
from ..instances.deadlines import deadline_candidates, deadline_clause, outcome
from ..instances.models import ProcessInstance, Task
from ..registry.models import ProcessVersion
from ..timeutil import utcnow
from ..users.models import User
from .service import require_auditor

# The Guide's deadline clauses ("Deadlines, together"), in the Guide's order.
DEADLINE_CLAUSES: dict[str, str] = {
    "P4.a": "1 рабочий день",
    "P4.b": "2 календарных дня",
    "P4.c": "незамедлительно",
    "P5": "незамедлительно",
    "P7": "1 рабочий день",
    "P8.4": "незамедлительно",
    "P12.1": "незамедлительно",
    "P12.2": "незамедлительно",
    "P12.4": "7 календарных дней",
    "P13.3": "незамедлительно",
    "P14.1": "незамедлительно",
}
ALL = "(all)"
# The calendar rule each kind of Guide deadline is computed by (app.calendar; app.instances.deadlines).
CALENDAR_RULES = {
    "working_days": "working days of the Kazakhstan calendar: weekends, public holidays and days moved by decree",
    "calendar_days": "calendar days, every day counted; a term ending on a non-working day ends at the end of "
                     "the next working day (the Civil Code's rule on terms)",
    "immediately": "immediately: the acknowledgement window (QAMQOR_ACK_WINDOW_HOURS) in hours",
}
MISSED = ("late", "open_overdue")


def calendar_rule(clause: str) -> str:
    """working_days | calendar_days | immediately, from the Guide's own words for the clause's deadline."""
    words = DEADLINE_CLAUSES[clause]
    return "working_days" if "рабоч" in words else "calendar_days" if "календарн" in words else "immediately"


def _unit_columns():
    """Task.organisation and Case.territory once organisations and territories exist (issue 11); the
    report then splits by them, and until then every row has them empty."""
    from ..instances.models import Case
    return getattr(Task, "organisation", None), getattr(Case, "territory", None)


@dataclass
class Tally:
    clause: str
    agency: str
    organisation: str | None = None
    territory: str | None = None
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    pending: int = 0
    cancelled: int = 0
    cases: set = field(default_factory=set)
    cases_missed: set = field(default_factory=set)

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.open_overdue

    @property
    def rate(self) -> float | None:
        return round(self.on_time / self.counted, 4) if self.counted else None

    def to_dict(self) -> dict:
        return {"clause": self.clause, "deadline": DEADLINE_CLAUSES[self.clause], "agency": self.agency,
                "organisation": self.organisation, "territory": self.territory,
                "calendar_rule": calendar_rule(self.clause),
                "on_time": self.on_time, "late": self.late, "open_overdue": self.open_overdue,
                "pending": self.pending, "cancelled": self.cancelled, "counted": self.counted,
                "on_time_rate": self.rate, "cases": len(self.cases), "cases_missed": len(self.cases_missed)}


def _deadlines(session, *, since, until, agency, process_id, user: User):
    """(task, clause, outcome, organisation, territory, registration number) of every deadline in the period."""
    from ..instances.models import Case, not_withdrawn
    now = utcnow()
    organisation_col, territory_col = _unit_columns()
    from ..access import task_filter
    q = select(Task).where(Task.due_at.is_not(None), task_filter(user))   # a regional auditor: their territory
    q = q.where(not_withdrawn(Task.case_id))          # a registration withdrawn as made in error counts nowhere
    if since:
        q = q.where(Task.due_at >= since)
    if until:
        q = q.where(Task.due_at < until)
    if agency:
        q = q.where(Task.agency == agency)
    if process_id:
        q = q.where(Task.process_id == process_id)
    counted = [(task, clause) for task, clause in deadline_clauses(session, q) if clause is not None]
    case_ids = {task.case_id for task, _ in counted}
    cases = {}
    if case_ids:
        columns = [Case.id, Case.registration_number] + ([territory_col] if territory_col is not None else [])
        ids = sorted(c for c in case_ids if c)
        for start in range(0, len(ids), 500):
            for row in session.execute(select(*columns).where(Case.id.in_(ids[start:start + 500]))):
                cases[row[0]] = (row[1], row[2] if territory_col is not None else None)
    for task, clause in counted:               # each deadline once, under its own clause
        number, territory = cases.get(task.case_id, (None, None))
        organisation = getattr(task, "organisation", None) if organisation_col is not None else None
        yield task, clause, outcome(task, now), organisation, territory, number


def compliance_report(session, *, user: User, since: datetime | None = None, until: datetime | None = None,
                      agency: str | None = None, process_id: str | None = None) -> list[dict]:
    """Rows per (clause, agency, organisation, territory), then per clause over all; deadlines in [since, until)."""
    require_auditor(user)
    if since and until and since >= until:
        raise Invalid("empty_period", [field_error("until", "after_since")])
    tallies: dict[tuple, Tally] = {}
    for task, clause, result, organisation, territory, _number in _deadlines(
            session, since=since, until=until, agency=agency, process_id=process_id, user=user):
        for key in ((clause, task.agency or "-", organisation, territory), (clause, ALL, None, None)):
            tally = tallies.setdefault(key, Tally(*key))
            setattr(tally, result, getattr(tally, result) + 1)
            if result != "cancelled":
                tally.cases.add(task.case_id)
            if result in MISSED:
                tally.cases_missed.add(task.case_id)
    order = {c: i for i, c in enumerate(DEADLINE_CLAUSES)}
    rows = sorted(tallies.values(), key=lambda t: (order[t.clause], t.agency == ALL, t.agency,
                                                   t.organisation or "", t.territory or ""))
    return [t.to_dict() for t in rows]


def missed_deadlines(session, *, user: User, since: datetime | None = None, until: datetime | None = None,
                     agency: str | None = None, process_id: str | None = None, limit: int = 500) -> list[dict]:
    """Each missed deadline (late or still open past it), latest deadline first, with its case's number:
    the cases behind the report's counts. Ids only and the task's name, nothing of the child."""
    require_auditor(user)
    if since and until and since >= until:
        raise Invalid("empty_period", [field_error("until", "after_since")])
    found = [{"clause": clause, "outcome": result, "agency": task.agency, "organisation": organisation,
              "territory": territory, "task": task.name or task.bpmn_id, "task_id": task.id,
              "due_at": task.due_at, "completed_at": task.completed_at if task.state == "completed" else None,
              "case_id": task.case_id, "registration_number": number}
             for task, clause, result, organisation, territory, number in _deadlines(
                 session, since=since, until=until, agency=agency, process_id=process_id, user=user)
             if result in MISSED]
    found.sort(key=lambda m: (m["due_at"], m["task_id"]), reverse=True)
    return found[:limit]


def deadline_clauses(session, query) -> list[tuple[Task, str | None]]:
    """Each task of ``query`` with the one Guide clause its deadline counts under (or none)."""
    rows = session.execute(query.add_columns(ProcessInstance.version_id)
                           .join(ProcessInstance, ProcessInstance.id == Task.instance_id)).all()
    elements = {v.id: v.elements or [] for v in session.scalars(
        select(ProcessVersion).where(ProcessVersion.id.in_({r.version_id for r in rows})))} if rows else {}
    candidates = [(task, deadline_candidates(task, elements.get(version_id, []), DEADLINE_CLAUSES))
                  for task, version_id in rows]
    # only an acknowledgement that could count under several clauses needs the notice it received
    ambiguous = sorted({task.instance_id for task, found in candidates if len(found) > 1})
    notices: dict[str, object] = {}
    for start in range(0, len(ambiguous), 500):
        for instance_id, data in session.execute(select(ProcessInstance.id, ProcessInstance.data)
                                                 .where(ProcessInstance.id.in_(ambiguous[start:start + 500]))):
            notices[instance_id] = (data or {}).get("clause")
    return [(task, deadline_clause(found, notices.get(task.instance_id))) for task, found in candidates]


def openable_cases(session, user: User, misses: list[dict]) -> set[str]:
    """The misses' cases this user may open (the staff pages' own rule): only those are linked."""
    from ..access import visible_cases_among
    return set(visible_cases_among(session, user, {m["case_id"] for m in misses if m["case_id"]}))


CSV_COLUMNS = ("clause", "deadline", "agency", "on_time", "late", "open_overdue", "pending", "cancelled",
               "counted", "on_time_rate", "cases", "cases_missed", "organisation", "territory", "calendar_rule")


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in CSV_COLUMNS})
    return out.getvalue()
