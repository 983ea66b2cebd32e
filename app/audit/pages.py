"""The auditors' pages: find an instance, replay it on its diagram, read the verdict, print its
history for a court file, compliance per clause and agency, and the access log.

Thin views over the same domain calls as ``app.audit.api``; the replay page is drawn on the
server at the requested step (so it works without JavaScript) and the slider then asks the API
for each step. Pages speak Russian by default (the users are Kazakhstan's auditors, prosecutors and
courts), English on request, through the same Babel catalog as the staff pages; event and status
words are the case page's own, so staff and auditors read the same names.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup
from flask_babel import gettext as _, lazy_gettext as _l

from ..agencies import AGENCIES
from ..errors import DomainError, Invalid
from ..i18n import current_language
from ..problems import reword_errors
from ..extensions import db
from ..instances import service as instances
from ..instances.environment import Settings
from ..access import may_see_case
from ..access.areas import may_open
from ..instances.inbox import case_instances
from ..instances.models import Case
from ..pages import when
from ..pages.cases import EVENT_LABELS, STATUS_LABELS
from ..registry.service import latest_versions
from ..registry.words import process_title
from . import access, compliance, court_pdf, history, replay as replays, service, verify
from .api import parse_instant

audit_pages = Blueprint("audit_pages", __name__, url_prefix="/audit", template_folder="templates",
                        static_folder="static", static_url_path="/static")
STATUSES = ("running", "waiting", "completed", "error")           # what the instance list filters by
OUTCOMES = {"on_time": _l("on time"), "late": _l("late"), "open_overdue": _l("overdue, not done"),
            "pending": _l("deadline not reached"), "cancelled": _l("withdrawn before the deadline")}
# The Guide's deadlines as app.audit.compliance words them (Russian, also in the CSV), for the page's language.
DEADLINES = {"1 рабочий день": _l("1 working day"), "2 календарных дня": _l("2 calendar days"),
             "7 календарных дней": _l("7 calendar days"), "незамедлительно": _l("immediately")}
# How each kind of deadline is counted (app.audit.compliance.CALENDAR_RULES), in the page's language.
CALENDAR_RULES = {"working_days": _l("working days of the Kazakhstan calendar (holidays and decrees applied)"),
                  "calendar_days": _l("calendar days (every day counts; a term ending on a day off ends on "
                                      "the next working day)"),
                  "immediately": _l("immediately: the acknowledgement window, in hours")}
# The fields the service sets itself (no form titles them), for the replay's labelled data.
SERVICE_FIELDS = {"received_at": _l("Received"), "reporting_agency": _l("Reporting agency"),
                  "case_id": _l("Case id"), "registration_number": _l("Registration number"),
                  "case_notified_agencies": _l("Agencies notified")}
ACCESS_KINDS = {"case": _l("case"), "instance": _l("process"), "task": _l("task"), "replay": _l("replay"),
                "history": _l("history for court"), "search": _l("case search")}


def _settings() -> Settings:
    return Settings.from_config(current_app.config)


@audit_pages.before_request
def _auditors_only():
    from ..pages import signed_in_user
    g.user = signed_in_user()
    if g.user is None:
        return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
    if not may_open(g.user, "audit"):
        abort(403)


def _words(labels: dict) -> dict[str, str]:
    """Lazy labels as plain strings in the request's language (templates look them up, JSON carries them)."""
    return {key: str(label) for key, label in labels.items()}


@audit_pages.context_processor
def _context():
    return {"STATUSES": {code: str(STATUS_LABELS[code]) for code in STATUSES}, "OUTCOMES": _words(OUTCOMES),
            "ACCESS_KINDS": _words(ACCESS_KINDS), "DEADLINES": _words(DEADLINES), "EVENTS": _words(EVENT_LABELS), "AGENCIES": AGENCIES}


@audit_pages.app_template_filter("css_string")
def _css_string(value) -> Markup:
    """Text for a CSS string in the PDF's page margins: quotes, backslashes, line ends and "<" escaped
    for CSS (a <style> element's text is not HTML-escaped, so the result is marked safe)."""
    return Markup(str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c "))


def _error(status: int, title: str, detail: str | None = None):
    return render_template("error.html", status=status, title=title, detail=detail), status


@audit_pages.errorhandler(403)
def _forbidden(_exc):
    return _error(403, _("Access denied"), _("This page is for auditors."))


@audit_pages.errorhandler(DomainError)
def _domain(exc: DomainError):
    db.session.rollback()
    return _error(exc.status, _("Could not open this"), exc.worded(current_language()))


def _filters() -> tuple[dict, dict]:
    """The list's filters from the query string, and field errors to show in place."""
    args, errors = request.args, {}
    f = {k: (args.get(k) or "").strip() for k in ("registration_number", "case", "process_id", "agency", "status",
                                                  "overdue", "since", "until")}
    for name in ("since", "until"):
        try:
            f[name + "_at"] = parse_instant(name, f[name] or None, end=name == "until")
        except Invalid:
            errors[name] = _("a date as YYYY-MM-DD")
            f[name + "_at"] = None
    return f, errors


@audit_pages.get("/")
def instances_list():
    f, errors = _filters()
    rows = []
    if not errors:
        try:
            rows = service.list_instances(
                db.session, user=g.user, registration_number=f["registration_number"] or None, case=f["case"] or None,
                process_id=f["process_id"] or None, agency=f["agency"] or None, since=f["since_at"],
                until=f["until_at"], status=f["status"] or None,
                overdue={"yes": True, "no": False}.get(f["overdue"]), limit=200)
        except Invalid as exc:
            errors = {e["field"]: e["message"] for e in reword_errors(exc.errors, current_language())}
    chapters = [(v.process_id, process_title(v)) for v in latest_versions(db.session)]
    return render_template("audit/instances.html", rows=rows, f=f, errors=errors, chapters=chapters)


@audit_pages.get("/instances/<instance_id>")
def replay_page(instance_id):
    instance = instances.get_instance(db.session, instance_id, g.user)
    raw = request.args.get("step")
    step = int(raw) if raw and raw.isdigit() else None
    try:
        state = replays.replay(db.session, instance, step, settings=_settings(), service_labels=_words(SERVICE_FIELDS))
    except Invalid:
        state = replays.replay(db.session, instance, None, settings=_settings(), service_labels=_words(SERVICE_FIELDS))
    verdict = verify.verify_instance(db.session, instance, settings=_settings())
    access.record_access(db.session, user=g.user, kind="replay", object_id=instance.id, case_id=instance.case_id)
    from ..pages import agency_name
    # lanes in the page's language, for replay.js: by code and by the lane's Russian name (what events keep)
    agency_names = {key: agency_name(a.code) for a in AGENCIES for key in (a.code, a.name_ru)}
    return render_template("audit/replay.html", s=state, verdict=verdict, instance_id=instance_id,
                           agency_names=agency_names)


@audit_pages.get("/instances/<instance_id>/history")
def history_page(instance_id):
    instance = instances.get_instance(db.session, instance_id, g.user)
    h = history.instance_history(db.session, instance, settings=_settings())
    access.record_access(db.session, user=g.user, kind="history", object_id=instance.id, case_id=instance.case_id)
    return render_template("audit/history.html", h=h)


def _person_words(session, histories, documents) -> Callable[[str | None], str]:
    """``person(username)``: "Full name (username), agency, organisation" for the court file."""
    known = court_pdf.people(session, {e["actor"] for h in histories for e in h["events"]}
                             | {t["completed_by"] for h in histories for t in h["tasks"]}
                             | {d.uploaded_by for d in documents})

    def person(username: str | None) -> str:
        if username in court_pdf.SYSTEM_ACTORS:
            return _("the service (timer or message)")
        p = known.get(username or "")
        if p is None:
            return username or "—"
        from ..pages import agency_name
        parts = [f"{p.full_name} ({p.username})" if p.full_name else p.username]
        parts += [x for x in (agency_name(p.agency) if p.agency else None, p.organisation) if x]
        return ", ".join(parts)
    return person


def _court_pdf(histories: list[dict], number: str, filename: str, documents: list) -> Response:
    generated_at = histories[0]["generated_at"] if histories else None
    html = render_template(
        "audit/history_pdf.html", histories=histories, number=number, generated_at=generated_at, documents=documents,
        person=_person_words(db.session, histories, documents), fonts=court_pdf.FONT_FILES,
        header=_("Case No. %(n)s", n=number), page_word=_("Page"),
        made=_("Qamqor, %(at)s", at=when(generated_at)))
    return Response(court_pdf.render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})


@audit_pages.get("/instances/<instance_id>/history.pdf")
def history_pdf(instance_id):
    instance = instances.get_instance(db.session, instance_id, g.user)
    h = history.instance_history(db.session, instance, settings=_settings())
    access.record_access(db.session, user=g.user, kind="history", object_id=instance.id, case_id=instance.case_id)
    number = h["case"].registration_number if h["case"] else "—"
    return _court_pdf([h], number, f"history-{instance.id}.pdf",
                      court_pdf.documents(db.session, instance.case_id, instance.id))


@audit_pages.get("/cases/<case_id>/history.pdf")
def case_history_pdf(case_id):
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not may_see_case(db.session, g.user, case_id):       # the auditors' scope (regional ones: their territory)
        abort(403)
    histories = [history.instance_history(db.session, i, settings=_settings())
                 for i in case_instances(db.session, case_id)]
    access.record_access(db.session, user=g.user, kind="history", object_id=case_id, case_id=case_id)
    return _court_pdf(histories, case.registration_number, f"case-{case.registration_number}.pdf",
                      court_pdf.documents(db.session, case_id))


@audit_pages.get("/compliance")
def compliance_page():
    f, errors = _filters()
    rows = []
    if not errors:
        rows = compliance.compliance_report(db.session, user=g.user, since=f["since_at"], until=f["until_at"],
                                            agency=f["agency"] or None, process_id=f["process_id"] or None)
    misses = [] if errors else compliance.missed_deadlines(
        db.session, user=g.user, since=f["since_at"], until=f["until_at"], agency=f["agency"] or None,
        process_id=f["process_id"] or None)
    query = {k: f[k] for k in ("since", "until", "agency", "process_id") if f[k]}
    return render_template("audit/compliance.html", rows=rows, f=f, errors=errors, misses=misses,
                           allowed=compliance.openable_cases(db.session, g.user, misses),
                           rules=_words(CALENDAR_RULES),
                           csv_url=url_for("audit_api.compliance_report", format="csv", **query))


@audit_pages.get("/access-log")
def access_page():
    f, errors = _filters()
    rows = []
    if not errors:
        rows = access.access_log(db.session, user=g.user, case_id=access.case_by_number_or_id(db.session, f["case"]),
                                 username=(request.args.get("username") or "").strip() or None,
                                 since=f["since_at"], until=f["until_at"], limit=500)
    return render_template("audit/access_log.html", rows=rows, f=f, errors=errors,
                           numbers=access.registration_numbers(db.session, (r.case_id for r in rows)),
                           username=request.args.get("username") or "")
