"""The signed-in browser, for the pages and the API alike: Flask's cookie carries only a session id
(``sid``), and ``app.users.sessions`` decides on every request whether it still opens anything.

The cookie is a browser-session cookie (no Expires: a wrong clock on the user's machine changes
nothing); how long it lasts is the server's business (``QAMQOR_SESSION_IDLE_MINUTES``).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, request, session

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
