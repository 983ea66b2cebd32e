"""The HTTP shell: authentication, error mapping, security headers, blueprints."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from .errors import DomainError
from .problems import BY_STATUS, api_language, reword_errors, worded

csrf = CSRFProtect()
log = logging.getLogger("qamqor.http")

# on every answer, unless the view set its own (lower-cased name, name, value)
SECURITY_HEADERS = tuple((name.lower(), name, value) for name, value in (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
))


def problem(status: int, title: str, detail: str, **extra):
    """A problem answer (RFC 9457); ``code`` and ``params`` in ``extra`` name it for programs."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def coded_problem(status: int, title: str, code: str, params: dict | None = None, **extra):
    """The problem ``code`` worded in the caller's language (``Accept-Language``, else English)."""
    lang = api_language(request)
    if "errors" in extra:
        extra["errors"] = reword_errors(extra["errors"], lang)
    return problem(status, title, worded(code, params or {}, lang), code=code, params=params or {}, **extra)


def init_http(app: Flask) -> None:
    if app.config.get("PROXY_HOPS"):
        # the client's address (login throttling keys on it) and scheme, as the trusted proxies saw them
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    from .web_session import CookieSessions
    app.session_interface = CookieSessions()
    csrf.init_app(app)
    from .api import api
    csrf.exempt(api)          # the API checks CSRF itself when it is called with a session cookie
    app.register_blueprint(api)
    from .pages import init_pages
    init_pages(app)           # staff pages (HTML) and Flask-Babel
    from .modeler import init_modeler
    init_modeler(app)
    from .audit import init_audit
    init_audit(app)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        from .extensions import db
        db.session.rollback()
        if wants_json():
            lang = api_language(request)
            extra = dict(exc.extra)
            if "errors" in extra:
                extra["errors"] = reword_errors(extra["errors"], lang)
            return problem(exc.status, exc.title, exc.worded(lang), code=exc.code, params=exc.params, **extra)
        from .i18n import current_language
        return exc.worded(current_language()), exc.status

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        return coded_problem(400, "CSRF check failed", "csrf_failed", reason=exc.description)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if wants_json():
            status = exc.code or 500
            code = "not_found_address" if status == 404 else BY_STATUS.get(status, "http_error")
            response = coded_problem(status, exc.name, code, {"status": status} if code == "http_error" else {})
            for name, value in exc.get_headers():      # e.g. Allow on 405 (RFC 9110)
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        from .pages.errors import error_page
        return error_page(exc)        # Werkzeug's own page is English and has no way back

    @app.errorhandler(DataError)
    def _unstorable(exc):
        # e.g. a NUL character, which PostgreSQL text cannot hold: the client's input, not our fault
        from .extensions import db
        db.session.rollback()
        return coded_problem(400, "Bad request", "database_value_refused")

    @app.errorhandler(OperationalError)
    def _db_down(exc):
        from .extensions import db
        try:
            # drop the connection without a ROLLBACK over the wire: on a dead connection that ROLLBACK
            # (here, or in the teardown) raises again and turns this 503 into a bare 500
            db.session().invalidate()
        except Exception:  # noqa: BLE001 - the answer is 503 whatever the connection says
            pass
        log.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig else "error")
        return coded_problem(503, "Service unavailable", "database_unavailable")

    @app.teardown_appcontext
    def _release_session(_exc):
        # Runs before Flask-SQLAlchemy's own teardown: if the database went away after the answer was
        # built, the closing ROLLBACK fails; drop the connection instead of turning the answer into a 500.
        from .extensions import db
        try:
            db.session.remove()
        except OperationalError:
            try:
                db.session().invalidate()
            finally:
                db.session.remove()

    @app.after_request
    def _security_headers(response):
        # each one unless the view set its own: one pass over the answer's few headers instead of a scan per
        # header (``Headers.setdefault``); the values are built once, at import
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        extra = [(name, value) for lower, name, value in SECURITY_HEADERS if lower not in present]
        # every page and answer is one person's view of cases: kept by no cache (not the browser's disk, not its
        # back button after sign-out, not a proxy); only the static files, the same for everyone, may be
        if "cache-control" not in present and not request.path.startswith("/static/"):
            extra.append(("Cache-Control", "no-store"))
        headers.extend(extra)
        return response

    if app.config.get("TESTING"):
        _test_clock(app)


def _test_clock(app: Flask) -> None:
    """In tests only: `X-Test-Now: <ISO instant>` runs the request at that instant on the engine clock.

    Scenario tests walk a case through days of statutory deadlines in seconds; people act at the
    scenario's instants, just as `flask worker run-due --now` fires timers at them. Never enabled
    outside TESTING: in production the clock is the wall clock.
    """
    from datetime import datetime

    from .engine import clock

    @app.before_request
    def _pin():
        value = request.headers.get("X-Test-Now")
        if value:
            manager = clock.pinned_at(datetime.fromisoformat(value))
            manager.__enter__()
            g.test_clock = manager

    @app.teardown_request
    def _unpin(_exc):
        manager = g.pop("test_clock", None)
        if manager is not None:
            manager.__exit__(None, None, None)
