"""``GET /cases``: find a case by number (also a part), ИИН or the names of the child and family."""
import uuid

from flask import request

from .. import access
from ..audit.access import record_access
from ..audit.api import parse_instant
from ..errors import Invalid
from ..problems import field
from ..extensions import db
from ..instances import case_search
from ..instances import inbox as inboxes
from ..pages.people import shown_name
from . import api
from .auth import current_user, require

PARAMS = {"q", "state", "chapter", "mine", "overdue", "since", "until", "limit", "offset"}


def _flag(args, name) -> bool:
    value = (args.get(name) or "").lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise Invalid("not_a_boolean", [field(name, "true_or_false")], {"name": name})


def _int(args, name, default, lo, hi) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Invalid("not_an_integer", [field(name, "an_integer")], {"name": name}) from None
    if not lo <= value <= hi:
        raise Invalid("out_of_range", [field(name, "between", lo=lo, hi=hi)], {"name": name})
    return value


def parse_query(args) -> case_search.CaseQuery:
    """The filters from query parameters (the API's and the Cases page's), or Invalid naming the field."""
    unknown = sorted(set(args) - PARAMS)
    if unknown:
        raise Invalid("unknown_query_parameter", [field(unknown[0], "not_a_case_filter")])
    q = (args.get("q") or "").strip()
    if len(q) > 200:
        raise Invalid("query_too_long", [field("q", "at_most_chars", n=200)])
    state = args.get("state") or None
    if state not in (None, "open", "closed"):
        raise Invalid("unknown_state", [field("state", "open_or_closed")])
    since, until = parse_instant("since", args.get("since")), parse_instant("until", args.get("until"), end=True)
    if since and until and since >= until:
        raise Invalid("empty_period", [field("until", "after_since")])
    return case_search.CaseQuery(q=q, state=state, chapter=args.get("chapter") or None, mine=_flag(args, "mine"),
                                 overdue=_flag(args, "overdue"), since=since, until=until,
                                 limit=_int(args, "limit", 20, 1, 100), offset=_int(args, "offset", 0, 0, 1_000_000))


def run_search(user, query: case_search.CaseQuery):
    """Search and log it. The log keeps what kind of query it was (number, ИИН, name), never its text:
    a name or an ИИН typed into a search box is itself personal data."""
    cases, total = case_search.search(db.session, user, query)
    record_access(db.session, user=user, kind="search", case_id=None,
                  object_id=f"{case_search.query_kind(query.q)}:{uuid.uuid4().hex[:24]}")
    return cases, total


@api.get("/cases")
@require("staff", "supervisor", "auditor", "admin")
def search_cases():
    user = current_user()
    query = parse_query(request.args)
    cases, total = run_search(user, query)
    data = inboxes.case_data(db.session, [c.id for c in cases])
    named = access.child_names_shown_among(db.session, user, [c.id for c in cases])
    return {"total": total, "limit": query.limit, "offset": query.offset, "items": [
        {"id": c.id, "registration_number": c.registration_number, "opened_at": c.created_at.isoformat(),
         "territory": c.territory, "child": shown_name(data.get(c.id), c.id in named)}
        for c in cases]}
