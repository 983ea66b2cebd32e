"""Telling a conflict between workers from a real database failure.

Timers and messages are both stepped by every worker process at once. When two of them reach for the
same rows, the database says so with a lock or snapshot error; trying again a moment later helps. Any
other operational error (the database is away) does not clear by retrying at once, and is raised.
"""
from __future__ import annotations

import random
import time

from sqlalchemy.exc import OperationalError

# PostgreSQL: serialization failure, deadlock detected, lock not available
_CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
# SQLite primary result codes: SQLITE_BUSY (and its extended SQLITE_BUSY_SNAPSHOT), SQLITE_LOCKED
_SQLITE_BUSY_CODES = frozenset({5, 6})


def is_conflict(exc: OperationalError) -> bool:
    """Another transaction holds what this one needs, or changed it since this one read."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _CONFLICT_SQLSTATES:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _SQLITE_BUSY_CODES


def back_off(attempt: int) -> None:
    """Wait a short random while, longer with each attempt (at most about 0.75 s)."""
    time.sleep(min(0.5, 0.01 * 2 ** attempt) * random.uniform(0.5, 1.5))
