"""Domain errors, and the one place they become HTTP problems (RFC 9457)."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


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
    """Input that names its faults: ``errors`` is a list of {field|element_id, message}."""
    status, title = 422, "Unprocessable content"

    def __init__(self, detail: str, errors: list[dict[str, Any]]):
        super().__init__(detail, errors=errors)
        self.errors = errors
        self.field_errors: list = []      # the form validator's FieldError objects, when it raised them
