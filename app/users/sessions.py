"""Server-side sessions: the browser holds a random id, the database decides whether it still opens anything.

A signed cookie alone cannot be taken back (a copy keeps working for its whole life); a row can:
signing out, idling past the limit or an admin's revocation ends it for every copy at once. The row
keeps only a hash of the id. ``last_seen_at`` is written at most once a minute, so the hot path is
one indexed read.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from ..timeutil import utcnow
from .models import User, UserSession

TOUCH_EVERY = timedelta(minutes=1)
KEEP_ENDED = timedelta(days=1)          # ended rows linger a day (enough to see recent activity), then go
FORGET_AFTER = timedelta(days=30)       # no idle limit anyone sets is this long: such a row is dead
CODE_WAIT = timedelta(minutes=5)        # between a right password and its second factor


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def start_session(session, *, user: User, address: str | None = None, awaiting_code: bool = False,
                  now: datetime | None = None) -> str:
    """A new session for ``user``; returns the id for the cookie (shown once, stored hashed). With
    ``awaiting_code`` it opens nothing until ``code_accepted``. Commits."""
    now = now or utcnow()
    raw = secrets.token_urlsafe(32)
    session.add(UserSession(id_hash=_hash(raw), user_id=user.id, created_at=now, last_seen_at=now,
                            address_hash=_hash(address) if address else None, awaiting_code=awaiting_code))
    session.execute(delete(UserSession).where(or_(UserSession.revoked_at < now - KEEP_ENDED,
                                                  UserSession.last_seen_at < now - FORGET_AFTER)))
    session.commit()
    return raw


def user_for_session(session, raw: str | None, *, idle: timedelta, now: datetime | None = None) -> User | None:
    """The signed-in user, or None when the id is unknown, ended, idle too long, or the user inactive."""
    if not raw or not isinstance(raw, str):
        return None
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.id_hash == _hash(raw)))
    if row is None or row.revoked_at is not None or row.awaiting_code or now - row.last_seen_at > idle:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        session.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
        session.commit()
    return user


def awaiting_code(session, raw: str | None, *, now: datetime | None = None) -> User | None:
    """Whose password was right in this session that still waits for the second factor (for a few minutes)."""
    if not raw or not isinstance(raw, str):
        return None
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.id_hash == _hash(raw)))
    if row is None or row.revoked_at is not None or not row.awaiting_code or now - row.created_at > CODE_WAIT:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def code_accepted(session, raw: str, *, now: datetime | None = None) -> None:
    """The second factor is in: from now on the session opens what the user may open. Commits."""
    session.execute(update(UserSession).where(UserSession.id_hash == _hash(raw))
                    .values(awaiting_code=False, last_seen_at=now or utcnow()))
    session.commit()


def end_session(session, raw: str | None, *, now: datetime | None = None) -> None:
    """Sign-out: the id opens nothing any more, wherever a copy of the cookie is. Commits."""
    if raw and isinstance(raw, str):
        session.execute(update(UserSession).where(UserSession.id_hash == _hash(raw),
                                                  UserSession.revoked_at.is_(None))
                        .values(revoked_at=now or utcnow()))
    session.commit()


def revoke_sessions(session, *, user: User, now: datetime | None = None) -> int:
    """End every open session of ``user`` (an admin's "sign out everywhere"); returns how many. Commits."""
    done = session.execute(update(UserSession).where(UserSession.user_id == user.id,
                                                     UserSession.revoked_at.is_(None))
                           .values(revoked_at=now or utcnow()))
    session.commit()
    return done.rowcount


def open_sessions(session, *, user: User, idle: timedelta, now: datetime | None = None) -> int:
    now = now or utcnow()
    return len(session.scalars(select(UserSession.id).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
        UserSession.last_seen_at >= now - idle)).all())
