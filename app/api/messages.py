"""Messages posted by external systems (and people) into the outbox."""
from ..extensions import db
from ..messages import service as messages
from . import api
from .auth import current_user, json_body, require, settings
from .schemas import MessageSchema


@api.post("/messages")
@require("staff", "supervisor", "admin")
def post_message():
    body = json_body()
    message = messages.post_message(db.session, name=body.get("name"), correlation=body.get("correlation"),
                                    payload=body.get("payload", {}), user=current_user(),
                                    settings=settings())
    return MessageSchema().dump(message), 202


@api.get("/messages")
@require("auditor", "admin", "staff", "supervisor")
def list_messages():
    """The fate of a case's messages (pending, waiting, delivered, expired)."""
    from flask import request
    from ..errors import Invalid
    case_id = request.args.get("case_id")
    if not case_id:
        raise Invalid("case_id is required", [{"field": "case_id", "message": "required"}])
    return {"items": MessageSchema(many=True).dump(messages.messages_of_case(db.session, case_id=case_id,
                                                                            user=current_user()))}
