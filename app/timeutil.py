"""UTC instants for the database: every column stores aware UTC, SQLite included."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from .engine import clock


def utcnow() -> datetime:
    return clock.now()


class UtcDateTime(sa.types.TypeDecorator):
    """A timestamp that is always aware UTC going in and coming out (SQLite forgets zones)."""
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored")
        return value.astimezone(timezone.utc) if dialect.name != "sqlite" else \
            value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
