"""Login throttling whose memory is the database, so every web process sees the same counts.

An attempt is *admitted* before the password is checked, by atomic UPDATEs that count it and test
the limit in one statement (the WHERE clause is the rule): twenty parallel guesses get exactly as
many password checks as the rule allows, however the requests interleave. Three counters:

- **account + address** — five attempts free, then a back-off that doubles (1 s, 2 s, 4 s … 60 s)
  instead of a lock-out; forgotten after 15 quiet minutes or a success. Someone guessing from one
  address slows only themselves: the real user, signing in from elsewhere, is not touched.
- **account** (all addresses) — 100 attempts an hour, against guessing spread over many addresses.
- **address** (all accounts) — 100 attempts in 15 minutes, against one address trying a password
  on every account (an office behind one NAT address stays well below it).

A success gives its attempt back to the account and address counters (they count failures) and
clears the pair. Usage in a login view::

    admit_login(db.session, username=name, address=request.remote_addr)   # raises LoginThrottled (429)
    user = authenticate(db.session, name, password)
    record_login(db.session, username=name, address=request.remote_addr, success=user is not None)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, null, or_, select, update

from ..errors import DomainError
from ..timeutil import UtcDateTime, utcnow
from .models import LoginThrottle

T = LoginThrottle.__table__


def _at(instant: datetime):
    """An instant as a bound value of the column's own type (stored as UTC on SQLite too)."""
    return literal(instant, UtcDateTime())


@dataclass(frozen=True)
class Limits:
    free_attempts: int = 5               # a person mistyping five times in a row is rare
    first_backoff: float = 1.0           # seconds after the free attempts; doubles with each further one
    max_backoff: float = 60.0
    quiet: timedelta = timedelta(minutes=15)       # a pair's count is forgotten after this long without attempts
    per_account: int = 100               # per hour over every address: distributed guessing
    account_window: timedelta = timedelta(hours=1)
    per_address: int = 100               # per 15 minutes over every account: one address spraying names
    address_window: timedelta = timedelta(minutes=15)


DEFAULT = Limits()


class LoginThrottled(DomainError):
    status, title = 429, "Too many requests"

    def __init__(self, retry_after: int):
        super().__init__("login_throttled", {"seconds": retry_after}, retry_after=retry_after)
        self.retry_after = retry_after


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _keys(username: str, address: str | None) -> tuple[str, str, str | None]:
    name, addr = _name(username), (address or "-")[:150]
    return f"pair:{name}|{addr}", f"account:{name}", (f"address:{addr}" if address else None)


def backoff(attempt: int, limits: Limits = DEFAULT) -> float:
    """Seconds to wait after the ``attempt``-th attempt of a pair (0 while still free)."""
    if attempt < limits.free_attempts:
        return 0.0
    return min(limits.first_backoff * 2 ** (attempt - limits.free_attempts), limits.max_backoff)


def _ensure_rows(session, keys: list[str], now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = [{"key": k, "attempts": 0, "window_started_at": now, "last_attempt_at": now, "blocked_until": None}
            for k in keys]
    session.execute(insert(T).values(rows).on_conflict_do_nothing(index_elements=["key"]))


def _admit_pair(session, key: str, now: datetime, limits: Limits) -> bool:
    fresh = T.c.last_attempt_at <= now - limits.quiet
    attempt = T.c.attempts + 1
    # the block that follows this attempt, spelled out per attempt number so that no database has to
    # do interval arithmetic: NULL while free, then the doubling steps, then the cap
    steps = []
    n = limits.free_attempts
    while backoff(n, limits) < limits.max_backoff:
        steps.append((attempt == n, _at(now + timedelta(seconds=backoff(n, limits)))))
        n += 1
    block_after = case((attempt < limits.free_attempts, null()), *steps,
                       else_=_at(now + timedelta(seconds=limits.max_backoff)))
    first_block = _at(now + timedelta(seconds=backoff(1, limits))) if backoff(1, limits) else null()
    done = session.execute(
        update(T).where(T.c.key == key, or_(fresh, T.c.blocked_until.is_(None), T.c.blocked_until <= now))
        .values(attempts=case((fresh, 1), else_=attempt),
                window_started_at=case((fresh, _at(now)), else_=T.c.window_started_at),
                last_attempt_at=now,
                blocked_until=case((fresh, first_block), else_=block_after)))
    return done.rowcount == 1


def _admit_counter(session, key: str, now: datetime, limit: int, window: timedelta) -> bool:
    fresh = T.c.window_started_at <= now - window
    done = session.execute(
        update(T).where(T.c.key == key, or_(fresh, T.c.attempts < limit))
        .values(attempts=case((fresh, 1), else_=T.c.attempts + 1),
                window_started_at=case((fresh, _at(now)), else_=T.c.window_started_at),
                last_attempt_at=now))
    return done.rowcount == 1


def _retry_after(session, keys, now: datetime, limits: Limits) -> int:
    pair, account, address = keys
    rows = {r.key: r for r in session.execute(select(T).where(T.c.key.in_([k for k in keys if k]))).all()}
    waits = [0.0]
    if pair in rows and rows[pair].blocked_until:
        waits.append((rows[pair].blocked_until - now).total_seconds())
    for key, limit, window in ((account, limits.per_account, limits.account_window),
                               (address, limits.per_address, limits.address_window)):
        if key in rows and rows[key].attempts >= limit:
            waits.append((rows[key].window_started_at + window - now).total_seconds())
    return max(1, math.ceil(max(waits)))


def admit_login(session, *, username: str, address: str | None, now: datetime | None = None,
                limits: Limits = DEFAULT) -> None:
    """Count this attempt against every key, or raise LoginThrottled and count nothing; commits.

    Keys are touched in one order so that two transactions never wait on each other crosswise.
    """
    now = now or utcnow()
    keys = _keys(username, address)
    pair, account, addr = keys
    session.commit()                       # start from a clean transaction: the rollback below undoes only ours
    _ensure_rows(session, sorted(k for k in keys if k), now)
    admitted = True
    for key in sorted(k for k in keys if k):
        if key == pair:
            admitted = _admit_pair(session, key, now, limits)
        elif key == account:
            admitted = _admit_counter(session, key, now, limits.per_account, limits.account_window)
        else:
            admitted = _admit_counter(session, key, now, limits.per_address, limits.address_window)
        if not admitted:
            break
    if admitted:
        session.commit()
        return
    session.rollback()
    raise LoginThrottled(_retry_after(session, keys, now, limits))


def record_login(session, *, username: str, address: str | None, success: bool, now: datetime | None = None,
                 limits: Limits = DEFAULT) -> None:
    """After the password check: a failure stays counted (admit_login counted it); a success clears the
    pair and gives its attempt back to the account and the address. Drops rows nobody needs; commits."""
    now = now or utcnow()
    pair, account, addr = _keys(username, address)
    if success:
        session.execute(delete(T).where(T.c.key == pair))
        session.execute(update(T).where(T.c.key.in_([k for k in (account, addr) if k]), T.c.attempts > 0)
                        .values(attempts=T.c.attempts - 1))
    longest = max(limits.quiet, limits.account_window, limits.address_window)
    session.execute(delete(T).where(T.c.last_attempt_at <= now - longest))
    session.commit()


def seconds_until_allowed(session, *, username: str, address: str | None, now: datetime | None = None,
                          limits: Limits = DEFAULT) -> int:
    """0 when a sign-in would be admitted now; otherwise how long to wait. Reads only (for display)."""
    now = now or utcnow()
    keys = _keys(username, address)
    pair, account, addr = keys
    rows = {r.key: r for r in session.execute(select(T).where(T.c.key.in_([k for k in keys if k]))).all()}
    blocked = False
    if pair in rows and rows[pair].blocked_until and rows[pair].blocked_until > now \
            and rows[pair].last_attempt_at > now - limits.quiet:
        blocked = True
    for key, limit, window in ((account, limits.per_account, limits.account_window),
                               (addr, limits.per_address, limits.address_window)):
        if key in rows and rows[key].attempts >= limit and rows[key].window_started_at > now - window:
            blocked = True
    return _retry_after(session, keys, now, limits) if blocked else 0
