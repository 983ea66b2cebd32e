"""The auditors' pages: find an instance, replay it on its diagram, read the verdict, print its
history for a court file, compliance per clause and agency, and the access log.

Thin views over the same domain calls as ``app.audit.api``; the replay page is drawn on the
server at the requested step (so it works without JavaScript) and the slider then asks the API
for each step. Pages are in Russian: the users are Kazakhstan's auditors, prosecutors and courts.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from ..agencies import AGENCIES
from ..errors import DomainError, Invalid
from ..extensions import db
from ..instances import service as instances
from ..instances.environment import Settings
from ..registry.service import latest_versions
from . import access, compliance, history, replay as replays, service, verify
from .api import parse_instant

audit_pages = Blueprint("audit_pages", __name__, url_prefix="/audit", template_folder="templates",
                        static_folder="static", static_url_path="/static")
STATUS_RU = {"running": "в работе", "waiting": "ожидает другое ведомство", "completed": "завершён",
             "error": "остановлен ошибкой"}
EVENT_RU = {
    "instance_started": "Процесс начат", "instance_completed": "Процесс завершён", "task_ready": "Задача назначена",
    "task_completed": "Задача выполнена", "task_cancelled": "Задача снята", "task_claimed": "Задача взята",
    "task_unclaimed": "Задача освобождена", "task_assigned": "Задача передана", "timer_fired": "Сработал таймер срока",
    "overdue": "Срок пропущен", "message_sent": "Уведомление отправлено", "message_received": "Уведомление получено",
    "message_delivered": "Уведомление доставлено", "activity_completed": "Шаг выполнен", "incident": "Инцидент",
    "instance_migrated": "Переведён на новую версию",
}
OUTCOME_RU = {"on_time": "в срок", "late": "с нарушением срока", "open_overdue": "просрочена, не выполнена",
              "pending": "срок не наступил", "cancelled": "снята до срока", None: "—"}


def _settings() -> Settings:
    return Settings.from_config(current_app.config)


@audit_pages.before_request
def _auditors_only():
    from ..pages import signed_in_user
    g.user = signed_in_user()
    if g.user is None:
        return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
    if not g.user.has_role(*service.AUDIT_ROLES):
        abort(403)


@audit_pages.app_template_filter("event_ru")
def _event_ru(value):
    return EVENT_RU.get(value, value)


@audit_pages.context_processor
def _context():
    return {"STATUS_RU": STATUS_RU, "OUTCOME_RU": OUTCOME_RU, "AGENCIES": AGENCIES, "EVENT_RU": EVENT_RU}


def _error(status: int, title: str, detail: str | None = None):
    return render_template("error.html", status=status, title=title, detail=detail), status


@audit_pages.errorhandler(403)
def _forbidden(_exc):
    return _error(403, "Доступ запрещён", "Эта страница — для аудиторов.")


@audit_pages.errorhandler(DomainError)
def _domain(exc: DomainError):
    db.session.rollback()
    return _error(exc.status, "Не удалось открыть", exc.detail)


def _filters() -> tuple[dict, dict]:
    """The list's filters from the query string, and field errors to show in place."""
    args, errors = request.args, {}
    f = {k: (args.get(k) or "").strip() for k in ("registration_number", "case", "process_id", "agency", "status",
                                                  "overdue", "since", "until")}
    for name in ("since", "until"):
        try:
            f[name + "_at"] = parse_instant(name, f[name] or None, end=name == "until")
        except Invalid:
            errors[name] = "дата в виде ГГГГ-ММ-ДД"
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
            errors = {e["field"]: e["message"] for e in exc.errors}
    chapters = [(v.process_id, v.name or v.process_id) for v in latest_versions(db.session)]
    return render_template("audit/instances.html", rows=rows, f=f, errors=errors, chapters=chapters)


@audit_pages.get("/instances/<instance_id>")
def replay_page(instance_id):
    instance = instances.get_instance(db.session, instance_id, g.user)
    raw = request.args.get("step")
    step = int(raw) if raw and raw.isdigit() else None
    try:
        state = replays.replay(db.session, instance, step, settings=_settings())
    except Invalid:
        state = replays.replay(db.session, instance, None, settings=_settings())
    verdict = verify.verify_instance(db.session, instance, settings=_settings())
    access.record_access(db.session, user=g.user, kind="replay", object_id=instance.id, case_id=instance.case_id)
    return render_template("audit/replay.html", s=state, verdict=verdict, instance_id=instance_id)


@audit_pages.get("/instances/<instance_id>/history")
def history_page(instance_id):
    instance = instances.get_instance(db.session, instance_id, g.user)
    h = history.instance_history(db.session, instance, settings=_settings())
    access.record_access(db.session, user=g.user, kind="history", object_id=instance.id, case_id=instance.case_id)
    return render_template("audit/history.html", h=h)


@audit_pages.get("/compliance")
def compliance_page():
    f, errors = _filters()
    rows = []
    if not errors:
        rows = compliance.compliance_report(db.session, user=g.user, since=f["since_at"], until=f["until_at"],
                                            agency=f["agency"] or None, process_id=f["process_id"] or None)
    query = {k: f[k] for k in ("since", "until", "agency", "process_id") if f[k]}
    return render_template("audit/compliance.html", rows=rows, f=f, errors=errors,
                           csv_url=url_for("audit_api.compliance_report", format="csv", **query))


@audit_pages.get("/access-log")
def access_page():
    f, errors = _filters()
    rows = []
    if not errors:
        rows = access.access_log(db.session, user=g.user, case_id=f["case"] or None,
                                 username=(request.args.get("username") or "").strip() or None,
                                 since=f["since_at"], until=f["until_at"], limit=500)
    return render_template("audit/access_log.html", rows=rows, f=f, errors=errors,
                           username=request.args.get("username") or "")
