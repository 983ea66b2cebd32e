"""The signed-in user's own settings (where and how new work is announced), and the header's counts."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import Invalid
from ..extensions import db
from ..instances import inbox as inboxes
from ..notify.service import PREFERENCES, set_preference
from . import login_required, pages


@pages.app_context_processor
def _nav_counts():
    def nav_counts() -> dict[str, int]:
        """Ready tasks in the inbox and notices awaiting acknowledgement (computed only when the header asks)."""
        user = g.get("user")
        if user is None:
            return {}
        waiting, _done = inboxes.notifications(db.session, user, limit=100)
        return {"inbox": inboxes.counts(db.session, user)["ready"], "notifications": len(waiting)}
    return {"nav_counts": nav_counts}


def _errors(exc: Invalid) -> dict[str, str]:
    texts = {"email": _("Enter an e-mail address such as name@example.kz."),
             "mail_preference": _("Choose one of the options.")}
    return {e["field"]: texts.get(e["field"], e["message"]) for e in exc.errors}


def _page(errors=None, form=None, status=200):
    form = form or {"email": g.user.email or "", "mail_preference": g.user.mail_preference}
    return render_template("account.html", errors=errors or {}, form=form, preferences=PREFERENCES), status


@pages.get("/account")
@login_required
def account():
    return _page()


@pages.post("/account")
@login_required
def account_save():
    form = {"email": request.form.get("email", "").strip(), "mail_preference": request.form.get("mail_preference", "")}
    try:
        set_preference(db.session, g.user, email=form["email"] or None, preference=form["mail_preference"])
    except Invalid as exc:
        db.session.rollback()
        return _page(_errors(exc), form, 422)
    flash(_("Notification settings saved."), "ok")
    return redirect(url_for("pages.account"))
