"""Two reports about the same child (issue 12 §10): never two unrelated cases, never a silent merge.

When a completed form gives the child's ИИН and another case already holds that ИИН, the step stops
until staff decide: ``link_to_case`` (the other case's id: both cases list each other, both logs record
``case_linked``) or ``new_case_reason`` (a separate case on purpose; both logs record ``case_kept_separate``).
Staff of an organisation outside the other case learn only what ``other_case_facts`` gives: that a case of
this child exists, its number, the agency that registered it and the date — never the child's data or its
timeline; a link grants no access to the other case.
"""
from __future__ import annotations

from sqlalchemy import select, text, update

from ..calendar import to_local
from ..errors import Conflict, Invalid
from ..problems import field
from ..events import service as events
from ..timeutil import utcnow
from .models import Case, CaseChild, CaseLink, ProcessInstance

LINK, REASON = "link_to_case", "new_case_reason"


def child_iin(data: dict) -> str | None:
    child = data.get("child") if isinstance(data, dict) else None
    iin = child.get("iin") if isinstance(child, dict) else None
    return iin if isinstance(iin, str) and iin else None


def other_case_facts(case: Case) -> dict:
    """All a registering unit outside the other case is told of it."""
    return {"id": case.id, "registration_number": case.registration_number,
            "opened_agency": case.opened_agency, "opened_on": to_local(case.created_at).date().isoformat()}


def _undecided(session, case_id: str, iin: str) -> list[Case]:
    decided = set(session.scalars(select(CaseLink.other_case_id).where(CaseLink.case_id == case_id)))
    return [c for c in session.scalars(
        select(Case).join(CaseChild, CaseChild.case_id == Case.id)
        .where(CaseChild.iin == iin, Case.id != case_id).order_by(Case.created_at)) if c.id not in decided]


def pending_cases(session, *, case_id: str | None, iin: str | None) -> list[dict]:
    """The child's other cases still waiting for staff's decision, as staff may be told of them."""
    if not case_id or not iin:
        return []
    return [other_case_facts(c) for c in _undecided(session, case_id, iin)]


def check(session, *, case_id: str | None, iin: str | None, decision: dict, user) -> None:
    """Record the case's ИИН; if other undecided cases hold it, apply staff's decision or refuse the step.

    Called inside the completing transaction, which commits the ИИН's row with the step: registrations of one
    child take turns from here to their commit (``_take_turn``), so the second always finds the first."""
    if not case_id or not iin:
        return
    _take_turn(session, case_id, iin)
    others = _undecided(session, case_id, iin)
    if others:
        _decision(session, case_id, others, decision, user)
    if session.get(CaseChild, (case_id, iin)) is None:
        session.add(CaseChild(case_id=case_id, iin=iin))


_CHILD_LOCK = 0x51A3C41D          # the advisory lock class of "a registration of this ИИН is being decided"


def _take_turn(session, case_id: str, iin: str) -> None:
    """Wait for any other registration of the same ИИН to commit or roll back before looking for its case.

    Two reports of one child completed at the same moment (a school and a hospital within a second) each read
    "no other case" before either had committed its ИИН, and became two unrelated cases. The ИИН has no row to
    lock before its first case exists, so: on PostgreSQL a transaction-scoped advisory lock keyed by the ИИН
    (other children's registrations do not wait; READ COMMITTED lets the query after it see the other's
    commit); on SQLite, whose writers take turns anyway, the write lock is taken now, before the read, instead
    of at the step's first write after it (a write in a fresh transaction waits for the other writer and then
    reads what it committed)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:kind, hashtext(:iin))"), {"kind": _CHILD_LOCK, "iin": iin})
    elif dialect == "sqlite":
        session.execute(update(Case).where(Case.id == case_id).values(id=Case.id)
                        .execution_options(synchronize_session=False))


def _decision(session, case_id: str, others: list[Case], decision: dict, user) -> None:
    link, reason = decision.get(LINK), decision.get(REASON)
    if link is not None:
        target = next((c for c in others if c.id == link), None)
        if target is None:
            raise Invalid("not_child_case", [field(LINK, "child_case_id")])
        _decide(session, case_id, [target], kind="linked", reason=None, user=user)
    elif reason is not None:
        if not isinstance(reason, str) or not reason.strip():
            raise Invalid("new_case_reason_required", [field(REASON, "missing")])
        _decide(session, case_id, others, kind="separate", reason=reason.strip(), user=user)
    else:
        raise Conflict("child_has_case", errors=[field(LINK, "link_case"), field(REASON, "new_case_reason")],
                       same_child_cases=[other_case_facts(c) for c in others])


def _decide(session, case_id: str, others: list[Case], *, kind: str, reason: str | None, user) -> None:
    this = session.get(Case, case_id)
    now = utcnow()
    for other in others:
        for a, b in ((this, other), (other, this)):
            session.add(CaseLink(case_id=a.id, other_case_id=b.id, kind=kind, reason=reason,
                                 decided_by=user.username, decided_agency=user.agency, decided_at=now))
            _log(session, a.id, kind=kind, other=b, reason=reason, user=user)


def _log(session, case_id: str, *, kind: str, other: Case, reason: str | None, user) -> None:
    """The decision in the case's log: on its first instance (chapter 1), where the case began."""
    first = session.scalar(select(ProcessInstance).where(ProcessInstance.case_id == case_id)
                           .order_by(ProcessInstance.created_at).limit(1))
    if first is None:
        return
    data = {"case": other.registration_number, "agency": user.agency}
    if reason:
        data["reason"] = reason
    first.updated_at = utcnow()
    events.append(session, first, type="case_linked" if kind == "linked" else "case_kept_separate",
                  actor=user.username, data=data)


def links_of(session, case_id: str) -> list[dict]:
    """The case's decided links, as the case page and API list them (the other case's facts only)."""
    rows = session.execute(select(CaseLink, Case).join(Case, Case.id == CaseLink.other_case_id)
                           .where(CaseLink.case_id == case_id).order_by(CaseLink.decided_at)).all()
    return [other_case_facts(case) | {"kind": link.kind, "reason": link.reason, "decided_by": link.decided_by,
                                      "decided_agency": link.decided_agency,
                                      "decided_at": link.decided_at.isoformat()} for link, case in rows]
