"""Signing in and out, and choosing the language."""
from __future__ import annotations

from flask import current_app, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..security.throttle import LoginThrottled, admit_login, record_login
from ..users import totp
from ..users.passwords import MAX_LENGTH
from ..users.service import authenticate, remember_language
from ..web_session import sign_in, sign_out
from . import LANGUAGES, pages, safe_next


@pages.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()[:80]
        try:
            admit_login(db.session, username=username, address=request.remote_addr)
        except LoginThrottled as exc:
            error = _("Too many failed attempts. Try again in %(s)s seconds.", s=exc.extra["retry_after"])
            response = make_response(render_template("login.html", error=error, username=username), 429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        user = authenticate(db.session, username, request.form.get("password", "")[:MAX_LENGTH + 1])
        record_login(db.session, username=username, address=request.remote_addr, success=user is not None)
        if user is None:
            error = _("Wrong user name or password.")
        elif totp.required(user, current_app.config["TOTP_ROLES"]):
            sign_in(user, awaiting_code=True)           # opens nothing until the code is in
            return redirect(url_for("pages.login_code", next=safe_next(request.args.get("next"), None)))
        else:
            sign_in(user)
            from ..access.aggregates import landing          # an overseer has no inbox: the dashboard
            return redirect(safe_next(request.args.get("next"), url_for(landing(user))))
    return render_template("login.html", error=error, username=username), (401 if error else 200)


@pages.post("/logout")
def logout():
    sign_out()
    response = redirect(url_for("pages.login"))
    # nothing of a case stays on the device: the browser drops its cache and this site's storage (drafts kept
    # for a lost connection included) as the person signs out
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@pages.post("/lang")
def set_language():
    """The header's switch. A signed-in user's choice is kept on their user (their pages on any browser, and
    their e-mails, follow it); before signing in it is this browser's, and becomes the user's at sign-in."""
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
        if g.get("user") is not None:
            remember_language(db.session, g.user, lang)
        else:
            session["lang_chosen"] = True
    from ..access.aggregates import landing              # an overseer has no inbox: their dashboard
    home = url_for(landing(g.user)) if g.get("user") else url_for("pages.login")
    return redirect(safe_next(request.form.get("next"), home))


@pages.get("/")
def home():
    from ..access.aggregates import landing
    return redirect(url_for(landing(g.user)) if g.get("user") else url_for("pages.login"))
