"""The dashboard over HTTP: ``GET /api/v1/dashboard`` (JSON, or CSV with small counts suppressed) and the
``/dashboard`` page (a chart and its table per figure). Thin: the counts come from ``service``."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from markupsafe import Markup

from ..api.auth import _authenticate, current_user, require
from ..api.query import refuse_unknown_query
from ..audit.api import parse_instant
from ..errors import Invalid
from ..problems import field
from ..i18n import current_language
from ..problems import reword_errors
from ..extensions import db
from . import charts, service

dashboard_api = Blueprint("dashboard_api", __name__, url_prefix="/api/v1")
dashboard_api.before_request(_authenticate)
dashboard_api.before_request(refuse_unknown_query)
dashboard_pages = Blueprint("dashboard_pages", __name__, template_folder="templates")


def _query(args) -> dict:
    return {"territory": (args.get("territory") or "").strip() or None,
            "since": parse_instant("since", args.get("since")),
            "until": parse_instant("until", args.get("until"), end=True)}


def to_csv(figures) -> str:
    """One table of every figure: figure, then its own columns, then the count; small counts suppressed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["figure", "label_1", "label_2", "count_1", "count_2", "count_3"])
    for f in service.suppressed(figures):
        n_labels = {"open_cases": 2, "deadlines": 2, "overdue": 2, "notices": 1, "territories": 1,
                    "first_action": 1}[f.key]
        for row in f.rows:
            labels, counts = list(row[:n_labels]), list(row[n_labels:])
            writer.writerow([f.key, *(labels + [""] * (2 - len(labels))), *(counts + [""] * (3 - len(counts)))])
    return out.getvalue()


@dashboard_api.get("/dashboard")
@require(*service.ROLES)
def dashboard_json():
    q = _query(request.args)
    fmt = request.args.get("format") or "json"
    if fmt not in ("json", "csv"):
        raise Invalid("unknown_format", [field("format", "json_or_csv")])
    figures = service.dashboard(db.session, user=current_user(), **q)
    if fmt == "csv":
        return Response(to_csv(figures), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=qamqor-dashboard.csv"})
    return {"territory": q["territory"], "since": q["since"].isoformat() if q["since"] else None,
            "until": q["until"].isoformat() if q["until"] else None,
            "figures": {f.key: {"columns": f.columns, "rows": [list(r) for r in f.rows]} for f in figures}}


def _charts(figures) -> list[dict]:
    """Each figure with its title, column words, display rows and SVG chart, in the page's language."""
    from ..pages import agency_name
    by_key = {f.key: f for f in figures}
    o, d, late, n = by_key["open_cases"], by_key["deadlines"], by_key["overdue"], by_key["notices"]
    from .. import territories

    def place(code):
        found = territories.get(code)
        return found.name(str(get_locale())) if found else _("not given")
    shown = []

    def add(key, title, columns, rows, labels, series, stacked=True):
        shown.append({"key": key, "title": title, "columns": columns, "rows": rows,
                      "svg": Markup(charts.bar_svg(title, labels, series, stacked)) if rows else None})

    add("open_cases", _("Cases waiting, by chapter and agency"), [_("Chapter"), _("Agency"), _("Cases")],
        [(c, agency_name(a), k) for c, a, k in o.rows],
        [f"{c} · {agency_name(a)}" for c, a, _k in o.rows], [(_("Cases"), [k for *_x, k in o.rows])])
    add("deadlines", _("Deadlines kept per clause and month"), [_("Clause"), _("Month"), _("Kept"), _("Missed")],
        d.rows, [f"{c} · {m}" for c, m, *_x in d.rows],
        [(_("Kept"), [r[2] for r in d.rows]), (_("Missed"), [r[3] for r in d.rows])])
    add("overdue", _("Overdue tasks by organisation"), [_("Agency"), _("Organisation"), _("Tasks")],
        [(agency_name(a), org or "—", k) for a, org, k in late.rows],
        [f"{agency_name(a)}{' · ' + org if org else ''}" for a, org, _k in late.rows],
        [(_("Tasks"), [r[2] for r in late.rows])])
    add("notices", _("Notices awaiting acknowledgement"), [_("Agency"), _("Notices")],
        [(agency_name(a), k) for a, k in n.rows], [agency_name(a) for a, _k in n.rows],
        [(_("Notices"), [r[1] for r in n.rows])])
    t = by_key["territories"]
    add("territories", _("Cases per oblast, ranked"), [_("Territory"), _("Cases")],
        [(place(c), k) for c, k in t.rows], [place(c) for c, _k in t.rows], [(_("Cases"), [r[1] for r in t.rows])])
    if t.rows:                                  # the same counts on a map of the oblasts, beside the same table
        counts = {c: k for c, k in t.rows if c in charts.OBLAST_KATO.values()}
        shown[-1]["map"] = Markup(charts.oblast_map_svg(
            _("Cases per oblast, map"), counts, {c: place(c) for _n, c, _p in charts.oblast_shapes()},
            {"none": _("no cases"), "small": _("fewer than 5")}))
    first = by_key["first_action"]
    add("first_action", _("From the report to each agency's first action (hours)"),
        [_("Agency"), _("Cases"), _("Median, hours"), _("90th percentile, hours")],
        [(agency_name(a), k, m, p) for a, k, m, p in first.rows], [agency_name(a) for a, *_x in first.rows],
        [(_("Median, hours"), [r[2] for r in first.rows]), (_("90th percentile, hours"), [r[3] for r in first.rows])],
        stacked=False)
    return shown


@dashboard_pages.get("/dashboard")
def dashboard_page():
    from ..pages import signed_in_user
    user = g.user = signed_in_user()           # base.html's menu reads g.user
    if user is None:
        return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
    if not user.has_role(*service.ROLES):
        abort(403)
    f = {k: (request.args.get(k) or "").strip() for k in ("territory", "since", "until")}
    errors, figures = {}, []
    try:
        figures = _charts(service.dashboard(db.session, user=user, **_query(request.args)))
    except Invalid as exc:
        errors = {e["field"]: e["message"] for e in reword_errors(exc.errors, current_language())}
    query = {k: v for k, v in f.items() if v}
    return render_template("dashboard/index.html", figures=figures, f=f, errors=errors,
                           csv_url=url_for("dashboard_api.dashboard_json", format="csv", **query))
