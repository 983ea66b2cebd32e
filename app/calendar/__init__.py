"""Kazakhstan working-day calendar: deadlines in working days, calendar days and hours.

Pure Python (no Flask, no database). See :mod:`app.calendar.working_days` for the
semantics of each deadline and the sources of the calendar.
"""

from app.calendar.working_days import (
    ALMATY,
    DATA_FILE,
    WorkingCalendar,
    default_calendar,
    load_transfers,
    timer_functions,
    to_local,
)

__all__ = [
    "ALMATY",
    "DATA_FILE",
    "WorkingCalendar",
    "default_calendar",
    "load_transfers",
    "timer_functions",
    "to_local",
]
