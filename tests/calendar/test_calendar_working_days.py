"""Edge cases of the Kazakhstan working-day calendar.

Every expected value below was worked out by hand from the calendar; the comments show
the count. "due D 00:00" means the deadline is the end of the day before D.
All dates from March 2024 on are UTC+5 in Almaty.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from app.calendar import ALMATY, WorkingCalendar, default_calendar, load_transfers, to_local

UTC5 = timezone(timedelta(hours=5))


def at(y, m, d, hh=0, mm=0):
    """An expected deadline: aware, Almaty (+05:00)."""
    return datetime(y, m, d, hh, mm, tzinfo=UTC5)


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar()


def test_almaty_is_utc_plus_5_in_2026():
    assert datetime(2026, 6, 1, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)
    assert datetime(2026, 1, 1, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)


# ---- Nauryz --------------------------------------------------------------------------


def test_2025_friday_before_nauryz(cal):
    # Friday 14 March 2025, 15:00. 1 working day: Sat 15 and Sun 16 are weekend,
    # Mon 17 March is working -> due at the end of Monday = Tue 18 March 00:00.
    assert cal.add_working_days(datetime(2025, 3, 14, 15), 1) == at(2025, 3, 18)
    # 5 working days: Mon 17, Tue 18, Wed 19, Thu 20 (4), then Nauryz:
    # Fri 21 (holiday), Sat 22, Sun 23 (holidays on a weekend), Mon 24 and Tue 25
    # (the weekend holidays moved), so the 5th is Wed 26 -> due Thu 27 March 00:00.
    assert cal.add_working_days(datetime(2025, 3, 14, 15), 5) == at(2025, 3, 27)


def test_2025_day_before_nauryz_and_on_nauryz(cal):
    # Thursday 20 March 2025, 15:00: the next working day after 21-25 March is Wed 26.
    assert cal.add_working_days(datetime(2025, 3, 20, 15), 1) == at(2025, 3, 27)
    # Received on the holiday itself (Friday 21 March): same first working day, Wed 26.
    assert cal.add_working_days(datetime(2025, 3, 21, 9), 1) == at(2025, 3, 27)
    for d in (21, 22, 23, 24, 25):
        assert not cal.is_working_day(date(2025, 3, d))
    assert cal.is_working_day(date(2025, 3, 26))


def test_2026_nauryz_starts_on_saturday(cal):
    # 2026: 21 March is a Saturday, 22 Sunday, 23 Monday (holiday). The two weekend
    # days move to Tue 24 and Wed 25. Friday 20 March 15:00 + 1 working day:
    # 21, 22 weekend+holiday, 23 holiday, 24 and 25 moved days off, Thu 26 working
    # -> due Fri 27 March 00:00.
    assert cal.add_working_days("2026-03-20T15:00:00+05:00", 1) == at(2026, 3, 27)
    assert [cal.is_working_day(date(2026, 3, d)) for d in range(20, 27)] == [
        True, False, False, False, False, False, True,
    ]


# ---- New Year and Orthodox Christmas -------------------------------------------------


def test_received_on_31_december(cal):
    # Wed 31 Dec 2025, 10:00. Thu 1 and Fri 2 Jan are New Year, Sat 3 / Sun 4 weekend,
    # Mon 5 is the 1st working day -> due Tue 6 Jan 00:00.
    start = datetime(2025, 12, 31, 10)
    assert cal.add_working_days(start, 1) == at(2026, 1, 6)
    # 2nd working day: Tue 6 -> due Wed 7 00:00.
    assert cal.add_working_days(start, 2) == at(2026, 1, 7)
    # 3rd: Wed 7 is Orthodox Christmas, so Thu 8 -> due Fri 9 Jan 00:00.
    assert cal.add_working_days(start, 3) == at(2026, 1, 9)


# ---- transferred days off (government decrees the package knows) --------------------


def test_2024_worked_saturday_4_may(cal):
    # The 2024 decree moved the day off from Saturday 4 May to Wednesday 8 May.
    assert cal.is_working_day(date(2024, 5, 4))
    assert not cal.is_working_day(date(2024, 5, 8))
    start = datetime(2024, 5, 3, 15)  # Friday
    # 1 working day: Saturday 4 May is a working day -> due Sun 5 May 00:00.
    assert cal.add_working_days(start, 1) == at(2024, 5, 5)
    # 2: Sun 5 off, Mon 6 working -> due Tue 7 00:00.
    assert cal.add_working_days(start, 2) == at(2024, 5, 7)
    # 3: Tue 7 Defender's Day, Wed 8 transferred day off, Thu 9 Victory Day,
    #    Fri 10 working -> due Sat 11 May 00:00.
    assert cal.add_working_days(start, 3) == at(2024, 5, 11)


def test_2025_worked_sunday_5_january(cal):
    # The 2025 decree moved the day off from Sunday 5 January to Friday 3 January.
    # Received Saturday 4 January 2025: the 1st working day after it is Sunday 5 January
    # -> due Mon 6 January 00:00.
    assert cal.is_working_day(date(2025, 1, 5))
    assert not cal.is_working_day(date(2025, 1, 3))
    assert cal.add_working_days(date(2025, 1, 4), 1) == at(2025, 1, 6)


def test_received_on_saturday_counts_from_monday(cal):
    # Saturday 15 March 2025 + 1 working day -> Monday 17 -> due Tue 18 March 00:00.
    assert cal.add_working_days(datetime(2025, 3, 15, 11), 1) == at(2025, 3, 18)


def test_zero_working_days_is_end_of_receipt_day(cal):
    assert cal.add_working_days(datetime(2025, 3, 14, 15), 0) == at(2025, 3, 15)


@pytest.mark.parametrize("bad", [-1, 1.5, "1", None, True])
def test_bad_counts_rejected(cal, bad):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2025, 3, 14), bad)


def test_float_whole_count_accepted(cal):
    # Counts read from JSON task data may arrive as 1.0.
    assert cal.add_working_days(date(2025, 3, 14), 1.0) == at(2025, 3, 18)


# ---- overrides -----------------------------------------------------------------------


def test_admin_extra_day_off_2026():
    # Friday 28 August 2026 + 1 working day: by the package Mon 31 August is working
    # (no Constitution Day in 2026) -> due Tue 1 Sep 00:00. With the administrator's
    # extra day off on Mon 31 August, the 1st working day is Tue 1 Sep -> due Wed 2 Sep.
    base = WorkingCalendar()
    assert base.add_working_days(datetime(2026, 8, 28, 15), 1) == at(2026, 9, 1)
    admin = base.with_overrides(days_off=[date(2026, 8, 31)])
    assert not admin.is_working_day(date(2026, 8, 31))
    assert admin.add_working_days(datetime(2026, 8, 28, 15), 1) == at(2026, 9, 2)


def test_admin_extra_working_saturday_2026():
    # Friday 18 December 2026 + 1 working day: normally Mon 21 -> due Tue 22 Dec 00:00.
    # With Saturday 19 December made a working day -> due Sun 20 Dec 00:00.
    base = WorkingCalendar()
    assert base.add_working_days(datetime(2026, 12, 18, 15), 1) == at(2026, 12, 22)
    admin = base.with_overrides(working_days=["2026-12-19"])
    assert admin.is_working_day(date(2026, 12, 19))
    assert admin.add_working_days(datetime(2026, 12, 18, 15), 1) == at(2026, 12, 20)


def test_override_wins_over_package_holiday_and_layers():
    # Making a package holiday a working day (e.g. an estimate that turned out wrong).
    cal = WorkingCalendar(extra_working_days=[date(2026, 5, 27)])
    assert cal.is_working_day(date(2026, 5, 27))
    # The newer layer wins over the older one.
    again = cal.with_overrides(days_off=[date(2026, 5, 27)])
    assert not again.is_working_day(date(2026, 5, 27))
    assert date(2026, 5, 27) not in again.extra_working_days


def test_same_date_in_both_sets_rejected():
    with pytest.raises(ValueError):
        WorkingCalendar(extra_days_off=[date(2026, 1, 5)], extra_working_days=[date(2026, 1, 5)])
    with pytest.raises(ValueError):
        WorkingCalendar().with_overrides(days_off=["2026-01-05"], working_days=["2026-01-05"])


def test_default_calendar_loads_shipped_file():
    days_off, working_days = load_transfers()
    assert date(2026, 5, 27) in days_off  # Kurban Ait 2026
    assert all(isinstance(d, date) for d in days_off + working_days)
    cal = default_calendar()
    assert not cal.is_working_day(date(2026, 5, 27))
    # Tue 26 May 2026 + 1 working day: Wed 27 is Kurban Ait -> Thu 28 -> due Fri 29 00:00.
    assert cal.add_working_days("2026-05-26T09:00", 1) == at(2026, 5, 29)


# ---- calendar days and hours ---------------------------------------------------------


def test_add_days_across_month_end(cal):
    # Wed 28 January 2026, 10:00 + 7 calendar days: day 7 is Wed 4 February
    # -> due Thu 5 February 00:00.
    assert cal.add_days(datetime(2026, 1, 28, 10), 7) == at(2026, 2, 5)
    # Wed 25 Feb 2026 + 7: Feb has 28 days, day 7 is Wed 4 March -> due Thu 5 March.
    assert cal.add_days("2026-02-25T23:59", 7) == at(2026, 3, 5)
    # Every day counts, but a term ending on a non-working day ends on the next working day (Civil Code):
    # Fri 20 March 2026 + 2 -> Sun 22, off with Nauryz to Wed 25 -> Thu 26 -> due Fri 27 00:00.
    assert cal.add_days(date(2026, 3, 20), 2) == at(2026, 3, 27)
    # A term ending on a working day is not moved: Fri 20 March 2026 + 6 -> Thu 26 -> due Fri 27 00:00.
    assert cal.add_days(date(2026, 3, 20), 6) == at(2026, 3, 27)
    # P4.b for a report of 31 December 2026: 2 January 2027 is a holiday -> the next working day.
    # (Sat 2 January 2027 is a holiday, Sun 3, Mon 4 the holiday moved from the Saturday -> Tue 5)
    assert cal.add_days(date(2026, 12, 31), 2) == at(2027, 1, 6)


def test_add_hours_is_plain_elapsed_time(cal):
    # Saturday night: hours do not care about weekends.
    assert cal.add_hours("2026-03-21T23:30:00+05:00", 1) == at(2026, 3, 22, 0, 30)
    assert cal.add_hours("2026-03-21T18:00:00Z", 0.5) == at(2026, 3, 21, 23, 30)
    assert cal.add_hours(datetime(2026, 3, 21, 10), 1).tzinfo is not None


# ---- input forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        "2025-03-14T15:00:00+05:00",  # ISO string with offset
        "2025-03-14T10:00:00Z",  # UTC string: 15:00 in Almaty
        "2025-03-14T15:00",  # naive string: Almaty local
        "2025-03-14",  # date-only string
        datetime(2025, 3, 14, 15),  # naive datetime: Almaty local
        datetime(2025, 3, 14, 10, tzinfo=timezone.utc),  # aware
        date(2025, 3, 14),  # date
    ],
)
def test_input_forms(cal, start):
    # All are Friday 14 March 2025 in Almaty -> Mon 17 -> due Tue 18 March 00:00.
    result = cal.add_working_days(start, 1)
    assert result == at(2025, 3, 18)
    assert result.utcoffset() == timedelta(hours=5)


def test_utc_evening_is_next_day_in_almaty(cal):
    # 19:30 UTC on Thursday 13 March 2025 is 00:30 Friday 14 March in Almaty: the day
    # of receipt is Friday -> 1st working day Mon 17 -> due Tue 18 March.
    assert cal.add_working_days("2025-03-13T19:30:00Z", 1) == at(2025, 3, 18)
    # The same wall-clock time read as Almaty local is still Thursday -> Fri 14 -> due Sat 15.
    assert cal.add_working_days("2025-03-13T19:30", 1) == at(2025, 3, 15)


@pytest.mark.parametrize("bad", ["yesterday", "", "2025-13-01", 12345, None])
def test_bad_start_rejected(cal, bad):
    with pytest.raises((ValueError, TypeError)):
        cal.add_working_days(bad, 1)


def test_to_local_keeps_instant():
    moment = datetime(2026, 3, 1, 0, 0, tzinfo=timezone.utc)
    local = to_local(moment)
    assert local == moment and local.hour == 5


# ---- working_days_between ------------------------------------------------------------


def test_working_days_between(cal):
    # Fri 14 March 2025 -> Wed 26 March: 17, 18, 19, 20 and 26 = 5 working days.
    assert cal.working_days_between("2025-03-14T15:00", "2025-03-26T09:00") == 5
    assert cal.working_days_between("2025-03-26", "2025-03-14") == -5
    assert cal.working_days_between("2025-03-14T08:00", "2025-03-14T18:00") == 0
    # Inverse of the deadline count.
    for n in range(0, 12):
        day = cal.nth_working_day_after(date(2025, 12, 30), n)
        assert cal.working_days_between(date(2025, 12, 30), day) == n
