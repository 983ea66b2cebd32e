"""Organisations for admins: the list (with their users), create one, deactivate or reactivate it.

The same domain calls as `flask orgs`; a refused field is shown beside it."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import territories
from ..agencies import BY_CODE, agency_title
from ..collation import sort_key
from ..errors import Conflict, Forbidden, Invalid
from ..i18n import current_language
from ..problems import reword_errors
from ..extensions import db
from ..organisations import service as organisations
from ..users.models import User
from ..access.areas import may_open
from . import login_required, pages


def _admin():
    if not may_open(g.user, "organisations"):
        raise Forbidden("admins_only")


def _page(errors: dict | None = None, form: dict | None = None, status: int = 200):
    # by agency, then name, in the alphabet of the page's language (Kazakh letters in their places)
    key = sort_key()
    rows = sorted(organisations.listing(db.session),
                  key=lambda o: (key(agency_title(o.agency)), key(organisations.title(o)), o.code))
    members: dict[str, list[str]] = {}
    for username, code in db.session.execute(select(User.username, User.organisation)
                                             .where(User.organisation.is_not(None)).order_by(User.username)):
        members.setdefault(code, []).append(username)
    return render_template("admin_organisations.html", organisations=rows, members=members, errors=errors or {},
                           form=form or {}, agencies=BY_CODE, territory_name=territories.full_name,
                           org_title=organisations.title), status


@pages.get("/admin/organisations")
@login_required
def admin_organisations():
    _admin()
    return _page()


@pages.post("/admin/organisations")
@login_required
def admin_create_organisation():
    _admin()
    form = {k: request.form.get(k, "").strip() for k in ("code", "agency", "name_ru", "name_kk", "name_en", "serves")}
    try:
        organisations.create(db.session, code=form["code"], agency=form["agency"], name_ru=form["name_ru"],
                             name_kk=form["name_kk"] or None, name_en=form["name_en"] or None, serves=form["serves"])
    except Invalid as exc:
        db.session.rollback()
        found: dict[str, list[str]] = {}
        for e in reword_errors(exc.errors, current_language()):
            found.setdefault(e["field"], []).append(e["message"])
        return _page(found, form, 422)
    except Conflict:
        db.session.rollback()
        return _page({"code": [_("This code is taken.")]}, form, 409)
    flash(_("Organisation %(code)s created.", code=form["code"]), "ok")
    return redirect(url_for("pages.admin_organisations"))


@pages.post("/admin/organisations/<code>/active")
@login_required
def admin_organisation_active(code):
    _admin()
    organisations.set_active(db.session, code, request.form.get("active") == "1")
    return redirect(url_for("pages.admin_organisations"))
