"""The modeler's pages: processes and their versions, the editor, a read-only version, a diff, a form preview.

Thin views over ``app.modeler.service`` and the registry; the editor page itself talks to the
JSON endpoints (validate, forms, deploy) from the browser with the session cookie and the page's
CSRF token, the same calls any other client makes.
"""
from __future__ import annotations

import json
from functools import wraps

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..access.areas import AREAS
from ..agencies import AGENCIES
from ..errors import Conflict, DomainError, Forbidden, Invalid
from ..problems import field
from ..i18n import current_language
from ..problems import reword_errors
from ..instances.environment import Settings
from ..extensions import db
from ..forms.validation import check_schema
from ..pages import signed_in_user
from ..pages.schema_form import build
from ..registry import service as registry
from . import service

modeler_pages = Blueprint("modeler", __name__, url_prefix="/modeler")


@modeler_pages.app_template_filter("chapter")
def chapter_title(version) -> str:
    """A version's title (its process's name) in the page's language: the BPMN ``name`` is the Russian one."""
    from ..registry.words import element_name
    return element_name(version, version.process_id, fallback=version.name or version.process_id)
OWNERS = AREAS["process_editing"]        # who edits and deploys, and who reads: app/access/areas.py
READERS = AREAS["modeler"]


@modeler_pages.before_request
def _load_user():
    g.user = signed_in_user()


def owners_only(*roles):
    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if g.get("user") is None:
                return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
            if not g.user.has_role(*roles):
                raise Forbidden("owners_only_page")
            return fn(*args, **kwargs)
        return wrapper
    return decorator


@modeler_pages.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    db.session.rollback()
    titles = {403: _("You may not open this page"), 404: _("Not found")}
    return render_template("error.html", status=exc.status, title=titles.get(exc.status, _("This could not be done")),
                           detail=exc.worded(current_language())), exc.status


@modeler_pages.get("")
@owners_only(*READERS)
def index():
    processes = []
    for latest in registry.latest_versions(db.session):
        processes.append((latest, service.versions_of(db.session, latest.process_id)))
    return render_template("modeler/index.html", processes=processes)


def _agencies():
    return [{"code": a.code, "name": a.name_ru, "name_en": a.name_en} for a in AGENCIES]


@modeler_pages.get("/<process_id>")
@owners_only(*OWNERS)
def edit(process_id):
    latest = registry.latest_version(db.session, process_id)
    return render_template("modeler/editor.html", version=latest, readonly=False, agencies=_agencies())


@modeler_pages.get("/<process_id>/versions/<int:number>")
@owners_only(*READERS)
def show_version(process_id, number):
    version = service.get_version(db.session, process_id, number)
    return render_template("modeler/editor.html", version=version, readonly=True, agencies=_agencies())


@modeler_pages.get("/<process_id>/diff")
@owners_only(*READERS)
def diff(process_id):
    versions = service.versions_of(db.session, process_id)
    newest = versions[0][0].version
    try:
        to_v = int(request.args.get("to", newest))
        from_v = int(request.args.get("from", max(1, to_v - 1)))
    except ValueError:
        raise Invalid("versions_not_numbers", [field("from", "a_number")]) from None
    changes = service.diff(db.session, process_id, from_v, to_v)
    return render_template("modeler/diff.html", process_id=process_id, versions=versions, from_v=from_v,
                           to_v=to_v, changes=changes)


@modeler_pages.post("/forms/preview")
@owners_only(*OWNERS)
def preview_form():
    """The form as staff will see it (the same server-side drawing as the task page), or what is wrong."""
    try:
        schema = json.loads(request.form.get("schema", ""))
        ui = json.loads(request.form.get("ui") or "{}")
    except ValueError as exc:
        return render_template("modeler/_preview.html", node=None, errors=[_("Not valid JSON: %(e)s", e=exc)]), 422
    if not isinstance(schema, dict) or not isinstance(ui, dict):
        return render_template("modeler/_preview.html", node=None, errors=[_("The form must be a JSON object")]), 422
    errors = check_schema(schema)
    if errors:
        return render_template("modeler/_preview.html", node=None, errors=[str(e) for e in errors]), 422
    return render_template("modeler/_preview.html", node=build(schema, {}, {}, ui), errors=[])


@modeler_pages.get("/<process_id>/cases")
@owners_only(*OWNERS)
def cases(process_id):
    """Running cases on older versions, each with whether it can move to the newest and why not."""
    newest = registry.latest_version(db.session, process_id)
    settings = Settings.from_config(current_app.config)
    rows = []
    for instance, version in service.cases_behind(db.session, process_id):
        _, _, _, problems = service.migration_problems(db.session, instance_id=instance.id, to_version=None,
                                                       user=g.user, settings=settings)
        rows.append((instance, version, problems))
    return render_template("modeler/cases.html", process_id=process_id, newest=newest, rows=rows)


@modeler_pages.post("/<process_id>/cases/<instance_id>/migrate")
@owners_only(*OWNERS)
def migrate(process_id, instance_id):
    settings = Settings.from_config(current_app.config)
    try:
        instance, current, target = service.migrate_instance(db.session, instance_id=instance_id, to_version=None,
                                                             user=g.user, settings=settings)
        flash(_("The case moved from version %(a)s to version %(b)s.", a=current.version, b=target.version), "ok")
    except Conflict as exc:
        db.session.rollback()
        reasons = "; ".join(e.get("message", "") for e in reword_errors(exc.extra.get("errors"), current_language())) \
            or exc.worded(current_language())
        flash(_("The case cannot move: %(r)s", r=reasons), "error")
    return redirect(url_for("modeler.cases", process_id=process_id))
