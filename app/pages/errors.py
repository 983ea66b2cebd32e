"""Error pages for any address outside the API, in the page's language.

Flask answers an unknown address (``/nowhere``), a wrong method or a crash before any blueprint's own
handler sees it, with Werkzeug's English page; staff get this one instead, with the menu when they
are signed in and a way back.
"""
from __future__ import annotations

import logging

from flask import g, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger("qamqor.pages")


def _words(status: int) -> tuple[str, str]:
    if status == 403:
        return _("You may not open this page"), _("It belongs to another agency's work, or needs a role you do not have.")
    if status == 404:
        return _("Not found"), _("There is nothing at this address.")
    if status >= 500:
        return _("Something went wrong"), _("The service could not answer. Try again in a minute; "
                                           "if it happens again, tell the administrator the time it happened.")
    return _("This could not be done"), _("The request could not be served (error %(code)s).", code=status)


def error_page(exc: HTTPException):
    status = exc.code or 500
    title, detail = _words(status)
    try:
        if status >= 500:
            from ..extensions import db
            db.session.rollback()              # whatever failed may have left the transaction unusable
        if "user" not in g:                    # an address no blueprint owns: the menu still knows who is here
            from . import signed_in_user
            g.user = signed_in_user()
        body = render_template("error.html", status=status, title=title, detail=detail)
    except Exception:  # noqa: BLE001 - e.g. the database is away: a plain page rather than a second crash
        log.exception("the error page could not be drawn")
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{title}</p>"
    response = exc.get_response()
    response.set_data(body)
    response.mimetype = "text/html"
    return response
