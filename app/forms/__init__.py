"""Form validation: JSON Schema (Draft 2020-12) with Russian field messages and the ИИН; a form's words in
Kazakh and English.

See :mod:`app.forms.validation` for the ``format: iin`` and ``x-iin`` extensions,
:mod:`app.forms.iin` for the ИИН rules and :mod:`app.forms.i18n` for ``x-i18n`` (``forms/README.md``).
"""

from app.forms.i18n import localize, missing_words
from app.forms.iin import IinError, IinInfo, check_digit, is_valid_iin, make_iin, parse_iin
from app.forms.validation import FORMAT_CHECKER, FieldError, check_schema, validate_form

__all__ = [
    "FORMAT_CHECKER",
    "FieldError",
    "IinError",
    "IinInfo",
    "check_digit",
    "check_schema",
    "localize",
    "missing_words",
    "is_valid_iin",
    "make_iin",
    "parse_iin",
    "validate_form",
]
