"""The organisations routing picks from, per agency, remembered in each process for a couple of seconds.

Every step that creates a task asks which unit of an agency serves the case's territory; organisations
change a few times a year (the admin page, ``flask orgs``), so a completion should not read them each
time. The rule is a short time-to-live, like the calendar's days (``instances/environment.py``): another
process's change is seen within ``FRESH_SECONDS``; a change committed by this process (any ORM write to
``Organisation``) is seen at once. A version counter would need a row read per step, or a migration, to
save what the two seconds already save.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..remembered import Remembered
from .models import Organisation

FRESH_SECONDS = 2.0


@dataclass(frozen=True)
class Unit:
    code: str
    territory: str | None
    serves: frozenset


@dataclass(frozen=True)
class AgencyUnits:
    """An agency's active organisations in code order, and for each КАТО code the first that serves it."""
    units: tuple[Unit, ...] = ()
    serving: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.units)


_remembered = Remembered(Organisation)


def units_of(session, agency: str) -> AgencyUnits:
    def load() -> AgencyUnits:
        rows = session.execute(select(Organisation.code, Organisation.territory, Organisation.serves)
                               .where(Organisation.agency == agency, Organisation.active.is_(True))
                               .order_by(Organisation.code)).all()
        units = tuple(Unit(code, territory, frozenset(serves or ())) for code, territory, serves in rows)
        serving: dict[str, str] = {}
        for unit in units:
            for kato in unit.serves:
                serving.setdefault(kato, unit.code)
        return AgencyUnits(units, serving)
    return _remembered.read(session, agency, FRESH_SECONDS, load)
