"""Who opened which child's case, instance or task, and when — readable by auditors only.

Handlers call ``record_access`` when they show personal data (an instance's data, a task's
form, a case). Repeated opens of the same object by the same person within a few minutes
(a page reloading, a replay slider moving) are one record, so the log stays readable.
The record holds ids only, never the data that was shown.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..errors import Forbidden, Invalid
from ..problems import field
from ..timeutil import utcnow
from ..users.models import User
from .models import AccessRecord

KINDS = ("case", "instance", "task", "replay", "history", "document", "search")
SAME_VISIT = timedelta(minutes=10)


def record_access(session, *, user: User, kind: str, object_id: str, case_id: str | None) -> AccessRecord | None:
    """Record that ``user`` opened ``object_id`` (commits). Returns None when it is the same visit."""
    if kind not in KINDS:
        raise ValueError(f"unknown access kind {kind!r}")
    now = utcnow()
    recent = session.scalar(select(AccessRecord).where(
        AccessRecord.username == user.username, AccessRecord.kind == kind,
        AccessRecord.object_id == str(object_id), AccessRecord.at > now - SAME_VISIT).limit(1))
    if recent is not None:
        return None
    record = AccessRecord(at=now, username=user.username, agency=user.agency, kind=kind,
                          object_id=str(object_id), case_id=case_id)
    session.add(record)
    session.commit()
    return record


def access_log(session, *, user: User, case_id: str | None = None, username: str | None = None,
               since: datetime | None = None, until: datetime | None = None,
               limit: int = 200, offset: int = 0) -> list[AccessRecord]:
    """The access log, newest first; auditors only."""
    if not user.has_role("auditor"):
        raise Forbidden("access_log_auditors_only")
    if since and until and since >= until:
        raise Invalid("empty_period", [field("until", "after_since")])
    q = select(AccessRecord)
    if case_id:
        q = q.where(AccessRecord.case_id == case_id)
    if username:
        q = q.where(AccessRecord.username == username)
    if since:
        q = q.where(AccessRecord.at >= since)
    if until:
        q = q.where(AccessRecord.at < until)
    return list(session.scalars(q.order_by(AccessRecord.at.desc(), AccessRecord.id.desc()).limit(limit).offset(offset)))


def registration_numbers(session, case_ids) -> dict[str, str]:
    """Case id -> registration number, so the log names cases the way people file them."""
    from ..instances.models import Case
    wanted = sorted({c for c in case_ids if c})
    if not wanted:
        return {}
    return dict(session.execute(select(Case.id, Case.registration_number).where(Case.id.in_(wanted))).all())


def case_by_number_or_id(session, text: str | None) -> str | None:
    """The filter's case: a registration number (what people know) or a case id."""
    from ..instances.models import Case
    text = (text or "").strip()
    if not text:
        return None
    return session.scalar(select(Case.id).where(Case.registration_number == text).limit(1)) or text
