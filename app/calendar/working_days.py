"""Kazakhstan working-day calendar for the procedure's deadlines.

Why this module exists: the interagency procedure sets deadlines in *working days*
("1 working day" for the primary information), in *calendar days* ("7 calendar days"
to go to court) and *immediately* (an acknowledgement window counted in hours).
Kazakhstan's working days are not just Monday-Friday: public holidays, holidays that
fall on a weekend and move to the next working day, and Saturdays the government turns
into working days (moving the day off elsewhere) all change them.

Sources of truth, lowest priority first:

1. the PyPI ``holidays`` package (``holidays.KZ``): public holidays, weekend moves and the
   government's transfers, but transfers only up to 2025, and Kurban Ait estimated;
2. the shipped data file ``kz_transfers.yaml`` (see :func:`default_calendar`);
3. an administrator's additions, passed in with :meth:`WorkingCalendar.with_overrides`.

Time zone: all results are aware datetimes in Asia/Almaty. Since 1 March 2024 the whole
country is on UTC+5 with no daylight saving time. The system tz database is used when it
knows this; a machine with an older database (which still says +06:00) falls back to a
fixed UTC+5 so deadlines are never an hour off. Dates before March 2024 then read as +05
too, which is fine for a service started after that date.

Deadline semantics (the same for every ``add_*`` counting days, and why):

* The day of receipt is never counted: the law counts a term from the *next* day
  (Civil Code rule for terms in days), and a report received at 17:55 must not lose
  its whole first day.
* "Within N working days" ends at the END of the N-th working day after the day of
  receipt, i.e. local 00:00 of the day after that working day. Received Friday 15:00,
  1 working day -> due Tuesday 00:00 (end of Monday) when Monday is a working day.
  Received on a non-working day, the count still starts with the next working day:
  received Saturday, 1 working day -> end of Monday too.
* ``add_days`` counts calendar days the same way: 7 calendar days from Monday 10:00
  end at 00:00 on the Tuesday eight days later (the end of day 7).
* ``add_hours`` is plain elapsed time (the "immediately" acknowledgement window).

Midnight is used as the end of a day (rather than 23:59:59) because a deadline is a
single instant, and "before 00:00 of the next day" is exactly "during the last day".
The catch: that instant already belongs to the next day, so a deadline fed back in as a
start counts from the day after the last counted day. Always count from the original
receipt time, not from an earlier deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Union

import holidays

__all__ = [
    "ALMATY",
    "DATA_FILE",
    "WorkingCalendar",
    "default_calendar",
    "load_transfers",
    "timer_functions",
    "to_local",
]

DateLike = Union[str, date, datetime]

#: Kazakhstan's country-wide UTC+5 (since 1 March 2024, no DST).
FIXED_UTC5 = timezone(timedelta(hours=5), "Asia/Almaty")


def _almaty_zone():
    """The Asia/Almaty zone, or a fixed UTC+5 if the tz database is missing or outdated."""
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo("Asia/Almaty")
        if datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=5):
            return zone
    except Exception:  # no tz database at all
        pass
    return FIXED_UTC5


ALMATY = _almaty_zone()

#: The shipped list of transfers the ``holidays`` package does not know yet.
DATA_FILE = Path(__file__).with_name("kz_transfers.yaml")


def to_local(value: DateLike) -> datetime:
    """Turn ``value`` into an aware datetime in Almaty time.

    Accepts an aware datetime (converted), a naive datetime (taken as Almaty local time),
    a date (its local 00:00), or an ISO 8601 string of any of those ("2026-03-20",
    "2026-03-20T15:00", "2026-03-20T10:00:00Z", "2026-03-20T15:00:00+05:00").
    Task data holds strings, so strings are the common case.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:  # a bare date: YYYY-MM-DD
                return datetime.combine(date.fromisoformat(text), time(0), ALMATY)
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date or datetime: {value!r}") from None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=ALMATY)
        return value.astimezone(ALMATY)
    if isinstance(value, date):
        return datetime.combine(value, time(0), ALMATY)
    raise TypeError(f"expected a date, datetime or ISO 8601 string, got {type(value).__name__}")


def _to_date(value: DateLike) -> date:
    """The Almaty calendar day of ``value`` (a plain date is taken as it is)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return to_local(value).date()


def _end_of(day: date) -> datetime:
    """Local 00:00 of the day after ``day``: the instant ``day`` ends."""
    return datetime.combine(day + timedelta(days=1), time(0), ALMATY)


#: The longest term a deadline may count: ten years. Diagram code calls these functions with
#: numbers it computed; without a bound, ``add_working_days(d, 10**6)`` held the service for 18 s.
MAX_DAYS = 3660
MAX_HOURS = MAX_DAYS * 24


def _count(n: Any) -> int:
    """A whole number of days from 0 to ``MAX_DAYS`` (1 and 1.0 are fine; 1.5, -1, True are not)."""
    if isinstance(n, bool) or not isinstance(n, (int, float)) or not n >= 0 or (n <= MAX_DAYS and n != int(n)):
        raise ValueError(f"a number of days must be a whole number >= 0, got {n!r}")
    if n > MAX_DAYS:
        raise ValueError(f"a number of days must be at most {MAX_DAYS} (ten years), got {n!r}")
    return int(n)


class WorkingCalendar:
    """Working days in Kazakhstan: ``holidays.KZ`` plus explicit overrides.

    ``extra_days_off`` make a date a non-working day (a weekday holiday the package lacks);
    ``extra_working_days`` make a date a working day (a Saturday worked by decree). Both win
    over the package. A date may not be in both sets.
    """

    def __init__(
        self,
        extra_days_off: Iterable[DateLike] = (),
        extra_working_days: Iterable[DateLike] = (),
    ) -> None:
        self.extra_days_off: frozenset[date] = frozenset(_to_date(d) for d in extra_days_off)
        self.extra_working_days: frozenset[date] = frozenset(
            _to_date(d) for d in extra_working_days
        )
        both = self.extra_days_off & self.extra_working_days
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates both a day off and a working day: {listed}")
        # Pre-build the years a running service will ask about, so the package's lazy
        # year expansion (a dict mutation) rarely happens under concurrent requests.
        this_year = date.today().year
        self._kz = holidays.KZ(years=range(this_year - 3, this_year + 3))

    def with_overrides(
        self, days_off: Iterable[DateLike] = (), working_days: Iterable[DateLike] = ()
    ) -> "WorkingCalendar":
        """A new calendar with an administrator's additions layered on top of this one.

        The newer layer wins: a date the administrator marks as a working day stops being
        a day off of this calendar, and the other way round.
        """
        new_off = {_to_date(d) for d in days_off}
        new_work = {_to_date(d) for d in working_days}
        both = new_off & new_work
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates both a day off and a working day: {listed}")
        return WorkingCalendar(
            extra_days_off=(self.extra_days_off - new_work) | new_off,
            extra_working_days=(self.extra_working_days - new_off) | new_work,
        )

    # ---- single days -------------------------------------------------------------

    def is_working_day(self, d: DateLike) -> bool:
        """True when ``d`` (its Almaty calendar day) is a working day."""
        day = _to_date(d)
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return self._kz.is_working_day(day)

    def holiday_name(self, d: DateLike) -> str | None:
        """The package's name of the holiday on ``d`` (Kazakh), or None. For display only."""
        return self._kz.get(_to_date(d))

    # ---- deadlines ---------------------------------------------------------------

    def nth_working_day_after(self, start: DateLike, n: int) -> date:
        """The n-th working day strictly after the day of ``start`` (n=0: that day itself)."""
        n = _count(n)
        day = _to_date(start)
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def add_working_days(self, start: DateLike, n: int) -> datetime:
        """Deadline "within n working days" of ``start``: the end of the n-th working day.

        The day of receipt is not counted, whether or not it is a working day; the result
        is local 00:00 after the n-th working day that follows it. ``n=0`` gives the end of
        the day of receipt itself.
        """
        return _end_of(self.nth_working_day_after(start, n))

    def add_days(self, start: DateLike, n: int) -> datetime:
        """Deadline "within n calendar days" of ``start``: the end of the n-th day after it, or, when that
        day is not a working day, the end of the next working day.

        The Civil Code's rule on terms: a term whose last day falls on a non-working day ends on the
        next working day after it (a P4.b term of a report of 31 December ends on 3 January, not on the
        2 January holiday).
        """
        last = _to_date(start) + timedelta(days=_count(n))
        while not self.is_working_day(last):
            last += timedelta(days=1)
        return _end_of(last)

    def add_hours(self, start: DateLike, n: float) -> datetime:
        """``start`` plus ``n`` elapsed hours (no calendar: used for "immediately")."""
        if isinstance(n, bool) or not isinstance(n, (int, float)) or not 0 <= n <= MAX_HOURS:
            raise ValueError(f"a number of hours must be from 0 to {MAX_HOURS} (ten years), got {n!r}")
        moment = to_local(start).astimezone(timezone.utc) + timedelta(hours=n)
        return moment.astimezone(ALMATY)

    def working_days_between(self, a: DateLike, b: DateLike) -> int:
        """Working days after the day of ``a`` up to and including the day of ``b``.

        The inverse of :meth:`nth_working_day_after`: for a report received at ``a`` and
        closed at ``b``, this is how many working days it took, counted the way deadlines
        are counted (``working_days_between(a, nth_working_day_after(a, n)) == n``).
        Negative when ``b`` is before ``a``; 0 on the same day.
        """
        first, last = _to_date(a), _to_date(b)
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        count = 0
        day = first + timedelta(days=1)
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return sign * count

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(extra_days_off={len(self.extra_days_off)} dates, "
            f"extra_working_days={len(self.extra_working_days)} dates)"
        )


def load_transfers(path: Path | str = DATA_FILE) -> tuple[list[date], list[date]]:
    """Read ``(days_off, working_days)`` from a transfers YAML file.

    Entries are either bare ISO dates or mappings ``{date: ..., note: ...}``.
    """
    import yaml  # imported here: only the data-file loader needs it

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}

    def dates(key: str) -> list[date]:
        out = []
        for entry in data.get(key) or []:
            value = entry.get("date") if isinstance(entry, dict) else entry
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, str):
                value = date.fromisoformat(value)
            if not isinstance(value, date):
                raise ValueError(f"{path}: {key}: not a date: {entry!r}")
            out.append(value)
        return out

    return dates("days_off"), dates("working_days")


def default_calendar() -> WorkingCalendar:
    """The package's calendar plus the shipped ``kz_transfers.yaml``.

    Layer an administrator's additions with ``default_calendar().with_overrides(...)``.
    """
    days_off, working_days = load_transfers()
    return WorkingCalendar(extra_days_off=days_off, extra_working_days=working_days)


def child_age(child: Any, on: DateLike) -> int | None:
    """Full years of a child on the day of ``on``, from the birth date the case knows (``child.birth_date``,
    else the one an ИИН holds); None when neither is known. Diagrams judge the 0-3 age of P13.4 by it
    rather than by an age typed into a form."""
    from ..forms.iin import parse_iin        # here: the calendar does not otherwise depend on forms

    if not isinstance(child, Mapping):
        return None
    birth = None
    try:
        if child.get("birth_date"):
            birth = _to_date(child["birth_date"])
        elif child.get("iin"):
            birth = parse_iin(child["iin"]).birth_date
    except (ValueError, TypeError):
        return None
    if birth is None:
        return None
    day = _to_date(on)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def timer_functions(
    calendar: WorkingCalendar,
    ack_window_hours: float = 1.0,
    now: Callable[[], datetime] = _utc_now,
) -> dict[str, Callable[..., Any]]:
    """Functions that BPMN timer expressions and script tasks may call.

    Every date-returning function returns an ISO 8601 string with the Almaty offset
    (``2026-03-24T00:00:00+05:00``): SpiffWorkflow's timeDate timers parse the expression's
    result with ``datetime.fromisoformat`` and need a ``str``, and task data must stay
    JSON-serialisable. Every function also accepts ISO strings, so a value read back
    from task data can be passed straight in.

    ``now`` is the engine's clock (an aware UTC datetime); tests pass a fixed one.
    ``ack_deadline(start=None)`` is ``start`` (or now) plus the acknowledgement window for
    "immediately" steps.
    """
    if isinstance(ack_window_hours, bool) or not isinstance(ack_window_hours, (int, float)):
        raise ValueError(f"ack_window_hours must be a number, got {ack_window_hours!r}")
    if ack_window_hours < 0:
        raise ValueError(f"ack_window_hours must be >= 0, got {ack_window_hours!r}")

    def _now_local() -> datetime:
        return to_local(now())

    def now_iso() -> str:
        return _now_local().isoformat()

    def add_working_days(start: DateLike, n: int) -> str:
        return calendar.add_working_days(start, n).isoformat()

    def add_days(start: DateLike, n: int) -> str:
        return calendar.add_days(start, n).isoformat()

    def add_hours(start: DateLike, n: float) -> str:
        return calendar.add_hours(start, n).isoformat()

    def ack_deadline(start: DateLike | None = None) -> str:
        base = _now_local() if start is None else start
        return calendar.add_hours(base, ack_window_hours).isoformat()

    def is_working_day(d: DateLike) -> bool:
        return calendar.is_working_day(d)

    functions = {
        "child_age": child_age,
        "add_working_days": add_working_days,
        "add_days": add_days,
        "add_hours": add_hours,
        "ack_deadline": ack_deadline,
        "now": now_iso,
        "is_working_day": is_working_day,
    }
    # Each does bounded work whatever its arguments (terms are capped at MAX_DAYS), so the
    # engine may call them in process from a simple expression (see app/engine/bounded.py).
    for function in functions.values():
        function.bounded = True
    return functions
