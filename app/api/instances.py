"""Process instances: start, read, events."""

from .. import access
from ..audit.access import record_access
from ..events.service import events_of
from ..extensions import db
from ..instances import service as instances
from ..registry.models import ProcessVersion
from . import api
from .auth import current_user, json_body, require, settings
from .schemas import EventSchema, InstanceSchema, TaskSchema
from ..errors import Invalid
from ..problems import field


def _dump(instance):
    body = InstanceSchema().dump(instance)
    body["version"] = db.session.get(ProcessVersion, instance.version_id).version
    if "data" in body:
        body["data"] = access.shown_instance_data(current_user(), instance.data)
    return body


@api.post("/process-instances")
@require()
def start():
    body = json_body()
    process_id = body.get("process_id")
    if not isinstance(process_id, str) or not process_id:
        raise Invalid("field_required", [field("process_id", "missing")], {"field": "process_id"})
    instance = instances.start_instance(db.session, process_id=process_id, data=body.get("data") or {},
                                        user=current_user(), settings=settings())
    body = _dump(instance)
    return {k: body[k] for k in ("id", "process_id", "version", "status", "case_id")} | {
        "registration_number": instance.data.get("registration_number")}, 201


@api.get("/process-instances/<instance_id>")
@require()
def show(instance_id):
    instance = instances.get_instance(db.session, instance_id, current_user())
    body = _dump(instance)
    body["tasks"] = TaskSchema(many=True).dump(instances.open_tasks(db.session, instance.id))
    record_access(db.session, user=current_user(), kind="instance", object_id=instance.id, case_id=instance.case_id)
    return body


@api.get("/process-instances/<instance_id>/events")
@require()
def events(instance_id):
    instance = instances.get_instance(db.session, instance_id, current_user())
    items = EventSchema(many=True).dump(events_of(db.session, instance.id))
    for item in items:
        item["data"] = access.shown_event_data(current_user(), item.get("type"), item.get("data"))
    body = {"items": items}
    record_access(db.session, user=current_user(), kind="instance", object_id=instance.id, case_id=instance.case_id)
    return body
