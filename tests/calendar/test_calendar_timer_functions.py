"""The functions exposed to BPMN timer expressions and scripts."""

from datetime import datetime, timezone

import pytest
from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from app.calendar import WorkingCalendar, timer_functions

# Fixed engine clock: 09:00 UTC on Friday 14 March 2025 = 14:00 in Almaty.
FIXED_NOW = datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def fns():
    return timer_functions(WorkingCalendar(), ack_window_hours=1.0, now=lambda: FIXED_NOW)


def test_names(fns):
    assert set(fns) == {
        "add_working_days", "add_days", "add_hours", "ack_deadline", "now", "is_working_day", "child_age",
    }


def test_child_age_is_judged_by_the_birth_date_or_the_iin(fns):
    """Issue 12, point 13: P13.4's 0-3 years from the birth date the case knows, not a typed age."""
    from datetime import date

    from app.forms.iin import make_iin
    assert fns["child_age"]({"birth_date": "2022-12-02"}, "2026-12-01T10:00:00+05:00") == 3     # 4 tomorrow
    assert fns["child_age"]({"iin": make_iin(date(2022, 12, 1), "female")}, "2026-12-01") == 4
    assert fns["child_age"]({"iin": "not an iin"}, "2026-12-01") is None
    assert fns["child_age"]({}, "2026-12-01") is None and fns["child_age"](None, "2026-12-01") is None


def test_results_are_iso_strings_with_offset(fns):
    # Fri 14 March 2025 + 1 working day -> Mon 17 -> end of Monday.
    assert fns["add_working_days"]("2025-03-14T15:00:00+05:00", 1) == "2025-03-18T00:00:00+05:00"
    # + 7 calendar days: day 7 is Fri 21 (Nauryz, off to Tue 25) -> the next working day, Wed 26 -> due 27 00:00.
    assert fns["add_days"]("2025-03-14T15:00:00+05:00", 7) == "2025-03-27T00:00:00+05:00"
    assert fns["add_hours"]("2025-03-14T15:00:00+05:00", 2) == "2025-03-14T17:00:00+05:00"
    assert fns["now"]() == "2025-03-14T14:00:00+05:00"
    assert fns["is_working_day"]("2025-03-21") is False


def test_ack_deadline(fns):
    # Default: now (14:00 Almaty) + 1 hour.
    assert fns["ack_deadline"]() == "2025-03-14T15:00:00+05:00"
    assert fns["ack_deadline"]("2025-03-14T23:30:00+05:00") == "2025-03-15T00:30:00+05:00"
    custom = timer_functions(WorkingCalendar(), ack_window_hours=0.25, now=lambda: FIXED_NOW)
    assert custom["ack_deadline"]() == "2025-03-14T14:15:00+05:00"


def test_chained_calls_accept_own_output(fns):
    # A value stored in task data can be passed back in. Note the documented catch:
    # a deadline is 00:00 of the day AFTER the last counted day, so that day is the new
    # "day of receipt". now = Fri 14 -> due Tue 18 00:00; from Tue 18 00:00 the next
    # working day is Wed 19 -> due Thu 20 00:00.
    first = fns["add_working_days"](fns["now"](), 1)
    assert first == "2025-03-18T00:00:00+05:00"
    assert fns["add_working_days"](first, 1) == "2025-03-20T00:00:00+05:00"


def test_spiff_timer_parses_the_result(fns):
    # SpiffWorkflow's timeDate timer parses the expression result like this.
    parsed = TimerEventDefinition.parse_time_or_duration(
        fns["add_working_days"]("2025-03-14T15:00:00+05:00", 1)
    )
    assert parsed == datetime(2025, 3, 17, 19, 0, tzinfo=timezone.utc)


def test_spiff_environment_evaluates_expression(fns):
    # A timer expression evaluated the way the engine does it, with task data as context.
    env = TaskDataEnvironment(dict(fns))
    result = env.evaluate("add_working_days(received_at, 1)", {"received_at": "2026-03-20T15:00:00+05:00"})
    assert result == "2026-03-27T00:00:00+05:00"


def test_bad_ack_window_rejected():
    with pytest.raises(ValueError):
        timer_functions(WorkingCalendar(), ack_window_hours=-1)


def test_terms_longer_than_ten_years_are_refused_at_once_with_the_bound(fns):
    """Diagram code passes numbers it computed: add_working_days(d, 10**6) ran 18 s before."""
    assert fns["add_working_days"]("2025-03-14", 3660) > "2039"
    assert fns["add_days"]("2025-03-14", 3660) == "2035-03-27T00:00:00+05:00"   # day 3660 is Nauryz
    for name, n in (("add_working_days", 10**6), ("add_days", 3661), ("add_hours", 3660 * 24 + 1),
                    ("add_days", float("inf")), ("add_hours", float("nan"))):
        with pytest.raises(ValueError, match="3660|87840"):
            fns[name]("2025-03-14", n)


def test_every_function_promises_bounded_work(fns):
    # the engine evaluates `add_working_days(received_at, 1)` in process only for functions marked so
    assert all(getattr(f, "bounded", False) is True for f in fns.values())
