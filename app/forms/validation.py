"""Validate form data against its JSON Schema, with Russian messages per field.

Why: forms are JSON Schemas (Draft 2020-12) so that any front end can render them and the
server checks the same rules. People read the errors, so each error names the field
(a dotted path such as ``child.iin`` or ``family_members.1.full_name``) and says in Russian
what to fix. ``validate_form`` never raises on any data: hostile input gives errors.

Extensions
==========

``"format": "iin"``
    The string is a valid ИИН (12 digits, century/sex digit 1-6, a real birth date, the
    check digit; see :mod:`app.forms.iin`). Like every format, it applies to strings only:
    send ``null`` (or omit the field) when there is no ИИН — an empty string is not a ИИН.

``"x-iin"`` on an object schema: ties a person's ИИН to the other fields of that object::

    "child": {
      "type": "object",
      "properties": {
        "iin": {"type": ["string", "null"], "format": "iin"},
        "birth_date": {"type": "string", "format": "date"},
        "sex": {"enum": ["male", "female"]},
        "no_iin_reason": {"enum": ["foreign_citizen", "undocumented", "newborn", "other"]}
      },
      "x-iin": {"iin": "iin", "birthDate": "birth_date", "sex": "sex",
                "noIinReason": "no_iin_reason"}
    }

    Each value names a property of the same object. Only ``iin`` is required.

    * ``iin``: the ИИН is checked like ``format: iin`` (so the keyword alone is enough).
    * ``birthDate``: when both are given, the birth date must equal the ИИН's.
    * ``sex``: when both are given, "male"/"female" must match the ИИН's 7th digit.
    * ``noIinReason``: when the ИИН is missing, null or "", this field is required (its
      allowed values are the schema's own ``enum``: foreign citizen, undocumented, ...).
    * ``minor`` (boolean, default true): the person must be under 18 on the report date.
      The age is taken from the ИИН, or from ``birthDate`` when there is no ИИН. Someone
      turning 18 on the report date is refused (no longer a child that day). A 29 February
      birthday comes of age on 1 March in a non-leap year. Set ``"minor": false`` for
      adults described with the same keyword (parents in a family list).

    Mismatches are reported on the field to fix (``child.birth_date``, ``child.sex``);
    type errors in those fields are left to their own schemas.

The report date comes from ``validate_form(..., report_date=...)``; by default today in
Almaty (UTC+5 all year since March 2024, so a fixed offset is enough here).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
import re
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from app.forms.i18n import check_i18n
from app.forms.iin import CODES as IIN_CODES, IinError, parse_iin

__all__ = ["FieldError", "check_schema", "validate_form", "FORMAT_CHECKER"]

log = logging.getLogger(__name__)

_ALMATY = timezone(timedelta(hours=5))
ADULT_AGE = 18

MSG_REQUIRED = "Обязательное поле"
MSG_NO_IIN_REASON = "Укажите ИИН или причину, по которой его нет"
MSG_BIRTH_MISMATCH = "Дата рождения не совпадает с датой рождения в ИИН"
MSG_SEX_MISMATCH = "Пол не совпадает с ИИН"
MSG_ADULT_IIN = "По ИИН на дату сообщения исполнилось 18 лет: процедура касается только детей"
MSG_ADULT_BIRTH = "На дату сообщения исполнилось 18 лет: процедура касается только детей"
MSG_BORN_AFTER_REPORT = "Дата рождения позже даты сообщения"
MSG_UNKNOWN_FIELD = "Неизвестное поле"
MSG_INVALID = "Недопустимое значение"
MSG_CANNOT_CHECK = "Форму не удалось проверить: ошибка в описании формы"
MSG_TOO_DEEP = "Слишком глубокая вложенность данных"

#: Codes of the fixed messages (see ``FieldError.code``).
_CODES = {
    MSG_REQUIRED: "required",
    MSG_NO_IIN_REASON: "no_iin_reason",
    MSG_BIRTH_MISMATCH: "birth_mismatch",
    MSG_SEX_MISMATCH: "sex_mismatch",
    MSG_ADULT_IIN: "adult_iin",
    MSG_ADULT_BIRTH: "adult_birth",
    MSG_BORN_AFTER_REPORT: "born_after_report",
    MSG_UNKNOWN_FIELD: "unknown_field",
    MSG_INVALID: "invalid",
    MSG_CANNOT_CHECK: "cannot_check",
    MSG_TOO_DEEP: "too_deep",
    **IIN_CODES,
}

_TYPE_NAMES = {
    "string": "текст",
    "number": "число",
    "integer": "целое число",
    "boolean": "да или нет",
    "array": "список",
    "object": "группа полей",
    "null": "пустое значение",
}

_FORMAT_MESSAGES = {
    "date": "Неверная дата: ожидается ГГГГ-ММ-ДД",
    "date-time": "Неверные дата и время",
    "time": "Неверное время",
    "email": "Неверный адрес электронной почты",
    "uri": "Неверная ссылка",
}


@dataclass(frozen=True)
class FieldError:
    """One problem with one field. ``field`` is a dotted path ("" for the whole form).

    ``message`` is the Russian text (what the API returns). ``code`` and ``params`` say the
    same for a reader in another language: the staff pages word each code in the page's
    language (``app/pages/form_errors.py``), e.g. ``code="min_length", params={"n": 3}``.
    They take no part in comparisons, so an error equals ``FieldError(field, message)``.
    """

    field: str
    message: str
    code: str | None = dc_field(default=None, compare=False)
    params: dict = dc_field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def _coded(field: str, message: str) -> FieldError:
    """A field error with one of the fixed messages, its code looked up."""
    return FieldError(field, message, _CODES.get(message, "invalid"))


# ---- format "iin" ----------------------------------------------------------------------

#: Draft 2020-12's format checker plus "iin". Formats are asserted, not just annotated.
FORMAT_CHECKER = FormatChecker()


@FORMAT_CHECKER.checks("iin", raises=IinError)
def _check_iin_format(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats apply to strings only; "type" reports the rest
    parse_iin(value)
    return True


# ---- keyword "x-iin" -------------------------------------------------------------------

_X_IIN_KEYS = {"iin": str, "birthDate": str, "sex": str, "noIinReason": str, "minor": bool}


def _age_on(birth: date, on: date) -> int:
    """Whole years from ``birth`` to ``on`` (29 Feb birthdays count from 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _parse_date(value: object) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _make_x_iin(report_date: date):
    def x_iin(validator, spec, instance, schema) -> Iterator[ValidationError]:
        if not isinstance(instance, dict) or not isinstance(spec, dict):
            return
        iin_key = spec.get("iin")
        if not isinstance(iin_key, str):
            return
        birth_key, sex_key, reason_key = spec.get("birthDate"), spec.get("sex"), spec.get("noIinReason")
        minor = spec.get("minor", True) is not False

        def err(key: str, message: str) -> ValidationError:
            return ValidationError(message, path=[key], validator="x-iin", validator_value=spec)

        iin_value = instance.get(iin_key)
        birth_value = instance.get(birth_key) if isinstance(birth_key, str) else None
        form_birth = _parse_date(birth_value)

        if _blank(iin_value):
            if isinstance(reason_key, str) and _blank(instance.get(reason_key)):
                yield err(reason_key, MSG_NO_IIN_REASON)
            if minor and form_birth is not None and isinstance(birth_key, str):
                yield from _age_errors(err, birth_key, form_birth, report_date, MSG_ADULT_BIRTH)
            return

        try:
            info = parse_iin(iin_value)
        except IinError as exc:
            yield err(iin_key, str(exc))
            return

        if isinstance(birth_key, str) and form_birth is not None and form_birth != info.birth_date:
            yield err(birth_key, MSG_BIRTH_MISMATCH)
        if isinstance(sex_key, str):
            sex_value = instance.get(sex_key)
            if sex_value in ("male", "female") and sex_value != info.sex:
                yield err(sex_key, MSG_SEX_MISMATCH)
        if minor:
            yield from _age_errors(err, iin_key, info.birth_date, report_date, MSG_ADULT_IIN)

    return x_iin


def _age_errors(err, key: str, birth: date, report_date: date, adult_message: str):
    if birth > report_date:
        yield err(key, MSG_BORN_AFTER_REPORT)
    elif _age_on(birth, report_date) >= ADULT_AGE:
        yield err(key, adult_message)


# The report date reaches the x-iin keyword through a context variable, so that the extended
# validator class (costly to build: jsonschema compiles it) is built once, not per submission.
_REPORT_DATE: ContextVar[date] = ContextVar("qamqor_form_report_date")


def _x_iin_on_report_date(validator, spec, instance, schema):
    yield from _make_x_iin(_REPORT_DATE.get())(validator, spec, instance, schema)


_FormValidator = validators.extend(Draft202012Validator, {"x-iin": _x_iin_on_report_date})


def _validator_for(schema: Any, report_date: date):
    _REPORT_DATE.set(report_date)
    return _FormValidator(schema, format_checker=FORMAT_CHECKER)


# ---- turning jsonschema errors into field errors ----------------------------------------


def _path(parts) -> str:
    return ".".join(str(p) for p in parts)


def _join(base: str, key: object) -> str:
    return f"{base}.{key}" if base else str(key)


def _fmt_number(n: object) -> str:
    return str(n).replace(".", ",") if isinstance(n, float) else str(n)


def _convert(error: ValidationError) -> list[FieldError]:
    """One jsonschema error -> field errors (``required`` may name several fields)."""
    where = _path(error.absolute_path)
    kind, value, instance = error.validator, error.validator_value, error.instance

    if kind == "required":
        if not isinstance(instance, dict) or not isinstance(value, list):
            return [_coded(where, MSG_REQUIRED)]
        return [_coded(_join(where, p), MSG_REQUIRED) for p in value if p not in instance]
    if kind == "dependentRequired":
        out = []
        if isinstance(instance, dict) and isinstance(value, dict):
            for prop, needed in value.items():
                if prop in instance and isinstance(needed, list):
                    out += [_coded(_join(where, p), MSG_REQUIRED) for p in needed if p not in instance]
        return out or [_coded(where, MSG_REQUIRED)]
    if kind in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        extras = _unexpected_keys(error.schema, instance) if kind == "additionalProperties" else []
        if extras:
            return [_coded(_join(where, k), MSG_UNKNOWN_FIELD) for k in extras]
        return [FieldError(where, "Лишние поля", "extra_fields")]
    message, code, params = _message(error)
    return [FieldError(where, message, code, params)]


def _unexpected_keys(schema: Any, instance: dict) -> list[str]:
    if not isinstance(schema, dict):
        return []
    known = schema.get("properties") or {}
    patterns = list((schema.get("patternProperties") or {}).keys())
    out = []
    for key in instance:
        if key in known:
            continue
        try:
            if any(re.search(p, key) for p in patterns):
                continue
        except re.error:
            pass
        out.append(key)
    return out


def _message(error: ValidationError) -> tuple[str, str, dict]:
    """The Russian message, its code and the code's parameters."""
    kind, value = error.validator, error.validator_value
    if kind == "x-iin":
        return error.message, _CODES.get(error.message, "invalid"), {}
    if kind == "type":
        names = [value] if isinstance(value, str) else list(value or [])
        names = [n for n in names if n != "null"]
        wanted = " или ".join(_TYPE_NAMES.get(n, str(n)) for n in names)
        return f"Неверное значение: ожидается {wanted or 'пустое значение'}", "type", {"types": names}
    if kind == "format":
        if value == "iin":
            if isinstance(error.cause, IinError):
                return str(error.cause), error.cause.code, {}
            return "Неверный ИИН", "iin_invalid", {}
        if value in _FORMAT_MESSAGES:
            return _FORMAT_MESSAGES[value], f"format_{value.replace('-', '_')}", {}
        return "Неверный формат", "format", {}
    if kind == "enum":
        return "Выберите значение из списка", "enum", {}
    if kind == "const":
        if value is True:
            return "Должно быть отмечено", "must_be_checked", {}
        if value is False:
            return "Не должно быть отмечено", "must_not_be_checked", {}
        return MSG_INVALID, "invalid", {}
    if kind == "minLength":
        if value == 1:
            return "Поле не может быть пустым", "not_empty", {}
        return f"Не менее {value} символов", "min_length", {"n": value}
    if kind == "maxLength":
        return f"Не более {value} символов", "max_length", {"n": value}
    if kind == "pattern":
        return "Неверный формат", "format", {}
    if kind == "minimum":
        return f"Значение должно быть не меньше {_fmt_number(value)}", "minimum", {"n": value}
    if kind == "maximum":
        return f"Значение должно быть не больше {_fmt_number(value)}", "maximum", {"n": value}
    if kind == "exclusiveMinimum":
        return f"Значение должно быть больше {_fmt_number(value)}", "exclusive_minimum", {"n": value}
    if kind == "exclusiveMaximum":
        return f"Значение должно быть меньше {_fmt_number(value)}", "exclusive_maximum", {"n": value}
    if kind == "minItems":
        if value == 1:
            return "Добавьте хотя бы одну запись", "min_items_one", {}
        return f"Добавьте не менее {value} записей", "min_items", {"n": value}
    if kind == "maxItems":
        return f"Не более {value} записей", "max_items", {"n": value}
    if kind == "uniqueItems":
        return "Записи не должны повторяться", "unique_items", {}
    if kind in ("minProperties", "maxProperties"):
        return "Неверное число полей", "property_count", {}
    if kind in ("anyOf", "oneOf"):
        return "Значение не подходит ни под один из допустимых вариантов", "no_variant", {}
    if kind is None:  # a `false` schema: nothing is allowed here
        return MSG_UNKNOWN_FIELD, "unknown_field", {}
    return MSG_INVALID, "invalid", {}


def _to_report_date(value: Any) -> date:
    if value is None:
        return datetime.now(_ALMATY).date()
    if isinstance(value, datetime):
        return (value.astimezone(_ALMATY) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return _to_report_date(datetime.fromisoformat(value))
    raise TypeError(f"report_date must be a date, got {type(value).__name__}")


def validate_form(schema: dict, data: Any, *, report_date: date | None = None) -> list[FieldError]:
    """Check ``data`` against the form ``schema``; [] when valid.

    Never raises because of ``data``: any JSON value (wrong types anywhere, nested
    garbage) gives field errors. A field with a wrong type gets only its type error
    (its other rules could not apply). A broken ``schema`` is a deploy mistake caught
    by :func:`check_schema`; here it is logged and reported as a form-level error.
    """
    on = _to_report_date(report_date)
    try:
        errors = list(_validator_for(schema, on).iter_errors(data))
        pairs = [(fe, e.validator) for e in errors for fe in _convert(e)]
    except RecursionError:  # absurdly nested data under a recursive schema
        return [_coded("", MSG_TOO_DEEP)]
    except Exception:  # noqa: BLE001 - the caller must always get a list
        log.exception("form validation failed; is the schema valid? (check_schema)")
        return [_coded("", MSG_CANNOT_CHECK)]

    type_fields = {fe.field for fe, kind in pairs if kind == "type"}
    out: list[FieldError] = []
    for fe, kind in pairs:
        if fe.field in type_fields and kind != "type":
            continue
        if fe not in out:
            out.append(fe)
    return out


# ---- checking a schema at deploy time -------------------------------------------------

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_ONE = (
    "items", "contains", "not", "if", "then", "else", "additionalProperties",
    "propertyNames", "unevaluatedItems", "unevaluatedProperties",
)
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")


def _subschemas(schema: Any, pointer: str) -> Iterator[tuple[dict, str]]:
    """Every object subschema with its JSON pointer (property names are never keywords)."""
    if not isinstance(schema, dict):
        return
    yield schema, pointer
    for key in _SCHEMA_MAPS:
        group = schema.get(key)
        if isinstance(group, dict):
            for name, sub in group.items():
                yield from _subschemas(sub, f"{pointer}/{key}/{name}")
    for key in _SCHEMA_ONE:
        yield from _subschemas(schema.get(key), f"{pointer}/{key}")
    for key in _SCHEMA_LIST:
        group = schema.get(key)
        if isinstance(group, list):
            for i, sub in enumerate(group):
                yield from _subschemas(sub, f"{pointer}/{key}/{i}")


def _x_iin_problems(schema: dict, pointer: str) -> list[str]:
    spec = schema["x-iin"]
    where = f"{pointer}/x-iin" if pointer else "/x-iin"
    if not isinstance(spec, dict):
        return [f"{where}: must be an object naming the fields"]
    problems = []
    if "iin" not in spec:
        problems.append(f"{where}: 'iin' (the field holding the ИИН) is required")
    props = schema.get("properties")
    for key, value in spec.items():
        expected = _X_IIN_KEYS.get(key)
        if expected is None:
            problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(_X_IIN_KEYS)})")
        elif not isinstance(value, expected):
            problems.append(f"{where}/{key}: must be a {expected.__name__}")
        elif expected is str and isinstance(props, dict) and value not in props:
            problems.append(f"{where}/{key}: {value!r} is not among this object's properties")
    return problems


#: A meta-schema ``type`` a form's keyword failed, as the field-error code of app/problems.py that says what it wants.
_SCHEMA_TYPE_CODES = {"string": "a_string", "integer": "an_integer", "number": "a_number", "boolean": "true_or_false",
                      "object": "must_be_object"}


def schema_fault(schema: Any) -> tuple[str, str, dict] | None:
    """The first meta-schema fault of ``schema`` (the one ``check_schema`` lists first) as (JSON pointer, code,
    params) when it is one of the usual ones app/problems.py words per language: a keyword of the wrong type, an
    unknown type name, a value outside a keyword's list. None otherwise (the raw jsonschema text then stands)."""
    if not isinstance(schema, dict):
        return None
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    try:
        errors = sorted(meta.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path)))
    except Exception:  # noqa: BLE001 - check_schema reports it
        return None
    if not errors:
        return None
    error = errors[0]
    pointer = "/" + "/".join(str(p) for p in error.absolute_path)
    kind, value = error.validator, error.validator_value
    if kind == "type" and isinstance(value, str) and value in _SCHEMA_TYPE_CODES:
        return pointer, _SCHEMA_TYPE_CODES[value], {}
    if kind == "type" and value == "array" and error.absolute_path and error.absolute_path[-1] == "required":
        return pointer, "list_of_strings", {}
    if kind == "anyOf" and error.absolute_path and error.absolute_path[-1] == "type":
        return pointer, "one_of", {"values": ", ".join(sorted(_TYPE_NAMES))}
    if kind == "enum" and isinstance(value, list):
        return pointer, "one_of", {"values": ", ".join(map(str, value))}
    return None


def check_schema(schema: Any) -> list[str]:
    """Problems that make ``schema`` unusable as a form; [] when it is fine.

    Checks it against the Draft 2020-12 meta-schema (regular expressions included) and
    checks every ``x-iin`` and ``x-i18n`` keyword (:mod:`app.forms.i18n`). Messages are for the person deploying the form.
    """
    if not isinstance(schema, (dict, bool)):
        return [f"the schema must be an object, got {type(schema).__name__}"]
    meta = Draft202012Validator(
        Draft202012Validator.META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    problems = []
    try:
        for error in sorted(meta.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path))):
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{pointer}: {error.message}")
        for sub, pointer in _subschemas(schema, ""):
            if "x-iin" in sub:
                problems += _x_iin_problems(sub, pointer)
        problems += [f"{pointer}: {reason}" for pointer, reason in check_i18n(schema)]
    except Exception as exc:  # noqa: BLE001 - e.g. an unresolvable $ref in the meta pass
        problems.append(f"the schema cannot be checked: {exc}")
    return problems
