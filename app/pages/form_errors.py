"""Form errors in the page's language.

Why: ``app.forms.validation`` words its errors in Russian (the API returns them as they are:
the product is Russian-first) and stays free of Flask. Each error also carries a ``code`` and
``params``; here each code gets an English msgid, so the Russian page shows the catalog's
Russian (the same words as the API) and the English page the msgid. An error without a code
known here keeps its own message.
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import get_locale
from flask_babel import gettext as _

from ..forms.validation import FieldError


def _number(n: Any) -> str:
    text = str(n)
    # Russian and Kazakh write a decimal comma
    return text.replace(".", ",") if isinstance(n, float) and str(get_locale()) in ("ru", "kk") else text


def _types(types: list) -> str:
    names = {
        "string": _("text"), "number": _("number"), "integer": _("whole number"), "boolean": _("yes or no"),
        "array": _("list"), "object": _("group of fields"), "null": _("empty value"),
    }
    wanted = [names.get(t, str(t)) for t in types or []]
    return (" %s " % _("or")).join(wanted) or names["null"]


_TEXTS: dict[str, Callable[..., str]] = {
    "required": lambda: _("Required field"),
    "no_iin_reason": lambda: _("Enter the IIN or the reason there is none"),
    "birth_mismatch": lambda: _("The birth date does not match the birth date in the IIN"),
    "sex_mismatch": lambda: _("The sex does not match the IIN"),
    "adult_iin": lambda: _("By the IIN the person was 18 on the report date: the procedure concerns children only"),
    "adult_birth": lambda: _("The person was 18 on the report date: the procedure concerns children only"),
    "born_after_report": lambda: _("The birth date is after the report date"),
    "unknown_field": lambda: _("Unknown field"),
    "extra_fields": lambda: _("Extra fields"),
    "invalid": lambda: _("Invalid value"),
    "cannot_check": lambda: _("The form could not be checked: its description has an error"),
    "too_deep": lambda: _("The data is nested too deeply"),
    "iin_format": lambda: _("The IIN must be 12 digits"),
    "iin_century": lambda: _("The 7th digit of the IIN (century of birth and sex) must be 1 to 6"),
    "iin_date": lambda: _("The first 6 digits of the IIN are not a real birth date"),
    "iin_checksum": lambda: _("The check digit of the IIN does not match: look for a typo"),
    "iin_never_issued": lambda: _("No such IIN can exist: look for a typo"),
    "iin_invalid": lambda: _("Invalid IIN"),
    "type": lambda types=(): _("Invalid value: expected %(wanted)s", wanted=_types(list(types))),
    "format_date": lambda: _("Invalid date: expected YYYY-MM-DD"),
    "format_date_time": lambda: _("Invalid date and time"),
    "format_time": lambda: _("Invalid time"),
    "format_email": lambda: _("Invalid email address"),
    "format_uri": lambda: _("Invalid link"),
    "format": lambda: _("Invalid format"),
    "enum": lambda: _("Choose a value from the list"),
    "must_be_checked": lambda: _("Must be checked"),
    "must_not_be_checked": lambda: _("Must not be checked"),
    "not_empty": lambda: _("The field cannot be empty"),
    "min_length": lambda n: _("At least %(n)s characters", n=n),
    "max_length": lambda n: _("At most %(n)s characters", n=n),
    "minimum": lambda n: _("The value must be at least %(n)s", n=_number(n)),
    "maximum": lambda n: _("The value must be at most %(n)s", n=_number(n)),
    "exclusive_minimum": lambda n: _("The value must be greater than %(n)s", n=_number(n)),
    "exclusive_maximum": lambda n: _("The value must be less than %(n)s", n=_number(n)),
    "min_items_one": lambda: _("Add at least one entry"),
    "min_items": lambda n: _("Add at least %(n)s entries", n=n),
    "max_items": lambda n: _("At most %(n)s entries", n=n),
    "unique_items": lambda: _("Entries must not repeat"),
    "property_count": lambda: _("Wrong number of fields"),
    "no_variant": lambda: _("The value matches none of the allowed options"),
}


def say(error: FieldError) -> str:
    """The error's message in the page's language (its own message when the code is unknown)."""
    make = _TEXTS.get(error.code or "")
    if make is None:
        return error.message
    try:
        return make(**(error.params or {}))
    except TypeError:  # params that do not fit the code: better the Russian than nothing
        return error.message


def localized(errors: list[dict], coded: list[FieldError]) -> list[dict]:
    """``errors`` ({field, message} as the service raised them) worded in the page's language.

    ``coded`` is the same form's :func:`~app.forms.validation.validate_form` result; an error
    is translated when it is among them (same field, same message), else shown as it is.
    """
    by_key = {(e.field, e.message): e for e in coded}
    out = []
    for e in errors:
        match = by_key.get((e.get("field", ""), e.get("message", "")))
        out.append({**e, "message": say(match)} if match else dict(e))
    return out
