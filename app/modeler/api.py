"""The modeler's JSON endpoints under /api/v1: validate, versions, diff, forms, migration.

A blueprint of its own beside ``app.api``'s, authenticated by the same function (bearer token or
the signed-in session, with CSRF on cookie-authenticated writes). Deploying stays
``POST /api/v1/process-models``: the modeler page posts to it like any other client.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..api.auth import _authenticate, current_user, json_body, require, settings
from ..api.query import refuse_unknown_query
from ..api.schemas import VersionSchema
from ..errors import Invalid, NotFound
from ..problems import api_language, field as field_error, reword_errors, worded_lines
from ..extensions import db
from ..registry import service as registry
from ..api.models import worded_warnings
from . import service
from ..engine.behaviour import behaviour_of
from .diff import diff_behaviour, diff_elements, diff_forms

modeler_api = Blueprint("modeler_api", __name__, url_prefix="/api/v1")
modeler_api.before_request(_authenticate)
modeler_api.before_request(refuse_unknown_query)
READERS = ("process_owner", "admin", "auditor")


def uploaded_model() -> tuple[bytes, dict[str, bytes]]:
    """The diagram and forms of a multipart request, as ``POST /process-models`` takes them."""
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("bpmn_file_required", [field_error("file", "upload_bpmn")])
    forms = {(f.filename or "").rsplit("/", 1)[-1]: f.read() for f in request.files.getlist("forms")}
    return upload.read(), forms


@modeler_api.post("/process-models/validate")
@require("process_owner", "admin")
def validate():
    """The deploy checks without deploying; 422 lists each problem with its element id."""
    bpmn, forms = uploaded_model()
    compiled, resolved, lanes = registry.validate(bpmn=bpmn, forms=forms, forms_dir=current_app.config["FORMS_DIR"])
    body = {"valid": True, "process_id": compiled.process_id, "name": compiled.name, "lanes": lanes,
            "forms": sorted(resolved), "changes": None, "latest_version": None,
            "warnings": worded_warnings(bpmn)}
    try:
        latest = registry.latest_version(db.session, compiled.process_id)
    except NotFound:                               # a process never deployed has nothing to compare with
        return body
    body["latest_version"] = latest.version
    body["changes"] = worded_lines(
        diff_elements(latest.elements, [e.to_dict() for e in compiled.elements])
        + diff_behaviour(behaviour_of(latest.bpmn_xml), behaviour_of(bpmn)) + diff_forms(latest.forms or {}, resolved),
        api_language(request))
    return body


def _version_body(version, running: int | None = None) -> dict:
    body = VersionSchema().dump(version)
    if running is not None:
        body["running_instances"] = running
    return body


@modeler_api.get("/process-models/<process_id>/versions")
@require(*READERS)
def versions(process_id):
    return {"process_id": process_id,
            "items": [_version_body(v, n) for v, n in service.versions_of(db.session, process_id)]}


@modeler_api.get("/process-models/<process_id>/versions/<int:number>")
@require(*READERS)
def version_xml(process_id, number):
    """The diagram exactly as deployed (read-only: versions never change)."""
    version = service.get_version(db.session, process_id, number)
    return Response(version.bpmn_xml, mimetype="application/xml",
                    headers={"Content-Disposition": f'inline; filename="{process_id}.v{number}.bpmn"'})


@modeler_api.get("/process-models/<process_id>/versions/<int:number>/forms")
@require(*READERS)
def version_forms(process_id, number):
    return {"items": service.get_version(db.session, process_id, number).forms or {}}


@modeler_api.get("/process-models/<process_id>/diff")
@require(*READERS)
def diff(process_id):
    numbers = {}
    for field in ("from", "to"):
        raw = request.args.get(field, "")
        if not raw.isdigit():
            raise Invalid("not_a_version_number", [field_error(field, "a_version_number")], {"field": field})
        numbers[field] = int(raw)
    return {"process_id": process_id, "from": numbers["from"], "to": numbers["to"],
            "changes": worded_lines(service.diff(db.session, process_id, numbers["from"], numbers["to"]),
                                    api_language(request))}


@modeler_api.get("/forms")
@require("process_owner", "admin")
def forms():
    catalogue = service.forms_catalogue(db.session, current_app.config["FORMS_DIR"])
    return {"items": [{"name": name, "source": source} for name, source in catalogue.items()]}


@modeler_api.get("/forms/<name>")
@require("process_owner", "admin")
def form(name):
    return service.form_schema(db.session, name, current_app.config["FORMS_DIR"])


def _to_version(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not str(value).isdigit():
        raise Invalid("not_a_version_number", [field_error("to_version", "a_version_number")], {"field": "to_version"})
    return int(value)


@modeler_api.get("/process-instances/<instance_id>/migration")
@require("process_owner", "admin")
def migration_check(instance_id):
    """Would the case move to the version (default: the newest)? Changes nothing."""
    instance, current, target, problems = service.migration_problems(
        db.session, instance_id=instance_id, to_version=_to_version(request.args.get("to_version")),
        user=current_user(), settings=settings())
    return {"id": instance.id, "from_version": current.version, "to_version": target.version,
            "safe": not problems, "errors": reword_errors(problems, api_language(request))}


@modeler_api.post("/process-instances/<instance_id>/migrate")
@require("process_owner", "admin")
def migrate(instance_id):
    body = json_body() if request.get_data() else {}
    instance, current, target = service.migrate_instance(
        db.session, instance_id=instance_id, to_version=_to_version(body.get("to_version")),
        user=current_user(), settings=settings())
    return {"id": instance.id, "status": instance.status, "from_version": current.version,
            "to_version": target.version}
