"""ИИН — Kazakhstan's 12-digit individual identification number.

Layout (rules for forming the ИИН, Government Decree No. 406 of 22 May 2007):

* digits 1-6: birth date as YYMMDD;
* digit 7: century and sex — 1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the 2000s;
  odd is male, even is female;
* digits 8-11: serial number;
* digit 12: check digit. Weigh digits 1-11 by 1, 2, ..., 11 and take the sum mod 11.
  If that gives 10, weigh them again by 3, 4, ..., 11, 1, 2 and take mod 11. If it is 10
  again, no ИИН is ever issued with those 11 digits; otherwise it is the 12th digit.

Why here: a child's ИИН is the key that ties a report to the same child across agencies,
so a typo must be caught when the form is filled, not when two records fail to match.
Error reasons are in Russian because they go straight to the (Russian-first) form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["IinError", "IinInfo", "check_digit", "is_valid_iin", "make_iin", "parse_iin"]

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# digit 7 -> (first year of the century, sex)
_CENTURY_SEX = {
    1: (1800, "male"),
    2: (1800, "female"),
    3: (1900, "male"),
    4: (1900, "female"),
    5: (2000, "male"),
    6: (2000, "female"),
}

MSG_FORMAT = "ИИН должен состоять из 12 цифр"
MSG_CENTURY = "7-я цифра ИИН (век рождения и пол) должна быть от 1 до 6"
MSG_DATE = "Первые 6 цифр ИИН не образуют существующую дату рождения"
MSG_CHECKSUM = "Контрольная цифра ИИН не совпадает: проверьте, нет ли опечатки"
MSG_NEVER_ISSUED = "Такой ИИН не может существовать: проверьте, нет ли опечатки"


#: A stable code per reason, so that a page in another language can say it in its own words.
CODES = {
    MSG_FORMAT: "iin_format",
    MSG_CENTURY: "iin_century",
    MSG_DATE: "iin_date",
    MSG_CHECKSUM: "iin_checksum",
    MSG_NEVER_ISSUED: "iin_never_issued",
}


class IinError(ValueError):
    """An invalid ИИН; ``str(err)`` is a reason a person can read (in Russian), ``code`` names it."""

    @property
    def code(self) -> str:
        return CODES.get(str(self), "iin_invalid")


@dataclass(frozen=True)
class IinInfo:
    """What a valid ИИН says about its holder.

    ``century`` is the first year of the birth century: 1800, 1900 or 2000.
    ``sex`` is "male" or "female" (the values the forms use).
    """

    birth_date: date
    sex: str
    century: int


def check_digit(first11: str) -> int | None:
    """The check digit for 11 digits, or None when no valid ИИН can end them."""
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise IinError(MSG_FORMAT)
    digits = [int(c) for c in first11]
    for weights in (_WEIGHTS_1, _WEIGHTS_2):
        rest = sum(d * w for d, w in zip(digits, weights)) % 11
        if rest != 10:
            return rest
    return None


def parse_iin(s: object) -> IinInfo:
    """Check ``s`` and return what it encodes; raise :class:`IinError` (a ValueError) if bad.

    Checked in the order a person fixes them: 12 digits, the century/sex digit, the birth
    date, then the check digit.
    """
    # isascii: str.isdigit() also accepts other scripts' digits and superscripts.
    if not isinstance(s, str) or len(s) != 12 or not s.isascii() or not s.isdigit():
        raise IinError(MSG_FORMAT)
    marker = int(s[6])
    if marker not in _CENTURY_SEX:
        raise IinError(MSG_CENTURY)
    century, sex = _CENTURY_SEX[marker]
    try:
        birth = date(century + int(s[0:2]), int(s[2:4]), int(s[4:6]))
    except ValueError:
        raise IinError(MSG_DATE) from None
    expected = check_digit(s[:11])
    if expected is None:
        raise IinError(MSG_NEVER_ISSUED)
    if expected != int(s[11]):
        raise IinError(MSG_CHECKSUM)
    return IinInfo(birth_date=birth, sex=sex, century=century)


def is_valid_iin(s: object) -> bool:
    """True when ``s`` is a well-formed ИИН (any type is accepted, never raises)."""
    try:
        parse_iin(s)
    except IinError:
        return False
    return True


def make_iin(birth_date: date, sex: str, serial: int = 1) -> str:
    """Build a valid ИИН (for tests and demo data).

    ``serial`` (0-9999) fills digits 8-11. When no check digit exists for that serial
    (both weighings give 10), the next serial is used, so the result may carry
    ``serial + 1`` (or further). Births before 1800 or after 2099 cannot be encoded.
    """
    if sex not in ("male", "female"):
        raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")
    century = birth_date.year // 100 * 100
    markers = {1800: (1, 2), 1900: (3, 4), 2000: (5, 6)}
    if century not in markers:
        raise ValueError(f"a ИИН cannot encode the year {birth_date.year}")
    marker = markers[century][0 if sex == "male" else 1]
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial <= 9999:
        raise ValueError(f"serial must be an integer 0..9999, got {serial!r}")
    for candidate in range(serial, 10000):
        first11 = f"{birth_date:%y%m%d}{marker}{candidate:04d}"
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
    raise ValueError(f"no valid ИИН from serial {serial} upwards")
