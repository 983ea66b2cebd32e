"""Incidents: failed worker steps, for supervisors and process owners."""
from flask import request

from ..engine import clock
from ..errors import Invalid
from ..problems import field
from ..extensions import db
from ..incidents import oversight
from . import api
from .auth import current_user, require


@api.get("/incidents")
@require()
def list_incidents():
    unknown = sorted(set(request.args) - {"status", "limit"})
    if unknown:      # a misspelt filter must not silently widen the list
        raise Invalid("unknown_query_parameter", [field(unknown[0], "not_an_incident_filter")])
    limit = request.args.get("limit", "100")
    if not limit.isdigit() or not 1 <= int(limit) <= 500:
        raise Invalid("limit_out_of_range", [field("limit", "whole_number_between", lo=1, hi=500)])
    items = oversight.visible_incidents(db.session, user=current_user(), status=request.args.get("status", "open"),
                                       limit=int(limit))
    return {"items": [oversight.to_dict(i) for i in items]}


@api.post("/incidents/<int:incident_id>/retry")
@require()
def retry_incident(incident_id):
    incident = oversight.retry_incident(db.session, incident_id=incident_id, user=current_user(), now=clock.now())
    return oversight.to_dict(incident)
