"""The case page's change of residence: the child has moved, the case's territory changes and its open work
follows to the units serving the new place (the same domain call as ``PUT /api/v1/cases/{id}/territory``).

Who may is ``access.may_change_residence`` (the form is drawn only for them: ``can('change_residence', case)``);
the answer comes back to the case page as a flash naming where the work went, or what to correct.
"""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from .. import territories
from ..errors import Invalid
from ..extensions import db
from ..i18n import current_language
from ..instances import residence
from ..organisations.service import names as organisation_names
from . import login_required, pages

FIELD_WORDS = {
    "territory": lambda: _("New place of residence: choose a unit of the classifier other than the current one."),
    "reason": lambda: _("Reason: say why the residence changes."),
}


@pages.app_context_processor
def _residence_choices():
    def kato_choices():
        """(code, full name) of every unit of the classifier, as the registration form's КАТО field offers them."""
        lang = current_language()
        return [(t.code, territories.full_name(t.code, lang)) for t in territories.every()]
    return {"kato_choices": kato_choices}


@pages.post("/cases/<case_id>/territory")
@login_required
def change_residence(case_id):
    back = redirect(url_for("pages.case", case_id=case_id) + "#residence-title")
    territory = request.form.get("territory", "").strip()
    try:
        moved = residence.change_residence(db.session, case_id=case_id, user=g.user, territory=territory,
                                           reason=request.form.get("reason", ""))
    except Invalid as exc:
        db.session.rollback()
        fields = [e.get("field") for e in exc.errors if isinstance(e, dict)]
        for name in dict.fromkeys(fields):
            flash(FIELD_WORDS[name]() if name in FIELD_WORDS else exc.worded(current_language()), "error")
        return back
    flash(_("Residence changed to %(place)s.", place=territories.full_name(territory, current_language())), "success")
    if moved:
        named = organisation_names(db.session, [t.organisation for t in moved])
        flash(_("Open work moved: %(moves)s.", moves="; ".join(
            f"{t.name or t.bpmn_id} → {named.get(t.organisation) or t.organisation}" for t in moved)), "success")
    else:
        flash(_("No open work had to move: the units responsible stay the same."), "success")
    return back
