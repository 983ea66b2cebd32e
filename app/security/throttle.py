"""Login rate limiting whose memory is the database, so every web process sees the same count.

Failures are counted per user name and per client address over a sliding window. While a key is
over its limit, sign-in is refused *before* the password is checked (a guesser learns nothing,
and the hash is not computed for them); a success clears the user name's failures.

Usage in a login view::

    from app.security.throttle import LoginThrottled, check_login_allowed, record_login
    check_login_allowed(db.session, username=name, address=request.remote_addr)   # raises LoginThrottled (429)
    user = authenticate(db.session, name, password)
    record_login(db.session, username=name, address=request.remote_addr, success=user is not None)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ..errors import DomainError
from ..timeutil import utcnow
from .models import LoginFailure


@dataclass(frozen=True)
class Limits:
    window: timedelta = timedelta(minutes=15)
    per_user: int = 5            # a person mistyping five times is rare; a guesser needs thousands
    per_address: int = 30        # an office behind one NAT address has many people


DEFAULT = Limits()


class LoginThrottled(DomainError):
    status, title = 429, "Too many requests"

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s", retry_after=retry_after)
        self.retry_after = retry_after


def _keys(username: str, address: str | None, limits: Limits) -> list[tuple[str, int]]:
    keys = [(f"user:{(username or '').strip().lower()[:150]}", limits.per_user)]
    if address:
        keys.append((f"ip:{address[:150]}", limits.per_address))
    return keys


def seconds_until_allowed(session, *, username: str, address: str | None, now: datetime | None = None,
                          limits: Limits = DEFAULT) -> int:
    """0 when a sign-in may be tried now; otherwise how long until the oldest counted failure ages out."""
    now = now or utcnow()
    since = now - limits.window
    wait = 0
    for key, limit in _keys(username, address, limits):
        count, oldest = session.execute(select(func.count(), func.min(LoginFailure.at)).where(
            LoginFailure.key == key, LoginFailure.at > since)).one()
        if count >= limit:
            # the window slides: allowed again once enough of the counted failures are older than it
            nth = session.scalar(select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at > since)
                                 .order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1)) or oldest
            wait = max(wait, int((nth + limits.window - now).total_seconds()) + 1)
    return wait


def check_login_allowed(session, *, username: str, address: str | None, now: datetime | None = None,
                        limits: Limits = DEFAULT) -> None:
    wait = seconds_until_allowed(session, username=username, address=address, now=now, limits=limits)
    if wait:
        raise LoginThrottled(wait)


def record_login(session, *, username: str, address: str | None, success: bool, now: datetime | None = None,
                 limits: Limits = DEFAULT) -> None:
    """Count a failure (both keys), or clear the user name's failures on success; commits."""
    now = now or utcnow()
    keys = _keys(username, address, limits)
    if success:
        session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0][0]))
    else:
        session.add_all([LoginFailure(key=key, at=now) for key, _ in keys])
    # old rows serve nobody: drop them as we go, so the table stays the size of the current window
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - limits.window))
    session.commit()
