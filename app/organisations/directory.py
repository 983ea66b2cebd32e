"""The organisations routing picks from, per agency, remembered in each process for a couple of seconds.

Every step that creates a task asks which unit of an agency serves the case's territory; organisations
change a few times a year (the admin page, ``flask orgs``), so a completion should not read them each
time. The rule is a short time-to-live, like the calendar's days (``instances/environment.py``): another
process's change is seen within ``FRESH_SECONDS``; a change committed by this process (any ORM write to
``Organisation``) is seen at once. A version counter would need a row read per step, or a migration, to
save what the two seconds already save.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

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


_read: dict[tuple, tuple[float, AgencyUnits]] = {}
_lock = threading.Lock()


def units_of(session, agency: str) -> AgencyUnits:
    key = (session.get_bind().url, agency)          # one process may use several databases (tests, bench)
    hit = _read.get(key)
    if hit is not None and time.monotonic() - hit[0] <= FRESH_SECONDS:
        return hit[1]
    rows = session.execute(select(Organisation.code, Organisation.territory, Organisation.serves)
                           .where(Organisation.agency == agency, Organisation.active.is_(True))
                           .order_by(Organisation.code)).all()
    units = tuple(Unit(code, territory, frozenset(serves or ())) for code, territory, serves in rows)
    serving: dict[str, str] = {}
    for unit in units:
        for kato in unit.serves:
            serving.setdefault(kato, unit.code)
    found = AgencyUnits(units, serving)
    with _lock:
        _read[key] = (time.monotonic(), found)
    return found


def forget() -> None:
    """Read every agency's organisations again at the next step (after they changed)."""
    with _lock:
        _read.clear()


@event.listens_for(Organisation, "after_insert")
@event.listens_for(Organisation, "after_update")
@event.listens_for(Organisation, "after_delete")
def _changed(_mapper, _connection, target) -> None:
    session = object_session(target)
    if session is not None:
        session.info["organisations_changed"] = True


@event.listens_for(Session, "after_commit")
def _committed(session) -> None:
    # forgotten once the change is visible to the reads that follow, not at its flush (a read in between
    # would remember the old rows for another FRESH_SECONDS)
    if session.info.pop("organisations_changed", False):
        forget()

