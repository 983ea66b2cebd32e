"""Domain errors, and the one place they become HTTP problems (RFC 9457).

Each error carries a stable ``code`` and its ``params`` (app/problems.py has every code and its
English words; the catalogs hold Russian and Kazakh): ``raise NotFound("case_not_found",
{"case_id": case_id})``. ``detail`` is the English sentence (logs, the CLI); the HTTP layer words
the code in the reader's language. A plain sentence instead of a known code is still accepted
(it becomes the detail as it is, under the status's generic code) so that nothing breaks while a
raise site waits to be given a code; tests/api/test_problem_codes.py lists such sites.
"""
from __future__ import annotations

from typing import Any, Mapping

from .problems import BY_STATUS, PROBLEMS, english, worded


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, **extra: Any):
        if code in PROBLEMS:
            self.code, self.params = code, dict(params or {})
            self.text = None
            detail = english(code, self.params)
        else:                                   # a sentence, not a code: kept as it is
            self.code, self.params = BY_STATUS.get(self.status, "bad_request"), dict(params or {})
            self.text = detail = code
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def worded(self, lang: str | None) -> str:
        """The detail in ``lang`` (kk, ru, en)."""
        return self.text if self.text is not None else worded(self.code, self.params, lang)


class NotFound(DomainError):
    status, title = 404, "Not found"


class Forbidden(DomainError):
    status, title = 403, "Forbidden"


class Unauthorized(DomainError):
    status, title = 401, "Unauthorized"


class Conflict(DomainError):
    status, title = 409, "Conflict"


class Unavailable(DomainError):
    """A part of the service that needs something this machine lacks (e.g. Pango for PDFs)."""
    status, title = 503, "Service unavailable"


class Invalid(DomainError):
    """Input that names its faults: ``errors`` is a list of {field|element_id, message} (with ``code``
    and ``params`` when made by ``app.problems.field``)."""
    status, title = 422, "Unprocessable content"

    def __init__(self, code: str, errors: list[dict[str, Any]], params: Mapping[str, Any] | None = None,
                 **extra: Any):
        super().__init__(code, params, errors=errors, **extra)
        self.errors = errors
        self.field_errors: list = []      # the form validator's FieldError objects, when it raised them
