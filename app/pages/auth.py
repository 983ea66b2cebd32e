"""Signing in and out, and choosing the language."""
from __future__ import annotations

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..security.throttle import LoginThrottled, check_login_allowed, record_login
from ..users.service import authenticate
from . import LANGUAGES, pages, safe_next


@pages.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()[:80]
        try:
            check_login_allowed(db.session, username=username, address=request.remote_addr)
        except LoginThrottled as exc:
            error = _("Too many failed attempts. Try again in %(s)s seconds.", s=exc.extra["retry_after"])
            return render_template("login.html", error=error, username=username), 429
        user = authenticate(db.session, username, request.form.get("password", ""))
        record_login(db.session, username=username, address=request.remote_addr, success=user is not None)
        if user is None:
            error = _("Wrong user name or password.")
        else:
            lang = session.get("lang")
            session.clear()                     # a fresh session on sign-in: no fixation
            session["user_id"] = user.id
            if lang:
                session["lang"] = lang
            session.permanent = False
            return redirect(safe_next(request.args.get("next"), url_for("pages.inbox")))
    return render_template("login.html", error=error, username=username), (401 if error else 200)


@pages.post("/logout")
def logout():
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("pages.login"))


@pages.post("/lang")
def set_language():
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("pages.inbox") if g.get("user") else url_for("pages.login")))


@pages.get("/")
def home():
    return redirect(url_for("pages.inbox") if g.get("user") else url_for("pages.login"))
