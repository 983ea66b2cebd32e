"""Administering users: create one, set a password, sign someone out everywhere (admins only)."""
from ..errors import Invalid
from ..problems import field as field_error
from ..extensions import db
from ..users import service as users
from ..users.sessions import revoke_sessions
from . import api
from .auth import json_body, require


def _text(body: dict, field: str, *, required: bool = True) -> str | None:
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise Invalid("field_required", [field_error(field, "non_empty_string")], {"field": field})
    return value


@api.post("/users")
@require("admin")
def create_user():
    """A new user; the answer carries their API token, shown this once."""
    body = json_body()
    roles = body.get("roles", ["staff"])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Invalid("roles_not_list", [field_error("roles", "list_of_strings")])
    agency = body.get("agency")
    if agency is not None and not isinstance(agency, str):
        raise Invalid("agency_not_code", [field_error("agency", "a_string")])
    user, token = users.create_user(db.session, username=_text(body, "username"), agency=agency, roles=roles,
                                    password=_text(body, "password", required=False),
                                    full_name=_text(body, "full_name", required=False),
                                    email=_text(body, "email", required=False))
    return {"username": user.username, "agency": user.agency, "roles": sorted(user.roles), "token": token}, 201


@api.post("/users/<username>/password")
@require("admin")
def set_password(username):
    """A new password (under the policy); every session of the user ends."""
    user = users.find_user(db.session, username)
    ended = users.set_password(db.session, user=user, password=_text(json_body(), "password"))
    return {"username": user.username, "sessions_ended": ended}


@api.post("/users/<username>/sessions/revoke")
@require("admin")
def revoke_user_sessions(username):
    """Sign the user out of every browser now (a lost laptop, a leaving employee)."""
    user = users.find_user(db.session, username)
    return {"username": user.username, "sessions_ended": revoke_sessions(db.session, user=user)}
