"""The auditors' JSON endpoints under /api/v1: instance list, replay, verification, anchors,
access log, compliance (JSON or CSV), one instance's history.

A blueprint of its own beside ``app.api``'s, authenticated by the same function (bearer token or
signed-in session). Everything here reads; auditors only.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, Response, request

from ..api.auth import _authenticate, current_user, require, settings
from ..api.query import refuse_unknown_query
from ..calendar import ALMATY
from ..errors import Invalid, NotFound
from ..problems import api_language, field, worded_reason
from ..extensions import db
from ..instances import service as instances
from ..registry.models import ProcessVersion
from ..pages.diagrams import localized_diagram
from . import access, compliance, replay as replays, service, verify
from .models import Anchor

audit_api = Blueprint("audit_api", __name__, url_prefix="/api/v1")
audit_api.before_request(_authenticate)
audit_api.before_request(refuse_unknown_query)
AUDITORS = service.AUDIT_ROLES
YEARS = (1900, 3000)      # a period filter's bounds: wider than any record, inside what datetimes can hold


def _int(name, default, lo, hi):
    raw = request.args.get(name)
    try:
        value = int(raw) if raw not in (None, "") else default
    except ValueError:
        raise Invalid("not_an_integer", [field(name, "an_integer")], {"name": name}) from None
    if value is not None and not lo <= value <= hi:
        raise Invalid("out_of_range", [field(name, "between", lo=lo, hi=hi)], {"name": name})
    return value


def _flag(name):
    value = (request.args.get(name) or "").lower()
    if value in ("", "any"):
        return None
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise Invalid("not_a_boolean", [field(name, "true_or_false")], {"name": name})


def parse_instant(name: str, value: str | None, *, end: bool = False) -> datetime | None:
    """A date (Almaty day; ``end`` means the day after) or an ISO instant with its offset.

    Bounded to ``YEARS``: at the ends of Python's calendar (``until=9999-12-31``) the day after, or
    the instant in UTC, does not exist.
    """
    if value in (None, ""):
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        instant = None
    if instant is None or (len(value) != 10 and instant.tzinfo is None):
        raise Invalid("not_a_date", [field(name, "date_format")], {"name": name})
    if not YEARS[0] <= instant.year < YEARS[1]:       # checked on the wall clock: converting may overflow
        raise Invalid("date_out_of_range", [field(name, "date_between", first=f"{YEARS[0]}-01-01",
                                                        last=f"{YEARS[1] - 1}-12-31")], {"name": name})
    if len(value) == 10:
        day = instant.date() + timedelta(days=1) if end else instant.date()
        return datetime.combine(day, time(0), tzinfo=ALMATY)
    return instant


def _period():
    return parse_instant("since", request.args.get("since")), parse_instant("until", request.args.get("until"), end=True)


def _instance(instance_id):
    user = current_user()
    service.require_auditor(user)
    return instances.get_instance(db.session, instance_id, user)


@audit_api.get("/audit/instances")
@require(*AUDITORS)
def list_instances():
    since, until = _period()
    rows = service.list_instances(
        db.session, user=current_user(), case=request.args.get("case"),
        registration_number=request.args.get("registration_number"), process_id=request.args.get("process_id"),
        agency=request.args.get("agency"), since=since, until=until, status=request.args.get("status") or None,
        overdue=_flag("overdue"), limit=_int("limit", 100, 1, 500), offset=_int("offset", 0, 0, 10**9))
    return {"items": [{"id": r.instance.id, "process_id": r.instance.process_id, "version": r.version,
                       "status": r.instance.status, "case_id": r.instance.case_id,
                       "registration_number": r.registration_number, "overdue": r.overdue,
                       "created_at": r.instance.created_at.isoformat(),
                       "updated_at": r.instance.updated_at.isoformat()} for r in rows]}


@audit_api.get("/process-instances/<instance_id>/replay")
@require(*AUDITORS)
def replay(instance_id):
    instance = _instance(instance_id)
    from .pages import SERVICE_FIELDS
    body = replays.replay(db.session, instance, _int("step", None, 1, 10**9), settings=settings(),
                          service_labels={k: str(v) for k, v in SERVICE_FIELDS.items()})
    access.record_access(db.session, user=current_user(), kind="replay", object_id=instance.id,
                         case_id=instance.case_id)
    body["divergence"] = worded_reason(body.get("divergence"), api_language(request))
    return body


@audit_api.get("/process-instances/<instance_id>/verification")
@require(*AUDITORS)
def verification(instance_id):
    instance = _instance(instance_id)
    body = verify.verify_instance(db.session, instance, settings=settings()).to_dict()
    lang = api_language(request)
    for key in ("chain", "anchor", "reexecution", "first_fault"):
        body[key] = worded_reason(body[key], lang)
    return body


@audit_api.get("/audit/versions/<int:version_id>/diagram")
@require(*AUDITORS)
def diagram(version_id):
    version = db.session.get(ProcessVersion, version_id) if version_id <= 2**31 - 1 else None   # too big for the column
    if version is None:
        raise NotFound("version_not_found", {"version_id": version_id})
    return localized_diagram(version)      # names in the auditor's language; the modeler API has the bytes as deployed


@audit_api.get("/audit/anchors")
@require(*AUDITORS)
def anchors():
    rows = db.session.query(Anchor).order_by(Anchor.id.desc()).limit(_int("limit", 50, 1, 500)).all()
    return {"items": [{"id": a.id, "created_at": a.created_at.isoformat(), "instance_count": a.instance_count,
                       "digest": a.digest, "prev_digest": a.prev_digest} for a in rows]}


@audit_api.get("/audit/access-log")
@require("auditor")
def access_log():
    since, until = _period()
    rows = access.access_log(db.session, user=current_user(), case_id=request.args.get("case_id") or None,
                             username=request.args.get("username") or None, since=since, until=until,
                             limit=_int("limit", 200, 1, 1000), offset=_int("offset", 0, 0, 10**9))
    numbers = access.registration_numbers(db.session, (r.case_id for r in rows))
    return {"items": [{"at": r.at.isoformat(), "username": r.username, "agency": r.agency, "kind": r.kind,
                       "object_id": r.object_id, "case_id": r.case_id,
                       "registration_number": numbers.get(r.case_id)} for r in rows]}


@audit_api.get("/audit/compliance")
@require(*AUDITORS)
def compliance_report():
    since, until = _period()
    rows = compliance.compliance_report(db.session, user=current_user(), since=since, until=until,
                                        agency=request.args.get("agency") or None,
                                        process_id=request.args.get("process_id") or None)
    if request.args.get("format") == "csv":
        return Response(compliance.to_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=qamqor-compliance.csv"})
    if request.args.get("format") not in (None, "", "json"):
        raise Invalid("unknown_format", [field("format", "json_or_csv")])
    misses = compliance.missed_deadlines(db.session, user=current_user(), since=since, until=until,
                                         agency=request.args.get("agency") or None,
                                         process_id=request.args.get("process_id") or None)
    allowed = compliance.openable_cases(db.session, current_user(), misses)
    return {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None,
            "items": rows, "calendar_rules": compliance.CALENDAR_RULES,
            "misses": [{**m, "due_at": m["due_at"].isoformat(),
                        "completed_at": m["completed_at"].isoformat() if m["completed_at"] else None,
                        "case_url": f"/cases/{m['case_id']}" if m["case_id"] in allowed else None}
                       for m in misses]}

