"""validate_form and check_schema: Russian field errors, the ИИН rules, hostile input."""

import json
from datetime import date

import pytest

from app.forms import FieldError, check_schema, make_iin, validate_form
from app.forms.iin import MSG_CHECKSUM, MSG_DATE, MSG_FORMAT, check_digit
from app.forms.validation import (
    MSG_ADULT_BIRTH,
    MSG_ADULT_IIN,
    MSG_BIRTH_MISMATCH,
    MSG_BORN_AFTER_REPORT,
    MSG_NO_IIN_REASON,
    MSG_REQUIRED,
    MSG_SEX_MISMATCH,
    MSG_UNKNOWN_FIELD,
)

REPORT = date(2026, 3, 20)

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["child", "family_members", "description"],
    "properties": {
        "description": {"type": "string", "minLength": 1, "maxLength": 2000},
        "child": {
            "type": "object",
            "required": ["full_name"],
            "additionalProperties": False,
            "properties": {
                "full_name": {"type": "string", "minLength": 1},
                "iin": {"type": ["string", "null"], "format": "iin"},
                "birth_date": {"type": "string", "format": "date"},
                "sex": {"enum": ["male", "female"]},
                "no_iin_reason": {"enum": ["foreign_citizen", "undocumented", "newborn", "other"]},
            },
            "x-iin": {
                "iin": "iin",
                "birthDate": "birth_date",
                "sex": "sex",
                "noIinReason": "no_iin_reason",
            },
        },
        "family_members": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["full_name", "relation"],
                "properties": {
                    "full_name": {"type": "string", "minLength": 1},
                    "relation": {"enum": ["mother", "father", "sibling", "other"]},
                    "iin": {"type": ["string", "null"], "format": "iin"},
                },
                # Adults too: same ИИН rules, no age limit.
                "x-iin": {"iin": "iin", "minor": False},
            },
        },
    },
}

CHILD_BIRTH = date(2015, 6, 1)
CHILD_IIN = make_iin(CHILD_BIRTH, "female", 123)
MOTHER_IIN = make_iin(date(1988, 11, 2), "female", 7)


def valid_form():
    return {
        "description": "Сообщение из школы",
        "child": {
            "full_name": "Иванова Анна",
            "iin": CHILD_IIN,
            "birth_date": "2015-06-01",
            "sex": "female",
        },
        "family_members": [
            {"full_name": "Иванова Мария", "relation": "mother", "iin": MOTHER_IIN},
            {"full_name": "Иванов Пётр", "relation": "sibling"},
        ],
    }


def check(data, report_date=REPORT):
    return validate_form(SCHEMA, data, report_date=report_date)


def only(errors):
    return {(e.field, e.message) for e in errors}


def test_schema_is_valid():
    assert check_schema(SCHEMA) == []


def test_valid_form():
    assert check(valid_form()) == []


def test_field_error_is_frozen_dataclass():
    err = FieldError("child.iin", "x")
    with pytest.raises(AttributeError):
        err.field = "y"
    assert err.as_dict() == {"field": "child.iin", "message": "x"}


# ---- the ИИН itself ----------------------------------------------------------------------


def test_bad_checksum():
    data = valid_form()
    data["child"]["iin"] = CHILD_IIN[:11] + str((int(CHILD_IIN[11]) + 1) % 10)
    # "format": "iin" and "x-iin" both catch it: reported once.
    assert check(data) == [FieldError("child.iin", MSG_CHECKSUM)]


def test_x_iin_alone_checks_the_iin():
    schema = {"type": "object", "properties": {"iin": {"type": "string"}}, "x-iin": {"iin": "iin"}}
    assert check_schema(schema) == []
    assert validate_form(schema, {"iin": CHILD_IIN}, report_date=REPORT) == []
    assert validate_form(schema, {"iin": "123"}, report_date=REPORT) == [FieldError("iin", MSG_FORMAT)]
    # No ИИН and no "noIinReason" configured: nothing to require (use "required" for that).
    assert validate_form(schema, {}, report_date=REPORT) == []


def test_bad_date_in_iin():
    data = valid_form()
    first11 = "15133160123"  # YYMMDD 151331: there is no month 13
    data["child"]["iin"] = first11 + str(check_digit(first11))
    assert only(check(data)) == {("child.iin", MSG_DATE)}


def test_not_twelve_digits():
    data = valid_form()
    data["child"]["iin"] = "12345"
    assert only(check(data)) == {("child.iin", MSG_FORMAT)}


def test_bad_iin_in_family_member():
    data = valid_form()
    data["family_members"][0]["iin"] = MOTHER_IIN[:11] + str((int(MOTHER_IIN[11]) + 1) % 10)
    assert only(check(data)) == {("family_members.0.iin", MSG_CHECKSUM)}


# ---- cross-field rules -------------------------------------------------------------------


def test_birth_date_mismatch():
    data = valid_form()
    data["child"]["birth_date"] = "2015-06-02"
    assert only(check(data)) == {("child.birth_date", MSG_BIRTH_MISMATCH)}


def test_sex_mismatch():
    data = valid_form()
    data["child"]["sex"] = "male"
    assert only(check(data)) == {("child.sex", MSG_SEX_MISMATCH)}


def test_age_18_or_more_refused():
    data = valid_form()
    data["child"].update(iin=make_iin(date(2005, 1, 10), "male", 5), birth_date="2005-01-10", sex="male")
    assert only(check(data)) == {("child.iin", MSG_ADULT_IIN)}


def test_turning_18_on_the_report_date_is_refused():
    # Born 20 March 2008: 18 years old exactly on the report date 20 March 2026.
    data = valid_form()
    data["child"].update(iin=make_iin(date(2008, 3, 20), "male", 5), birth_date="2008-03-20", sex="male")
    assert only(check(data)) == {("child.iin", MSG_ADULT_IIN)}


def test_turning_18_the_day_after_the_report_is_accepted():
    # Born 21 March 2008: still 17 on 20 March 2026.
    data = valid_form()
    data["child"].update(iin=make_iin(date(2008, 3, 21), "male", 5), birth_date="2008-03-21", sex="male")
    assert check(data) == []


def test_29_february_birthday_comes_of_age_on_1_march():
    # Born 29 Feb 2008; 2026 is not a leap year: 17 on 28 Feb 2026, 18 on 1 March 2026.
    data = valid_form()
    data["child"].update(iin=make_iin(date(2008, 2, 29), "female", 5), birth_date="2008-02-29")
    assert check(data, report_date=date(2026, 2, 28)) == []
    assert only(check(data, report_date=date(2026, 3, 1))) == {("child.iin", MSG_ADULT_IIN)}


def test_birth_after_report_date_refused():
    data = valid_form()
    data["child"].update(iin=make_iin(date(2026, 3, 21), "female", 5), birth_date="2026-03-21")
    assert only(check(data)) == {("child.iin", MSG_BORN_AFTER_REPORT)}


def test_adult_family_member_is_fine():
    # The mother's ИИН says 1988: "minor": false on family members.
    assert check(valid_form()) == []


def test_report_date_default_is_today():
    # The valid form stays valid today (the child is born in 2015).
    assert validate_form(SCHEMA, valid_form()) == []


# ---- no ИИН --------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["omit", None, ""])
def test_no_iin_without_reason(missing):
    data = valid_form()
    if missing == "omit":
        del data["child"]["iin"]
    else:
        data["child"]["iin"] = missing
    errors = only(check(data))
    assert ("child.no_iin_reason", MSG_NO_IIN_REASON) in errors
    # An empty string is not a ИИН for "format": send null or omit the field.
    expected = {("child.no_iin_reason", MSG_NO_IIN_REASON)}
    if missing == "":
        expected.add(("child.iin", MSG_FORMAT))
    assert errors == expected


def test_no_iin_with_reason():
    data = valid_form()
    data["child"]["iin"] = None
    data["child"]["no_iin_reason"] = "foreign_citizen"
    assert check(data) == []


def test_no_iin_reason_must_be_from_the_list():
    data = valid_form()
    del data["child"]["iin"]
    data["child"]["no_iin_reason"] = "просто так"
    assert only(check(data)) == {("child.no_iin_reason", "Выберите значение из списка")}


def test_no_iin_adult_by_birth_date_refused():
    data = valid_form()
    data["child"] = {
        "full_name": "Без ИИН",
        "birth_date": "2001-01-01",
        "no_iin_reason": "undocumented",
    }
    assert only(check(data)) == {("child.birth_date", MSG_ADULT_BIRTH)}


# ---- plain JSON Schema errors, in Russian, at the right path ------------------------------


def test_bad_family_member_item_path():
    data = valid_form()
    data["family_members"][1]["full_name"] = ""
    assert only(check(data)) == {("family_members.1.full_name", "Поле не может быть пустым")}


def test_required_points_at_missing_property():
    data = valid_form()
    del data["family_members"][1]["full_name"]
    del data["child"]["full_name"]
    del data["description"]
    assert only(check(data)) == {
        ("family_members.1.full_name", MSG_REQUIRED),
        ("child.full_name", MSG_REQUIRED),
        ("description", MSG_REQUIRED),
    }


def test_unknown_field_reported_by_name():
    data = valid_form()
    data["child"]["nickname"] = "Аня"
    assert only(check(data)) == {("child.nickname", MSG_UNKNOWN_FIELD)}


def test_bad_date_format():
    data = valid_form()
    data["child"]["birth_date"] = "01.06.2015"
    assert only(check(data)) == {("child.birth_date", "Неверная дата: ожидается ГГГГ-ММ-ДД")}


def test_messages_are_russian():
    errors = check({"description": 5, "child": {}, "family_members": {}})
    assert errors
    for e in errors:
        assert any("а" <= ch.lower() <= "я" for ch in e.message), e


# ---- hostile input ----------------------------------------------------------------------


def test_numbers_where_strings_are_expected():
    data = valid_form()
    data["child"].update(full_name=123, iin=150601601232, birth_date=20150601, sex=1)
    data["description"] = 3.5
    errors = only(check(data))
    assert errors == {
        ("description", "Неверное значение: ожидается текст"),
        ("child.full_name", "Неверное значение: ожидается текст"),
        ("child.iin", "Неверное значение: ожидается текст"),
        ("child.birth_date", "Неверное значение: ожидается текст"),
        ("child.sex", "Выберите значение из списка"),
    }


HOSTILE = [
    None,
    0,
    -1e308,
    "строка",
    [],
    [None, {}, [[]]],
    {"child": None, "family_members": None, "description": None},
    {"child": [], "family_members": "many", "description": {}},
    {"child": {"iin": {"$ref": "#"}, "birth_date": {"a": [1, 2]}, "sex": [], "no_iin_reason": 7},
     "family_members": [None, 1, "x", [], {"full_name": {}, "relation": [], "iin": True}],
     "description": ["a"]},
    {"child": {"full_name": "x", "iin": "1" * 10_000}, "family_members": [], "description": "x"},
    {"child": {"full_name": "x", "iin": "15060160123\u0663"}, "family_members": [], "description": "x"},
    json.loads("[" * 500 + "]" * 500),
    {"family_members": [json.loads("{\"a\": " * 300 + "1" + "}" * 300)]},
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_input_gives_errors_not_exceptions(data):
    errors = check(data)
    assert isinstance(errors, list) and errors
    assert all(isinstance(e, FieldError) and isinstance(e.field, str) and e.message for e in errors)


def test_hostile_garbage_field_paths():
    data = HOSTILE[8]
    fields = {e.field for e in check(data)}
    assert {"child.iin", "child.birth_date", "child.sex", "child.no_iin_reason",
            "family_members.0", "family_members.4.full_name", "family_members.4.iin",
            "description"} <= fields


def test_deep_nesting_under_recursive_schema():
    tree = {"type": "object", "properties": {"child": {"$ref": "#"}, "name": {"type": "string"}}}
    data = {"name": 1}
    for _ in range(5000):
        data = {"child": data}
    errors = validate_form(tree, data, report_date=REPORT)
    assert errors and all(isinstance(e, FieldError) for e in errors)


def test_broken_schema_at_runtime_is_an_error_not_an_exception():
    broken = {"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}}
    errors = validate_form(broken, {"a": 1}, report_date=REPORT)
    assert len(errors) == 1 and errors[0].field == ""


# ---- check_schema -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema, fragment",
    [
        ({"type": "objekt"}, "/type"),
        ({"type": "object", "required": "child"}, "/required"),
        ({"properties": {"a": {"minLength": -1}}}, "/properties/a/minLength"),
        ({"properties": {"a": {"pattern": "(unclosed"}}}, "/properties/a/pattern"),
        ({"type": "object", "x-iin": {"birthDate": "b"}}, "'iin'"),
        ({"type": "object", "properties": {"iin": {}}, "x-iin": {"iin": "iin", "sexx": "s"}}, "sexx"),
        ({"type": "object", "properties": {"iin": {}}, "x-iin": {"iin": "inn"}}, "'inn'"),
        ({"type": "object", "x-iin": {"iin": 5}}, "/x-iin/iin"),
        ({"type": "object", "x-iin": {"iin": "iin", "minor": "yes"}}, "/x-iin/minor"),
        ({"items": {"x-iin": "iin"}}, "/items/x-iin"),
        ([], "object"),
        ("{}", "object"),
    ],
)
def test_check_schema_finds_problems(schema, fragment):
    problems = check_schema(schema)
    assert problems and any(fragment in p for p in problems), problems


def test_check_schema_property_named_x_iin_is_not_the_keyword():
    schema = {"type": "object", "properties": {"x-iin": {"type": "string"}}}
    assert check_schema(schema) == []


def test_a_box_that_must_be_ticked_says_so():
    from app.forms.validation import validate_form
    schema = {"type": "object", "properties": {"acknowledged": {"type": "boolean", "const": True}}}
    errors = validate_form(schema, {"acknowledged": False})
    assert [(e.field, e.message) for e in errors] == [("acknowledged", "Должно быть отмечено")]
