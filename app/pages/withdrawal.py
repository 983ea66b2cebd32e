"""The case page's «withdraw the registration»: a report registered in error is withdrawn with its reason (the same
domain call as ``POST /api/v1/cases/{id}/withdrawal``, ``instances/withdrawal.py``).

Who may is ``access.may_withdraw_registration`` (the form is drawn only for them: ``can('withdraw', case)``; a
forged POST by anyone else gets the 403 page). A missing or too short reason redraws the case page with the
message under the field and what was typed kept (422); a case already withdrawn or closed gets the 409 page.
"""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ..api.auth import settings
from ..errors import Invalid
from ..extensions import db
from ..instances.withdrawal import REASON_MIN, withdraw_registration
from . import login_required, pages
from .cases import _case_or_403, render_case


@pages.post("/cases/<case_id>/withdrawal")
@login_required
def withdraw(case_id):
    case = _case_or_403(case_id)
    reason = request.form.get("reason", "")
    try:
        done = withdraw_registration(db.session, case_id=case.id, user=g.user, reason=reason, settings=settings())
    except Invalid:
        db.session.rollback()
        message = _("Reason: say what the error was, in at least %(n)s characters.", n=REASON_MIN)
        return render_case(db.session.get(type(case), case.id), withdrawal_error=message,
                           withdrawal_reason=reason), 422
    flash(_("The registration of case %(number)s is withdrawn; its open work is cancelled.",
            number=done.case.registration_number), "success")
    return redirect(url_for("pages.case", case_id=case.id) + "#withdrawn-title")
