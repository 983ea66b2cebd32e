"""How resources look on the wire (marshmallow); one schema per resource."""
from marshmallow import Schema, fields


class VersionSchema(Schema):
    process_id = fields.String()
    version = fields.Integer()
    name = fields.String(allow_none=True)
    sha256 = fields.String()
    deployed_by = fields.String(allow_none=True)
    deployed_at = fields.DateTime()
    lanes = fields.Dict()
    message_starts = fields.List(fields.String())
    start_agencies = fields.List(fields.String())


class TaskSchema(Schema):
    id = fields.String()
    instance_id = fields.String()
    case_id = fields.String(allow_none=True)
    process_id = fields.String()
    bpmn_id = fields.String()
    name = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    required_role = fields.String(allow_none=True)
    form = fields.String(allow_none=True)
    ui_form = fields.String(allow_none=True)
    instructions = fields.String(allow_none=True)
    clauses = fields.List(fields.String())
    state = fields.String()
    created_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    overdue_since = fields.DateTime(allow_none=True)
    claimed_by = fields.String(allow_none=True)


class InstanceSchema(Schema):
    id = fields.String()
    process_id = fields.String()
    version = fields.Integer()
    case_id = fields.String(allow_none=True)
    status = fields.String()
    data = fields.Dict()
    error = fields.String(allow_none=True)
    next_timer_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EventSchema(Schema):
    seq = fields.Integer()
    type = fields.String()
    at = fields.DateTime()
    actor = fields.String()
    task_id = fields.String(allow_none=True)
    bpmn_id = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    data = fields.Dict()
    state_hash = fields.String(allow_none=True)
    hash = fields.String()
    prev_hash = fields.String()


class MessageSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    case_id = fields.String(allow_none=True)
    status = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    delivered_to = fields.List(fields.String())
    waiting_reason = fields.String(allow_none=True)   # why receivers in the case did not take it
    sender = fields.String()                          # a person, or ``instance:<id>`` for a diagram's throw
    sender_organisation = fields.String(allow_none=True)    # their unit (for a diagram: the completing task's)
    source_instance_id = fields.String(allow_none=True)
