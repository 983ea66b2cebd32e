"""The staff's web pages: sign in, inbox, task forms, cases, notifications, supervisor, reports.

Thin views over the domain services. Who is signed in is a server-side session whose id the
cookie carries (``app.web_session``, which the API reads too); every form carries the CSRF token
of the app-wide ``CSRFProtect``.
Errors raised in these views become pages (403/404/409), never JSON.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, Flask, g, redirect, render_template, request, session, url_for
from flask_babel import Babel, format_datetime, format_timedelta, get_locale, gettext as _

from ..agencies import agency_title
from ..errors import DomainError, Forbidden, NotFound
from ..extensions import db
from ..i18n import DEFAULT, LANGUAGES, api_language, current_language
from ..users.models import User

pages = Blueprint("pages", __name__)      # templates and static files are the app's own (app/templates, app/static)
babel = Babel()


def _locale():
    """The language of this request: the API's caller says it with Accept-Language (without one: the user's own
    language, as ``api/tasks.py`` words steps and forms); a signed-in user's pages are in the language they chose
    last (kept on their user, so on any browser); anonymous pages use the choice made in this browser, else what
    the browser asks for; Russian otherwise."""
    user = g.get("user")
    if request.path.startswith("/api/"):
        return api_language(request.accept_languages, getattr(user, "language", None))
    if user is not None and user.language in LANGUAGES:
        return user.language
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def signed_in_user() -> User | None:
    from ..web_session import signed_in_user as from_cookie
    return from_cookie()


def login_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
        return fn(*args, **kwargs)
    return wrapper


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def agency_name(code: str | None) -> str:
    return agency_title(code, current_language())


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def when(value) -> str:
    """A moment in Almaty time, Russian style (dd.MM.yyyy HH:mm)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_datetime(_as_utc(value), "dd.MM.yyyy HH:mm")


def time_left(value) -> str:
    if value is None:
        return ""
    from ..timeutil import utcnow
    return format_timedelta(_as_utc(value) - utcnow(), granularity="minute", threshold=1.5, add_direction=True)


def _error_page(status: int, title: str, detail: str | None = None):
    return render_template("error.html", status=status, title=title, detail=detail), status


def init_pages(app: Flask) -> None:
    babel.init_app(app, locale_selector=_locale, default_translation_directories="translations")
    app.jinja_env.filters.update(when=when, time_left=time_left, agency=agency_name)
    from . import account, admin, auth, cases, documents, inbox, tasks, reports, second_factor  # noqa: F401  (routes)
    from . import case_list  # noqa: F401  (the Cases page: search)
    from . import organisations  # noqa: F401  (admins' organisations page, issue 11)
    from . import residence  # noqa: F401  (the case page's change of residence, issue 11)
    from . import withdrawal  # noqa: F401  (the case page's withdrawal of a registration made in error, issue 13)
    from . import supervision  # noqa: F401  (the supervisor's page: workload and hand-over, issue 13)
    from ..access import can
    # templates ask the access rules for the signed-in user (``can('release', task)``) instead of repeating them
    app.jinja_env.globals["can"] = lambda action, obj: can(g.user, action, obj)
    app.register_blueprint(pages)
    from .offline import offline
    app.register_blueprint(offline)      # the service worker and its offline page (issue 13 §4)


@pages.before_app_request
def _load_user():
    if request.blueprint == "pages":
        g.user = signed_in_user()


@pages.app_context_processor
def _context():
    return {"current_user": g.get("user"), "locale": str(get_locale()), "agency_name": agency_name}


@pages.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    db.session.rollback()
    if isinstance(exc, Forbidden):
        return _error_page(403, _("You may not open this page"),
                           _("It belongs to another agency's work, or needs a role you do not have."))
    if isinstance(exc, NotFound):
        return _error_page(404, _("Not found"), _("There is nothing at this address."))
    return _error_page(exc.status, _("This could not be done"), exc.worded(current_language()))


@pages.errorhandler(403)
def _forbidden(_exc):
    return _error_page(403, _("You may not open this page"),
                       _("It belongs to another agency's work, or needs a role you do not have."))


@pages.errorhandler(404)
def _not_found(_exc):
    return _error_page(404, _("Not found"), _("There is nothing at this address."))


def _csrf_failed(_exc):
    return _error_page(400, _("The form has expired"), _("Reload the page and send it again."))


from flask_wtf.csrf import CSRFError  # noqa: E402

pages.register_error_handler(CSRFError, _csrf_failed)
