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
                                    payload=body.get("payload", {}), sender=current_user().username,
                                    settings=settings())
    return MessageSchema().dump(message), 202
