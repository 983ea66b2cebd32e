"""The second sign-in step for the roles in QAMQOR_TOTP_ROLES: a code from an authenticator app,
after enrolling one at the first sign-in. Codes are throttled like passwords (their own key)."""
from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..security.throttle import LoginThrottled, admit_login, record_login
from ..users import totp
from ..web_session import accept_second_factor, user_awaiting_code
from . import pages, safe_next


def _render(user, *, error=None, secret=None, uri=None, status=200):
    return render_template("login_code.html", user=user, error=error, secret=secret, uri=uri,
                           enrolling=not totp.enrolled(user)), status


@pages.route("/login/code", methods=["GET", "POST"])
def login_code():
    user = user_awaiting_code()
    if user is None:                     # no right password just before, or it was too long ago
        return redirect(url_for("pages.login"))
    if request.method == "GET":
        if totp.enrolled(user):
            return _render(user)
        secret, uri = totp.start_enrolment(db.session, user=user)     # shown this once
        return _render(user, secret=secret, uri=uri)
    key = f"code:{user.username}"
    try:
        admit_login(db.session, username=key, address=request.remote_addr)
    except LoginThrottled as exc:
        response = make_response(_render(user, error=_("Too many failed attempts. Try again in %(s)s seconds.",
                                                       s=exc.retry_after), status=429))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    accepted = totp.accept_code(db.session, user=user, code=request.form.get("code", "")[:20])
    record_login(db.session, username=key, address=request.remote_addr, success=accepted)
    if not accepted:
        return _render(user, error=_("The code is not right. Enter the one your app shows now."), status=401)
    accept_second_factor()
    from ..access.aggregates import landing
    return redirect(safe_next(request.args.get("next"), url_for(landing(user))))
