"""The Cases page: find a case again by number, ИИН or a name, within the cases the user may see.

The same search and access log as ``GET /api/v1/cases`` (``api/case_search.py``); the page only draws it."""
from __future__ import annotations

from flask import abort, g, render_template, request

from .. import access, territories
from ..api.case_search import parse_query, run_search
from ..errors import Invalid
from ..i18n import current_language
from ..problems import reword_errors
from ..extensions import db
from ..instances import inbox as inboxes
from ..registry.words import chapter_titles
from ..access.areas import may_open
from . import login_required, pages
from .people import shown_name

PAGE_SIZE = 20


@pages.get("/cases")
@login_required
def case_list():
    if not may_open(g.user, "cases"):
        abort(403)
    args = {k: v for k, v in request.args.items() if k != "page" and v not in ("", None)}
    try:
        page = max(1, min(int(request.args.get("page") or 1), 10_000))
    except ValueError:
        page = 1
    error, cases, total = None, [], 0
    try:
        query = parse_query({**args, "limit": str(PAGE_SIZE), "offset": str((page - 1) * PAGE_SIZE)})
        if args:
            cases, total = run_search(g.user, query)
    except Invalid as problem:
        problem.errors = reword_errors(problem.errors, current_language())     # in the page's language
        error = problem
    data = inboxes.case_data(db.session, [c.id for c in cases])
    named = access.child_names_shown_among(db.session, g.user, [c.id for c in cases])
    rows = [{"case": c, "territory": territories.full_name(c.territory) if c.territory else None,
             "child": shown_name(data.get(c.id), c.id in named)} for c in cases]
    pages_total = max(1, -(-total // PAGE_SIZE))
    return render_template("cases.html", rows=rows, total=total, page=page, pages_total=pages_total, args=args,
                           searched=bool(args), error=error, chapters=sorted(chapter_titles(db.session).items())), \
        422 if error else 200
