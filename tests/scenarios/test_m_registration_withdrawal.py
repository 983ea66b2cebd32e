"""(m) A report registered in error is withdrawn (issue 13 §6): the registrant (or a supervisor of their unit) gives
the reason; every chapter of the case is cancelled by the engine, open work leaves every agency's inbox, timers
and catches go, undelivered notices stay undelivered, the agencies already told get an e-mail without the reason,
and the event log — verified by re-execution — says who withdrew it and why. Nobody else may."""
import pytest

from test_f_routing_by_residence import RECEIVED, _open, _work, units  # noqa: F401  (the fixture)

KARASAY = "195200000"
PASSWORD = "correct horse battery staple 42"
REASON = "Зарегистрировано по ошибке: дубль сообщения 2026-000001"


def _registered(units, run_due, *, deliver=True):
    from support import at
    school = units("talgar.school")
    case_id = school.post("/process-instances", json={"process_id": "ch1_identification", "data": {
        "received_at": RECEIVED}}, headers={"X-Test-Now": RECEIVED}).json()["case_id"]
    _work(school, case_id, "register_education_org", received_at=RECEIVED, detected_by="education",
          channel="oral_or_remote", offence_signs=False, territory=KARASAY, case_summary="Синяки на руках")
    if deliver:
        run_due(at("2026-12-01T10:05:00+05:00"))
    return school, case_id


def _set(app, username, **values):
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        db.session.query(User).filter_by(username=username).update(values)
        db.session.commit()
        db.session.remove()


def _rows(app, model, **where):
    from app.extensions import db
    with app.app_context():
        try:
            return [{c.name: getattr(r, c.name) for c in model.__table__.columns}
                    for r in db.session.query(model).filter_by(**where)]
        finally:
            db.session.remove()


def test_the_registrant_withdraws_every_agencys_work_goes_and_the_log_says_why(units, run_due, app, make_user,
                                                                              server):
    from app.instances.models import ProcessInstance, WaitingMessage
    from app.notify.models import OutgoingMail
    school, case_id = _registered(units, run_due)
    police = units("karasay.police")
    _set(app, police.username, email="police@example.kz")
    _set(app, units("talgar.police").username, email="stranger@example.kz")
    assert _open(police, case_id) == ["ack_notice"] and _open(units("karasay.kdnzp"), case_id) == ["ack_notice"]
    assert any(i["next_timer_at"] for i in _rows(app, ProcessInstance, case_id=case_id)), "deadlines are armed"

    # nobody but the registrant's unit: not another agency told of the case, not a stranger, not its supervisor
    for api in (police, units("karasay.police", "supervisor"), units("talgar.police"), units("karasay.school")):
        r = api.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON})
        assert r.status_code == 403 and r.json()["code"] == "withdrawal_forbidden", (api.username, r.text)
    auditor = make_user("reader", None, "auditor", password=PASSWORD)
    assert auditor.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON}).status_code == 403

    for body in ({}, {"reason": "  ошибка  "}, {"reason": 42}):
        r = school.post(f"/cases/{case_id}/withdrawal", json=body)
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["reason"] and r.json()["code"] == "withdrawal_invalid"
    assert _open(police, case_id) == ["ack_notice"]                 # a refusal changed nothing

    r = school.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON})
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["withdrawn_by"] == school.username and answer["reason"] == REASON
    instances = _rows(app, ProcessInstance, case_id=case_id)
    assert len(instances) >= 4 and set(answer["cancelled_instances"]) == {i["id"] for i in instances}
    assert {i["status"] for i in instances} == {"cancelled"} and {i["next_timer_at"] for i in instances} == {None}
    assert _rows(app, WaitingMessage, case_id=case_id) == []
    for unit in ("talgar.school", "karasay.police", "karasay.kdnzp", "karasay.guardianship"):
        assert _open(units(unit), case_id) == [], unit

    case = school.get(f"/cases/{case_id}").json()
    assert case["withdrawal"]["reason"] == REASON and case["open_duties"] == []
    assert any(line["kind"] == "registration_withdrawn" and REASON in (line["detail"] or "") for line in case["story"])
    assert [line["kind"] for line in case["story"]].count("registration_withdrawn") == 1

    # in every chapter's hash chain, with the reason and who; re-execution cancels it again the same way, and the
    # auditor's history page tells it in words
    from support import signed_in
    reader = signed_in(server, auditor.username, PASSWORD)
    for instance in instances:
        log = auditor.get(f"/process-instances/{instance['id']}/events").json()["items"]
        withdrawn = [e for e in log if e["type"] == "registration_withdrawn"]
        assert len(withdrawn) == 1 and withdrawn[0]["actor"] == school.username
        assert withdrawn[0]["data"]["reason"] == REASON
        verdict = auditor.get(f"/process-instances/{instance['id']}/verification").json()
        assert verdict["ok"], verdict
        replay = auditor.get(f"/process-instances/{instance['id']}/replay")
        assert replay.status_code == 200, replay.text
        history = reader.get(f"{server}/audit/instances/{instance['id']}/history")
        assert history.status_code == 200 and "Регистрация отозвана как ошибочная" in history.text
    with app.app_context():
        from app.audit.verify import verify_all
        from app.extensions import db
        from app.instances.environment import Settings
        report = verify_all(db.session, settings=Settings.from_config(app.config))
        assert report.ok, report.lines()
        db.session.remove()

    found = reader.get(f"{server}/cases", params={"q": answer["registration_number"]})
    assert found.status_code == 200 and "регистрация отозвана" in found.text      # the case search marks it

    # the agency already told learns of it by e-mail, without the reason or the child; a stranger does not
    mails = _rows(app, OutgoingMail, kind="withdrawn")
    assert {m["address"] for m in mails} == {"police@example.kz"}
    assert all(m["urgent"] and m["status"] == "pending" for m in mails)
    assert "Синяки" not in mails[0]["body"] and REASON not in mails[0]["body"] and "дубль" not in mails[0]["body"]
    assert f"/cases/{case_id}" in mails[0]["body"]
    assert {m["status"] for m in _rows(app, OutgoingMail, kind="notice")} <= {"cancelled"}

    # twice: 409; nothing new starts in the case, the worker has nothing to do in it
    again = school.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON})
    assert again.status_code == 409 and again.json()["code"] == "registration_withdrawn_already"
    refused = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                      "data": {"case_id": case_id}})
    assert refused.status_code == 409 and refused.json()["code"] == "case_withdrawn"
    moved = school.put(f"/cases/{case_id}/territory", json={"territory": "196200000", "reason": "семья переехала"})
    assert moved.status_code == 409 and moved.json()["code"] == "case_withdrawn"
    from support import at
    run_due(at("2026-12-10T10:05:00+05:00"))
    assert {i["status"] for i in _rows(app, ProcessInstance, case_id=case_id)} == {"cancelled"}
    assert _open(police, case_id) == []


def test_undelivered_notices_stay_undelivered_and_a_supervisor_of_the_unit_may_withdraw(units, run_due, app):
    from app.messages.models import Message
    school, case_id = _registered(units, run_due, deliver=False)
    assert {m["status"] for m in _rows(app, Message, case_id=case_id)} == {"pending"}
    supervisor = units("talgar.school", "supervisor")
    r = supervisor.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON})
    assert r.status_code == 201, r.text
    assert {m["status"] for m in _rows(app, Message, case_id=case_id)} == {"cancelled"}
    from support import at
    run_due(at("2026-12-01T10:05:00+05:00"))
    assert {m["status"] for m in _rows(app, Message, case_id=case_id)} == {"cancelled"}
    for unit in ("karasay.police", "karasay.kdnzp", "karasay.guardianship"):
        assert _open(units(unit), case_id) == [], unit


def test_a_withdrawn_case_counts_in_no_figure(units, run_due, app, make_user):
    """Compliance (the supervisor's page, the auditor's report) and the dashboard leave a registration made in
    error out: it was never a report of violence, and its cancelled deadlines say nothing of how they are kept."""
    from datetime import datetime, timedelta, timezone

    from app.audit.compliance import compliance_report
    from app.dashboard.service import dashboard
    from app.extensions import db
    from app.instances.inbox import compliance
    from app.users.models import User
    school, case_id = _registered(units, run_due)
    make_user("reader", None, "auditor")
    since, until = datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 12, 31, tzinfo=timezone.utc)

    def figures():
        with app.app_context():
            try:
                auditor = db.session.query(User).filter_by(username="reader").one()
                decided = sum(c.total for c in compliance(db.session, auditor, since=since, until=until))
                report = compliance_report(db.session, user=auditor, since=since, until=until + timedelta(days=1))
                shown = {f.key: f.rows for f in dashboard(db.session, user=auditor)}
                return decided, report, shown["territories"], shown["deadlines"]
            finally:
                db.session.remove()
    decided, report, places, deadlines = figures()
    assert decided > 0 and report and places and deadlines
    assert school.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON}).status_code == 201
    decided, report, places, deadlines = figures()
    assert decided == 0 and report == [] and places == [] and deadlines == []


def test_a_closed_case_has_nothing_to_withdraw(units, run_due, app):
    from app.extensions import db
    from app.instances.models import ProcessInstance
    school, case_id = _registered(units, run_due)
    with app.app_context():
        db.session.query(ProcessInstance).filter_by(case_id=case_id).update({"status": "completed"})
        db.session.commit()
        db.session.remove()
    r = school.post(f"/cases/{case_id}/withdrawal", json={"reason": REASON})
    assert r.status_code == 409 and r.json()["code"] == "case_closed_no_withdrawal"


@pytest.mark.parametrize("path", ["/cases/no-such-case/withdrawal"])
def test_an_unknown_case_is_404(units, path):
    r = units("talgar.school").post(path, json={"reason": REASON})
    assert r.status_code == 404 and r.json()["code"] == "case_not_found"
