"""Users for admins: create one, set a password, sign someone out of every browser.

The same domain calls as ``app/api/users.py``; a refused password is shown beside the field, in
the reader's language, worded from the policy's codes.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..agencies import BY_CODE
from ..errors import Conflict, Forbidden, Invalid
from ..i18n import current_language
from ..problems import reword_errors
from ..extensions import db
from ..users import service as users
from ..users.models import ROLES, User
from ..users.passwords import MIN_LENGTH
from ..users.sessions import open_sessions, revoke_sessions
from ..web_session import idle_limit
from ..access.areas import may_open
from . import login_required, pages


def _words(error: dict) -> str:
    """A policy fault in the reader's language; other faults as the service said them."""
    return {
        "too_short": _("At least %(n)s characters; a few words make a good password.", n=MIN_LENGTH),
        "too_long": _("The password is too long."),
        "too_common": _("This is one of the passwords guessed first; choose another."),
        "contains_username": _("The password must not contain the user name."),
    }.get(error.get("code"), error.get("message", ""))


def _admin():
    if not may_open(g.user, "users"):
        raise Forbidden("admins_only")


def _page(errors: dict | None = None, form: dict | None = None, status: int = 200):
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    sessions = {u.id: open_sessions(db.session, user=u, idle=idle_limit()) for u in rows}
    return render_template("admin_users.html", users=rows, sessions=sessions, errors=errors or {},
                           form=form or {}, roles=ROLES, agencies=BY_CODE), status


def _field_errors(exc: Invalid) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in reword_errors(exc.errors, current_language()):
        found.setdefault(error.get("field", "form"), []).append(_words(error))
    return found


@pages.get("/admin/users")
@login_required
def admin_users():
    _admin()
    return _page()


@pages.post("/admin/users")
@login_required
def admin_create_user():
    _admin()
    form = {k: request.form.get(k, "").strip() for k in ("username", "agency", "role", "full_name", "email")}
    try:
        users.create_user(db.session, username=form["username"], agency=form["agency"] or None,
                          roles=[form["role"]], password=request.form.get("password") or None,
                          full_name=form["full_name"] or None, email=form["email"] or None)
    except Invalid as exc:
        db.session.rollback()
        return _page({"new": _field_errors(exc)}, form, 422)
    except Conflict:
        db.session.rollback()
        return _page({"new": {"username": [_("This user name is taken.")]}}, form, 409)
    flash(_("User %(name)s created.", name=form["username"]), "ok")
    return redirect(url_for("pages.admin_users"))


@pages.post("/admin/users/<username>/password")
@login_required
def admin_set_password(username):
    _admin()
    user = users.find_user(db.session, username)
    try:
        ended = users.set_password(db.session, user=user, password=request.form.get("password", ""))
    except Invalid as exc:
        db.session.rollback()
        return _page({username: _field_errors(exc)}, status=422)
    flash(_("Password of %(name)s changed; sessions ended: %(n)s.", name=username, n=ended), "ok")
    return redirect(url_for("pages.admin_users"))


@pages.post("/admin/users/<username>/sessions/revoke")
@login_required
def admin_revoke_sessions(username):
    _admin()
    ended = revoke_sessions(db.session, user=users.find_user(db.session, username))
    flash(_("%(name)s is signed out everywhere; sessions ended: %(n)s.", name=username, n=ended), "ok")
    return redirect(url_for("pages.admin_users"))
