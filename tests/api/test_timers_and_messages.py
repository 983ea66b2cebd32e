"""Timers fired by the worker at a pinned instant; messages starting and advancing instances."""
import os
import subprocess
import sys
from datetime import datetime

from support import ROOT, deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
BEFORE_DUE = datetime.fromisoformat("2026-12-01T09:59:00+05:00")
AFTER_DUE = datetime.fromisoformat("2026-12-01T10:00:01+05:00")


def _events(api, instance_id):
    return api.get(f"/process-instances/{instance_id}/events").json()["items"]


def test_boundary_timer_escalates_to_the_supervisor_once(owner, make_user, run_due):
    deploy_fixture(owner, "reporter")
    staff = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor")
    started = staff.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}).json()

    assert run_due(BEFORE_DUE) == (0, 0)
    assert staff.get("/tasks?overdue=true").json()["items"] == []
    assert run_due(AFTER_DUE)[0] == 1
    assert run_due(AFTER_DUE) == (0, 0)                      # fired once, not again

    events = _events(staff, started["id"])
    assert [e["type"] for e in events if e["type"] in ("timer_fired", "overdue")] == ["timer_fired", "overdue"]
    overdue = next(e for e in events if e["type"] == "overdue")
    assert overdue["bpmn_id"] == "report" and overdue["actor"] == "system"

    escalation = [t for t in chief.get("/tasks").json()["items"] if t["bpmn_id"] == "escalate"]
    assert len(escalation) == 1 and escalation[0]["required_role"] == "supervisor"
    # staff see it in the agency's inbox but only a supervisor may act on it
    assert staff.post(f"/tasks/{escalation[0]['id']}/complete", json={"data": {}}).status_code == 403
    assert chief.post(f"/tasks/{escalation[0]['id']}/complete", json={"data": {"note": "разобрались"}}).status_code == 200
    # the original task is still open, and still overdue
    assert [t["bpmn_id"] for t in staff.get("/tasks?overdue=true").json()["items"]] == ["report"]


def test_message_from_one_instance_starts_another_in_the_receiving_agency(owner, make_user, run_due):
    deploy_fixture(owner, "reporter")
    deploy_fixture(owner, "receiver", forms=("fixture-ack.json",))
    police = make_user("inspector", "police", "staff")
    kdnzp = make_user("commission", "kdnzp", "staff")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}).json()
    task_id = police.get("/tasks").json()["items"][0]["id"]
    police.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "сообщение"}})
    assert kdnzp.get("/tasks").json()["items"] == []           # not routed until the worker runs

    assert run_due(BEFORE_DUE) == (0, 1)
    assert run_due(BEFORE_DUE) == (0, 0)                       # delivered once
    inbox = kdnzp.get("/tasks").json()["items"]
    assert [t["bpmn_id"] for t in inbox] == ["ack"] and inbox[0]["case_id"] == started["case_id"]
    data = kdnzp.get(f"/tasks/{inbox[0]['id']}").json()["data"]
    assert data["msg"]["summary_len"] == len("сообщение") and data["registration_number"] == started["registration_number"]
    sent = [e for e in _events(police, started["id"]) if e["type"] == "message_sent"]
    assert sent[0]["data"]["name"] == "case_notified"


def test_message_reaches_the_waiting_catch_of_its_own_case_only(owner, make_user, run_due):
    deploy_fixture(owner, "waiter", forms=("fixture-ack.json",))
    doctor = make_user("doctor", "health", "staff")
    gateway = make_user("clinic-gateway", "health", "integration")    # a reply from outside: no lane throws it
    first = doctor.post("/process-instances", json={"process_id": "waiter", "data": {}}).json()
    second = doctor.post("/process-instances", json={"process_id": "waiter", "data": {}}).json()
    assert first["status"] == second["status"] == "waiting"

    blank = gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": ""}, "payload": {}})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "correlation.case_id"
    r = gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": second["case_id"]},
                                       "payload": {"text": "ответ"}})
    assert r.status_code == 202 and r.json()["status"] == "pending"
    assert run_due(BEFORE_DUE) == (0, 1)

    assert doctor.get(f"/process-instances/{first['id']}").json()["status"] == "waiting"
    advanced = doctor.get(f"/process-instances/{second['id']}").json()
    assert advanced["status"] == "running" and advanced["data"]["reply"]["text"] == "ответ"
    types = [e["type"] for e in _events(doctor, second["id"])]
    assert "message_delivered" in types and "message_received" in types


def test_message_with_no_receiver_waits_and_is_delivered_when_one_appears(owner, make_user, run_due, app):
    deploy_fixture(owner, "waiter", forms=("fixture-ack.json",))
    doctor = make_user("doctor", "health", "staff")
    gateway = make_user("clinic-gateway", "health", "integration")    # a reply from outside: no lane throws it
    first = doctor.post("/process-instances", json={"process_id": "waiter", "data": {}}).json()
    # the instance's own catch consumes a first reply; a second reply for the case finds nobody yet
    gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": first["case_id"]}, "payload": {}})
    run_due(BEFORE_DUE)
    gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": first["case_id"]}, "payload": {"n": 2}})
    run_due(BEFORE_DUE)
    from app.extensions import db
    from app.messages.models import Message
    with app.app_context():
        statuses = [m.status for m in db.session.query(Message).order_by(Message.id)]
    assert statuses == ["delivered", "waiting"]
    again = doctor.post("/process-instances", json={"process_id": "waiter", "data": {"case_id": first["case_id"]}}).json()
    assert run_due(BEFORE_DUE) == (0, 1)
    assert doctor.get(f"/process-instances/{again['id']}").json()["data"]["reply"] == {"n": 2, "case_id": first["case_id"]}


def test_two_worker_processes_fire_each_timer_exactly_once(owner, make_user, database_url):
    deploy_fixture(owner, "reporter")
    staff = make_user("inspector", "police", "staff")
    ids = [staff.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}).json()["id"]
           for _ in range(12)]
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "x"}
    cmd = [sys.executable, "-m", "flask", "worker", "run-due", "--now", AFTER_DUE.isoformat()]
    workers = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), [o[1][-3000:] for o in outputs]
    fired = [int(out.split()[1]) for out, _ in outputs]
    assert sum(fired) == 12, outputs
    for instance_id in ids:
        types = [e["type"] for e in _events(staff, instance_id)]
        assert types.count("timer_fired") == 1 and types.count("overdue") == 1


def test_message_fate_is_visible_and_calendar_days_off_move_deadlines(owner, make_user, run_due, app):
    deploy_fixture(owner, "waiter", forms=("fixture-ack.json",))
    doctor = make_user("doctor", "health", "staff")
    gateway = make_user("clinic-gateway", "health", "integration")    # a reply from outside: no lane throws it
    outsider = make_user("teacher", "education_org", "staff")
    first = doctor.post("/process-instances", json={"process_id": "waiter", "data": {}}).json()
    gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": first["case_id"]}, "payload": {}})
    assert [m["status"] for m in doctor.get(f"/messages?case_id={first['case_id']}").json()["items"]] == ["pending"]
    run_due(BEFORE_DUE)
    fate = doctor.get(f"/messages?case_id={first['case_id']}").json()["items"]
    assert fate[0]["status"] == "delivered" and fate[0]["delivered_to"] == [first["id"]]
    assert outsider.get(f"/messages?case_id={first['case_id']}").status_code == 403

    from datetime import date
    from app.calendar_admin import set_day
    from app.extensions import db
    from app.instances.environment import working_calendar
    with app.app_context():
        calendar = working_calendar(db.session)
        assert calendar.add_working_days("2026-12-01T09:00:00+05:00", 1).date() == date(2026, 12, 3)
        set_day(db.session, day=date(2026, 12, 2), kind="day_off", note="decree", by="test")
        moved = working_calendar(db.session)
        assert moved.add_working_days("2026-12-01T09:00:00+05:00", 1).date() == date(2026, 12, 4)
