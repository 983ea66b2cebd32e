"""Compliance with the Guide's deadlines: per clause, per agency, per period, how many were met.

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


@dataclass
class Tally:
    clause: str
    agency: str
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
                "on_time": self.on_time, "late": self.late, "open_overdue": self.open_overdue,
                "pending": self.pending, "cancelled": self.cancelled, "counted": self.counted,
                "on_time_rate": self.rate, "cases": len(self.cases), "cases_missed": len(self.cases_missed)}


def compliance_report(session, *, user: User, since: datetime | None = None, until: datetime | None = None,
                      agency: str | None = None, process_id: str | None = None) -> list[dict]:
    """Rows per (clause, agency), then per clause over all agencies; deadlines falling in [since, until)."""
    require_auditor(user)
    if since and until and since >= until:
        raise Invalid("empty period", [{"field": "until", "message": "must be after 'since'"}])
    now = utcnow()
    q = select(Task).where(Task.due_at.is_not(None))
    if since:
        q = q.where(Task.due_at >= since)
    if until:
        q = q.where(Task.due_at < until)
    if agency:
        q = q.where(Task.agency == agency)
    if process_id:
        q = q.where(Task.process_id == process_id)
    tallies: dict[tuple[str, str], Tally] = {}
    for task, clause in deadline_clauses(session, q):
        result = outcome(task, now)
        if clause is not None:                 # each deadline once, under its own clause
            for key in ((clause, task.agency or "-"), (clause, ALL)):
                tally = tallies.setdefault(key, Tally(*key))
                setattr(tally, result, getattr(tally, result) + 1)
                if result != "cancelled":
                    tally.cases.add(task.case_id)
                if result in ("late", "open_overdue"):
                    tally.cases_missed.add(task.case_id)
    order = {c: i for i, c in enumerate(DEADLINE_CLAUSES)}
    rows = sorted(tallies.values(), key=lambda t: (order[t.clause], t.agency == ALL, t.agency))
    return [t.to_dict() for t in rows]


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


CSV_COLUMNS = ("clause", "deadline", "agency", "on_time", "late", "open_overdue", "pending", "cancelled",
               "counted", "on_time_rate", "cases", "cases_missed")


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in CSV_COLUMNS})
    return out.getvalue()
