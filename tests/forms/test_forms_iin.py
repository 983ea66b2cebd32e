"""ИИН parsing, check digit and the test-data generator."""

from datetime import date

import pytest

from app.forms.iin import (
    MSG_CENTURY,
    MSG_CHECKSUM,
    MSG_DATE,
    MSG_FORMAT,
    MSG_NEVER_ISSUED,
    IinError,
    IinInfo,
    check_digit,
    is_valid_iin,
    make_iin,
    parse_iin,
)


def with_check(first11: str) -> str:
    digit = check_digit(first11)
    assert digit is not None
    return first11 + str(digit)


def test_check_digit_first_weighing_by_hand():
    # 1 5 0 6 0 1 6 0 1 2 3 weighed 1..11:
    # 1 + 10 + 0 + 24 + 0 + 6 + 42 + 0 + 9 + 20 + 33 = 145; 145 mod 11 = 2.
    assert check_digit("15060160123") == 2
    assert parse_iin("150601601232") == IinInfo(date(2015, 6, 1), "female", 2000)


def test_check_digit_second_weighing_by_hand():
    # 0 8 0 3 1 5 5 0 0 0 1 weighed 1..11: 0+16+0+12+5+30+35+0+0+0+11 = 109; mod 11 = 10,
    # so weigh by 3,4,5,6,7,8,9,10,11,1,2: 0+32+0+18+7+40+45+0+0+0+2 = 144; mod 11 = 1.
    assert check_digit("08031550001") == 1
    assert parse_iin("080315500011") == IinInfo(date(2008, 3, 15), "male", 2000)


def test_never_issued_when_both_weighings_give_10():
    # 0 8 0 3 1 5 5 0 0 0 0: first 98 mod 11 = 10, second 142 mod 11 = 10.
    assert check_digit("08031550000") is None
    for last in "0123456789":
        with pytest.raises(IinError) as err:
            parse_iin("08031550000" + last)
        assert str(err.value) == MSG_NEVER_ISSUED


def test_make_iin_skips_serial_without_check_digit():
    # Serial 0000 has no check digit (see above), so serial 0001 is used.
    assert make_iin(date(2008, 3, 15), "male", 0) == "080315500011"


@pytest.mark.parametrize(
    "birth, sex, marker",
    [
        (date(1899, 12, 31), "male", "1"),
        (date(1850, 1, 1), "female", "2"),
        (date(1985, 7, 9), "male", "3"),
        (date(1990, 2, 28), "female", "4"),
        (date(2010, 1, 1), "male", "5"),
        (date(2020, 2, 29), "female", "6"),
    ],
)
def test_make_and_parse_round_trip(birth, sex, marker):
    for serial in (0, 1, 42, 9998):
        iin = make_iin(birth, sex, serial)
        assert iin[6] == marker and len(iin) == 12
        info = parse_iin(iin)
        assert info.birth_date == birth and info.sex == sex
        assert info.century == birth.year // 100 * 100
        assert is_valid_iin(iin)


def test_wrong_check_digit():
    good = make_iin(date(2015, 6, 1), "female", 123)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(IinError) as err:
        parse_iin(bad)
    assert str(err.value) == MSG_CHECKSUM
    assert not is_valid_iin(bad)


@pytest.mark.parametrize(
    "first11",
    [
        "15130160001",  # month 13
        "15023160001",  # 31 February
        "19022950001",  # 29 Feb 2019: not a leap year
        "00000050001",  # month 00, day 00
    ],
)
def test_bad_birth_date_with_valid_check_digit(first11):
    with pytest.raises(IinError) as err:
        parse_iin(with_check(first11))
    assert str(err.value) == MSG_DATE


def test_29_february_of_a_leap_year_is_fine():
    assert parse_iin(with_check("20022960001")).birth_date == date(2020, 2, 29)


@pytest.mark.parametrize("marker", ["0", "7", "8", "9"])
def test_century_digit_out_of_range(marker):
    with pytest.raises(IinError) as err:
        parse_iin(with_check(f"150601{marker}0001"))
    assert str(err.value) == MSG_CENTURY


@pytest.mark.parametrize(
    "value",
    ["", "15060160123", "1506016012321", "15060160123a", "1506 0160123", "１５０６０１６０１２３２",
     "١٥٠٦٠١٦٠١٢٣٢", None, 150601601232, 1.5, [], {}, True],
)
def test_not_twelve_digits(value):
    with pytest.raises(IinError) as err:
        parse_iin(value)
    assert str(err.value) == MSG_FORMAT
    assert isinstance(err.value, ValueError)
    assert is_valid_iin(value) is False


@pytest.mark.parametrize(
    "args",
    [
        (date(1799, 1, 1), "male", 1),
        (date(2100, 1, 1), "male", 1),
        (date(2010, 1, 1), "boy", 1),
        (date(2010, 1, 1), "male", -1),
        (date(2010, 1, 1), "male", 10000),
    ],
)
def test_make_iin_rejects_bad_arguments(args):
    with pytest.raises(ValueError):
        make_iin(*args)
