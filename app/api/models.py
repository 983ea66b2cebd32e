"""Process models: deploy (process owners) and list."""
from flask import current_app, request
from flask_babel import gettext as _, pgettext

from ..errors import Invalid
from ..problems import field
from ..extensions import db
from ..registry import service as registry
from ..registry.words import translation_warnings
from . import api
from .auth import current_user, require
from .schemas import VersionSchema


@api.post("/process-models")
@require("process_owner")
def deploy_model():
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("bpmn_file_required", [field("file", "upload_bpmn")])
    forms = {}
    for f in request.files.getlist("forms"):
        name = (f.filename or "").rsplit("/", 1)[-1]
        forms[name] = f.read()
    bpmn = upload.read()
    version, created = registry.deploy(db.session, bpmn=bpmn, forms=forms,
                                       forms_dir=current_app.config["FORMS_DIR"],
                                       deployed_by=current_user().username)
    body = {"process_id": version.process_id, "version": version.version, "sha256": version.sha256,
            "created": created, "warnings": worded_warnings(bpmn)}
    return body, 201 if created else 200


def worded_warnings(bpmn: bytes) -> list[dict]:
    """Deploy's warnings (``registry.words.translation_warnings``) worded in the request's language;
    code, element id and languages stay as they are for programs."""
    language = {"kk": pgettext("translation into", "Kazakh"), "en": pgettext("translation into", "English")}
    return [{**w, "message": _("%(element)s has no translation into %(languages)s.", element=w["element_id"],
                               languages=", ".join(language[code] for code in w["languages"]))}
            for w in translation_warnings(bpmn)]


@api.get("/process-models")
@require()
def list_models():
    return {"items": VersionSchema(many=True).dump(registry.latest_versions(db.session))}
