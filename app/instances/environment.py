"""What the engine needs from the rest of the service at run time: settings and timer functions.

The working-day calendar is the packaged Kazakhstan calendar plus the days an administrator
added (table ``calendar_overrides``); it is rebuilt only when those rows change.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import select

from ..calendar import default_calendar, timer_functions
from ..engine import DiagramFunctions, ScriptLimits, clock
from ..registry.models import CalendarOverride


@dataclass(frozen=True)
class Settings:
    ack_window_hours: float = 1.0
    message_ttl_hours: float = 720.0
    forms_dir: str = "forms"
    script_time_limit_s: float = 1.0
    script_memory_mb: int = 256
    due_soon_working_days: int = 1
    due_soon_share: float = 0.25

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Settings":
        return cls(ack_window_hours=config["ACK_WINDOW_HOURS"], message_ttl_hours=config["MESSAGE_TTL_HOURS"],
                   forms_dir=config["FORMS_DIR"], script_time_limit_s=config["SCRIPT_TIME_LIMIT_SECONDS"],
                   script_memory_mb=config["SCRIPT_MEMORY_MB"],
                   due_soon_working_days=config["DUE_SOON_WORKING_DAYS"], due_soon_share=config["DUE_SOON_SHARE"])


_calendars: dict[tuple, Any] = {}
_rows_read: tuple[float, tuple] = (-1.0, ())
OVERRIDES_FRESH_SECONDS = 2.0


def _override_rows(session) -> tuple:
    """The administrator's days, read at most every couple of seconds per process: they change
    a few times a year, and every engine step asks."""
    global _rows_read
    read_at, rows = _rows_read
    if time.monotonic() - read_at > OVERRIDES_FRESH_SECONDS:
        rows = tuple(session.execute(select(CalendarOverride.day, CalendarOverride.kind)
                                     .order_by(CalendarOverride.day)).all())
        _rows_read = (time.monotonic(), rows)
    return rows


def forget_overrides() -> None:
    """Make the next step read the administrator's days again (after this process changed them)."""
    global _rows_read
    _rows_read = (-1.0, ())


def working_calendar(session):
    rows = _override_rows(session)
    if rows not in _calendars:
        _calendars.clear()
        base = default_calendar()
        _calendars[rows] = base.with_overrides([d for d, k in rows if k == "day_off"],
                                               [d for d, k in rows if k == "working_day"])
    return _calendars[rows]


def engine_functions(session, settings: Settings) -> DiagramFunctions:
    """The functions diagrams call, with the limits their code runs under."""
    calendar = working_calendar(session)
    return DiagramFunctions(lambda: timer_functions(calendar, settings.ack_window_hours, now=clock.now),
                            ScriptLimits(settings.script_time_limit_s, settings.script_memory_mb))
