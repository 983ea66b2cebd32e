"""Administrators' additions to the working-day calendar, kept in the database.

The packaged calendar knows the law's holidays but not each year's government decree moving days
off (nor a changed Constitution Day); an administrator records those here and every deadline
computed afterwards uses them.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .errors import Invalid
from .problems import field
from .instances.environment import forget_overrides
from .registry.models import CalendarOverride

KINDS = ("day_off", "working_day")


def set_day(session, *, day: date, kind: str, note: str | None, by: str | None) -> CalendarOverride:
    if kind not in KINDS:
        raise Invalid("unknown_kind", [field("kind", "one_of", values=", ".join(KINDS))])
    row = session.get(CalendarOverride, day) or CalendarOverride(day=day)
    row.kind, row.note, row.created_by = kind, note, by
    session.add(row)
    session.commit()
    forget_overrides()
    return row


def remove_day(session, *, day: date) -> bool:
    row = session.get(CalendarOverride, day)
    if row is None:
        return False
    session.delete(row)
    session.commit()
    forget_overrides()
    return True


def list_days(session) -> list[CalendarOverride]:
    return list(session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))
