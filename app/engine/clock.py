"""The engine's clock.

SpiffWorkflow compares timers against ``datetime.now(timezone.utc)`` inside its timer module.
Operations (``flask worker run-due --now ...``) and scenario tests must be able to say "it is
now 1 December, 09:00" and have exactly the timers due at that instant fire, so the engine reads
time from one place that can be pinned for the duration of a step.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

import SpiffWorkflow.bpmn.specs.event_definitions.timer as _spiff_timer

_pinned: ContextVar[datetime | None] = ContextVar("qamqor_engine_now", default=None)


def now() -> datetime:
    """The current instant (aware, UTC): the pinned one inside ``pinned_at``, else the wall clock."""
    value = _pinned.get()
    return value if value is not None else datetime.now(timezone.utc)


@contextmanager
def pinned_at(instant: datetime | None):
    """Run a block as if the clock showed ``instant`` (None leaves the wall clock)."""
    if instant is None:
        yield
        return
    if instant.tzinfo is None:
        raise ValueError("the pinned instant must carry a time zone")
    token = _pinned.set(instant.astimezone(timezone.utc))
    try:
        yield
    finally:
        _pinned.reset(token)


class _EngineDatetime(datetime):
    """``datetime`` whose ``now`` is the engine clock; installed into SpiffWorkflow's timer module."""

    @classmethod
    def now(cls, tz=None):  # noqa: D102 - same contract as datetime.now
        instant = now()
        return instant.astimezone(tz) if tz is not None else instant.astimezone().replace(tzinfo=None)


_spiff_timer.datetime = _EngineDatetime
