"""Form validation: JSON Schema (Draft 2020-12) with Russian field messages and the ИИН.

See :mod:`app.forms.validation` for the ``format: iin`` and ``x-iin`` extensions and
:mod:`app.forms.iin` for the ИИН rules.
"""

from app.forms.iin import IinError, IinInfo, check_digit, is_valid_iin, make_iin, parse_iin
from app.forms.validation import FORMAT_CHECKER, FieldError, check_schema, validate_form

__all__ = [
    "FORMAT_CHECKER",
    "FieldError",
    "IinError",
    "IinInfo",
    "check_digit",
    "check_schema",
    "is_valid_iin",
    "make_iin",
    "parse_iin",
    "validate_form",
]
