"""The signed-in browser, for the pages and the API alike: Flask's cookie carries only a session id
(``sid``), and ``app.users.sessions`` decides on every request whether it still opens anything.

The cookie is a browser-session cookie (no Expires: a wrong clock on the user's machine changes
nothing); how long it lasts is the server's business (``QAMQOR_SESSION_IDLE_MINUTES``).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from .extensions import db
from .users.models import User
from .users.service import remember_language
from .users.sessions import awaiting_code, code_accepted, end_session, start_session, user_for_session


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def sign_in(user: User, *, awaiting_code: bool = False) -> None:
    """A fresh session on sign-in (no fixation: nothing of the old cookie survives but the language).
    With ``awaiting_code`` it opens nothing until the second factor is in (``code_accepted``).

    The language: one chosen on the sign-in page just now becomes the user's; otherwise the user's remembered
    one applies (a language left in the cookie by someone else on this browser does not overwrite theirs)."""
    lang = session.get("lang")
    if lang and session.get("lang_chosen"):
        remember_language(db.session, user, lang)
    elif user.language:
        lang = user.language
    session.clear()
    session["sid"] = start_session(db.session, user=user, address=request.remote_addr, awaiting_code=awaiting_code)
    if lang:
        session["lang"] = lang
    session.permanent = False


def sign_out() -> None:
    end_session(db.session, session.get("sid"))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def user_awaiting_code() -> User | None:
    return awaiting_code(db.session, session.get("sid"))


def accept_second_factor() -> None:
    code_accepted(db.session, session["sid"])


def signed_in_user() -> User | None:
    sid = session.get("sid")
    if sid is None:
        return None
    return user_for_session(db.session, sid, idle=idle_limit())


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, less two costs paid on every request: a request without the cookie (every
    bearer-token API call) gets an empty session without building a signer, and the signer for the current
    keys (``SECRET_KEY`` and its fallbacks) is built once instead of at every open and save. What is signed and
    checked is unchanged."""

    def __init__(self) -> None:
        self._signers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        keys = (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)
        signer = self._signers.get(keys)
        if signer is None:
            signer = self._signers[keys] = super().get_signing_serializer(app)
        return signer

    def open_session(self, app, request):
        if app.secret_key and ("HTTP_COOKIE" not in request.environ         # not even parsed then
                               or not request.cookies.get(self.get_cookie_name(app))):
            return self.session_class()
        return super().open_session(app, request)
