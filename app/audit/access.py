"""Who opened which child's case, instance or task, and when — readable by auditors only.

Handlers call ``record_access`` when they show personal data (an instance's data, a task's
form, a case). Repeated opens of the same object by the same person within a few minutes
(a page reloading, a replay slider moving) are one record, so the log stays readable.
The record holds ids only, never the data that was shown.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session, scoped_session

from ..errors import Forbidden, Invalid
from ..problems import field
from ..timeutil import utcnow
from ..users.models import User
from .models import AccessRecord

KINDS = ("case", "instance", "task", "replay", "history", "document", "search")
SAME_VISIT = timedelta(minutes=10)


def record_access(session, *, user: User, kind: str, object_id: str, case_id: str | None) -> AccessRecord | None:
    """Record that ``user`` opened ``object_id``. Returns None when it is the same visit.

    Written in a short transaction of its own beside the request's, which stays a read: committing the
    request's session here used to expire every row the handler had loaded, so drawing the page read
    them all again. A request that has written something itself keeps the old way (its session commits
    with the record): on SQLite a second connection would wait for the first one's write lock."""
    if kind not in KINDS:
        raise ValueError(f"unknown access kind {kind!r}")
    now = utcnow()
    values = dict(at=now, username=user.username, agency=user.agency, kind=kind, object_id=str(object_id),
                  case_id=case_id)
    same_visit = select(AccessRecord.id).where(
        AccessRecord.username == user.username, AccessRecord.kind == kind,
        AccessRecord.object_id == str(object_id), AccessRecord.at > now - SAME_VISIT).limit(1)
    if _request_has_written(session):
        if session.scalar(same_visit) is not None:
            return None
        record = AccessRecord(**values)
        session.add(record)
        session.commit()
        return record
    with session.get_bind().begin() as connection:
        if connection.scalar(same_visit) is not None:
            return None
        connection.execute(insert(AccessRecord).values(**values))
    return AccessRecord(**values)


def _request_has_written(session) -> bool:
    if isinstance(session, scoped_session):
        session = session()
    if session.new or session.dirty or session.deleted or session.info.get("access_log_wrote"):
        return True
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return False
    return session.connection().connection.driver_connection.in_transaction   # pysqlite begins before a write


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info["access_log_wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["access_log_wrote"] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    if transaction.parent is None:                 # the request's transaction, not a savepoint inside it
        session.info.pop("access_log_wrote", None)


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
