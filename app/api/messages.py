"""Messages posted by external systems (and people) into the outbox."""
from ..extensions import db
from ..messages import service as messages
from . import api
from .auth import current_user, json_body, require, settings
from .schemas import MessageSchema

# who sent a message is who calls (the token's or the session's user): a body naming one is refused
SENDER_FIELDS = frozenset({"sender", "sender_organisation", "source_instance_id", "actor", "user"})


@api.post("/messages")
@require()
def post_message():
    """Who may send which message is the domain's rule (``access.messages``): staff what their agency's
    lanes throw, integrations by their role; the sender is the caller, never a field of the body."""
    body = json_body()
    claimed = sorted(SENDER_FIELDS & set(body))
    if claimed:
        from ..errors import Invalid
        from ..problems import field
        raise Invalid("sender_is_caller", [field(f, "set_by_service") for f in claimed])
    message = messages.post_message(db.session, name=body.get("name"), correlation=body.get("correlation"),
                                    payload=body.get("payload", {}), user=current_user(),
                                    settings=settings())
    return MessageSchema().dump(message), 202


@api.get("/messages")
@require("auditor", "admin", "staff", "supervisor", "integration")
def list_messages():
    """The fate of a case's messages (pending, waiting, delivered, expired)."""
    from flask import request
    from ..errors import Invalid
    from ..problems import field
    case_id = request.args.get("case_id")
    if not case_id:
        raise Invalid("field_required", [field("case_id", "missing")], {"field": "case_id"})
    return {"items": MessageSchema(many=True).dump(messages.messages_of_case(db.session, case_id=case_id,
                                                                            user=current_user()))}
