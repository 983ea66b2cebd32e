"""Process models: deploy (process owners) and list."""
from flask import current_app, request

from ..errors import Invalid
from ..problems import field
from ..extensions import db
from ..registry import service as registry
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
    version, created = registry.deploy(db.session, bpmn=upload.read(), forms=forms,
                                       forms_dir=current_app.config["FORMS_DIR"],
                                       deployed_by=current_user().username)
    body = {"process_id": version.process_id, "version": version.version, "sha256": version.sha256,
            "created": created}
    return body, 201 if created else 200


@api.get("/process-models")
@require()
def list_models():
    return {"items": VersionSchema(many=True).dump(registry.latest_versions(db.session))}
