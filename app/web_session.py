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
from .users.sessions import end_session, start_session, user_for_session


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def sign_in(user: User) -> None:
    """A fresh session on sign-in (no fixation: nothing of the old cookie survives but the language)."""
    lang = session.get("lang")
    session.clear()
    session["sid"] = start_session(db.session, user=user, address=request.remote_addr)
    if lang:
        session["lang"] = lang
    session.permanent = False


def sign_out() -> None:
    end_session(db.session, session.get("sid"))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def signed_in_user() -> User | None:
    sid = session.get("sid")
    if sid is None:
        return None
    user = user_for_session(db.session, sid, idle=idle_limit())
    if user is None:
        session.pop("sid", None)          # ended or expired: stop presenting it
    return user
