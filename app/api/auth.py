"""Who is calling: a bearer token (integrations, tests) or a signed-in session (the pages)."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request, session

from ..errors import Forbidden, Unauthorized
from ..problems import field
from ..extensions import db
from ..instances.environment import Settings
from ..users.callers import Caller, caller_for_token
from ..web_session import signed_in_user
from . import api


def current_user() -> Caller:
    """The caller as plain values (``users/callers.py``): the same shape for a token and a session cookie, and
    nothing that reloads from the database after the view's commit. A view that changes the user itself loads
    its row with ``current_user().row(db.session)``."""
    user = getattr(g, "user", None)
    if user is None:
        raise Unauthorized("sign_in_required")
    return user


def settings() -> Settings:
    return Settings.from_config(current_app.config)


@api.before_request
def _authenticate():
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        # remembered per process for a couple of seconds; a change this process commits applies at once
        g.user = caller_for_token(db.session, header[7:].strip())
        if g.user is None:
            raise Unauthorized("token_invalid")
        return
    if session.get("sid") is not None:
        user = signed_in_user()
        if user is not None:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                from ..http import csrf
                csrf.protect()           # cookie-authenticated writes need the page's CSRF token
            g.user = Caller.of(user)
            return
    g.user = None


def require(*roles: str):
    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            user = current_user()
            if roles and not user.has_role(*roles):
                raise Forbidden("role_required", {"roles": ", ".join(roles)})
            return fn(*args, **kwargs)
        return wrapper
    return decorator


def json_body() -> dict:
    """The request's JSON object, or a 400 problem naming what is wrong with it."""
    from ..errors import DomainError
    from ..untrusted_json import Malformed, Refused, loads
    try:
        if not request.is_json:
            raise Malformed("not JSON", "body")
        body = loads(request.get_data(cache=True))
    except Malformed:
        raise DomainError("body_not_json", errors=[field("body", "json_malformed")]) from None
    except Refused as exc:          # too deep, or a lone surrogate: named, instead of a 500 further on
        raise DomainError("body_refused", {"field": exc.field, "reason": str(exc)},
                          errors=[{"field": exc.field, "message": str(exc)}]) from None
    if not isinstance(body, dict):
        raise DomainError("body_not_object", errors=[field("body", "expected_object")])
    return body
