"""(f) Organisations and territories: a school in one district registers a report about a child who lives
in another; that district's police, guardianship and КДНЗП get the notices, the school's own district's
do not, and every unit outside the case is refused its data (issue 11)."""
import pytest

from sample import data_for

RECEIVED = "2026-12-01T10:00:00+05:00"
TALGAR, KARASAY = "196200000", "195200000"


@pytest.fixture
def units(app, make_user, guide):
    """The demo's two districts of Almaty oblast, and a member of any of their units on request."""
    from app.demo import demo_organisations
    from app.extensions import db
    from app.organisations.service import create
    from app.users.models import User
    orgs = {o["code"]: o for o in demo_organisations()}
    with app.app_context():
        for o in orgs.values():
            create(db.session, **o)
        db.session.remove()

    made = {}

    def member(code, role="staff"):
        if (code, role) in made:
            return made[code, role]
        api = made[code, role] = make_user(f"{code}.{role}", orgs[code]["agency"], role)
        with app.app_context():
            db.session.query(User).filter_by(username=api.username).update({"organisation": code})
            db.session.commit()
            db.session.remove()
        return api
    return member


def _work(api, case_id, bpmn_id, **answers):
    task = next(t for t in api.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == bpmn_id)
    r = api.post(f"/tasks/{task['id']}/complete", json={"data": data_for(task["form"], **answers)},
                 headers={"X-Test-Now": RECEIVED})
    assert r.status_code == 200, r.text


def _open(api, case_id):
    return sorted(t["bpmn_id"] for t in api.get("/tasks", params={"case": case_id}).json()["items"])


def test_notices_go_to_the_units_of_the_childs_district_and_nobody_else_sees_the_case(units, run_due):
    from support import at
    school = units("talgar.school")
    started = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                      "data": {"received_at": RECEIVED}},
                          headers={"X-Test-Now": RECEIVED}).json()
    case_id = started["case_id"]
    _work(school, case_id, "register_education_org", received_at=RECEIVED, detected_by="education",
          channel="oral_or_remote", offence_signs=False, territory=KARASAY, case_summary="Синяки на руках")
    run_due(at("2026-12-01T10:05:00+05:00"))

    # the school that registered keeps its own lane; the child's district gets the notices
    assert _open(school, case_id) == ["ack_notice", "primary_info_education_org"]     # its chapter 2 too (P8.1)
    for unit in ("karasay.police", "karasay.kdnzp", "karasay.guardianship"):
        assert _open(units(unit), case_id) == ["ack_notice"], unit
    for unit in ("talgar.police", "talgar.kdnzp", "talgar.guardianship", "karasay.school"):
        assert _open(units(unit), case_id) == [], unit

    case = school.get(f"/cases/{case_id}").json()
    assert case["territory"] == {"code": KARASAY, "name": "Карасайский район, Алматинская область"}
    assert {"talgar.school", "karasay.police", "karasay.guardianship"} <= {o["code"] for o in case["organisations"]}

    # a unit not in the case: refused everywhere, and cannot join or write into it
    outsider = units("talgar.police")
    instance = started["id"]
    for path in (f"/cases/{case_id}", f"/process-instances/{instance}", f"/process-instances/{instance}/events",
                 f"/process-instances/{instance}/replay", f"/messages?case_id={case_id}"):
        assert outsider.get(path).status_code == 403, path
    task = school.get("/tasks", params={"case": case_id}).json()["items"][0]
    assert outsider.put(f"/tasks/{task['id']}/draft", json={"data": {}}).status_code == 403
    assert outsider.post("/process-instances", json={"process_id": "ch1_identification",
                                                     "data": {"case_id": case_id}}).status_code == 403
    assert outsider.post("/messages", json={"name": "reply", "correlation": {"case_id": case_id},
                                            "payload": {}}).status_code == 403


def test_a_forged_message_cannot_move_deadlines_and_names_its_sender(units, run_due, app):
    from support import at
    school = units("talgar.school")
    case_id = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                      "data": {"received_at": RECEIVED, "territory": TALGAR}},
                          headers={"X-Test-Now": RECEIVED}).json()["case_id"]
    moved = school.post("/messages", json={"name": "police_notified", "correlation": {"case_id": case_id},
                                           "payload": {"received_at": "2031-01-01T00:00:00+05:00", "text": "ответ"}})
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "payload.received_at"
    spoofed = school.post("/messages", json={"name": "police_notified", "correlation": {"case_id": case_id},
                                             "sender": "talgar.police.supervisor", "payload": {"text": "ответ"}})
    assert spoofed.status_code == 422 and spoofed.json()["errors"][0]["field"] == "sender"
    # a school may not send what only the police's lane throws (a petition to the guardianship office)
    petition = school.post("/messages", json={"name": "parental_rights_petition",
                                              "correlation": {"case_id": case_id}, "payload": {}})
    assert petition.status_code == 403 and petition.json()["errors"][0]["field"] == "name"
    # what the school's own lane throws, it may send: named as the school, counted from its acceptance
    forged = school.post("/messages", json={"name": "police_notified", "correlation": {"case_id": case_id},
                                            "payload": {"text": "ответ"}})
    assert forged.status_code == 202
    run_due(at("2026-12-01T10:05:00+05:00"))
    police = units("talgar.police")
    (ack,) = [t for t in police.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == "ack_notice"]
    assert ack["due_at"] < "2026-12-02"          # counted from the message's acceptance, not from 2031

    from app.extensions import db
    from app.messages.models import Message
    with app.app_context():
        started = db.session.get(Message, forged.json()["id"]).delivered_to[0]
        db.session.remove()
    assert police.get(f"/process-instances/{started}").json()["data"]["received_at"].startswith("2026-12-01")
    first = police.get(f"/process-instances/{started}/events").json()["items"][0]
    assert first["type"] == "message_delivered" and first["actor"] == "talgar.school.staff"
    assert first["data"]["sender_organisation"] == "talgar.school"


def test_an_unknown_territory_is_refused_naming_the_field(units):
    school = units("talgar.school")
    r = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                "data": {"received_at": RECEIVED, "territory": "999999999"}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data.territory"


def test_a_supervisor_transfers_the_units_open_work_with_a_reason_and_an_event(units, run_due, make_user):
    from support import at
    school = units("talgar.school")
    case_id = school.post("/process-instances", json={"process_id": "ch1_identification", "data": {
        "received_at": RECEIVED, "territory": KARASAY}}, headers={"X-Test-Now": RECEIVED}).json()["case_id"]
    _work(school, case_id, "register_education_org", received_at=RECEIVED, detected_by="education",
          channel="oral_or_remote", offence_signs=False, case_summary="Синяки на руках")
    run_due(at("2026-12-01T10:05:00+05:00"))
    chief, talgar = units("karasay.police", "supervisor"), units("talgar.police")
    assert _open(talgar, case_id) == []
    no_reason = chief.post(f"/cases/{case_id}/transfer", json={"to": "talgar.police"})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    assert talgar.post(f"/cases/{case_id}/transfer", json={"to": "talgar.police", "reason": "x"}).status_code == 403

    moved = chief.post(f"/cases/{case_id}/transfer", json={"to": "talgar.police",
                                                           "reason": "семья переехала в Талгар"})
    assert moved.status_code == 200 and len(moved.json()["moved"]) == 1
    assert _open(talgar, case_id) == ["ack_notice"] and _open(units("karasay.police"), case_id) == []
    task = talgar.get("/tasks", params={"case": case_id}).json()["items"][0]
    log = talgar.get(f"/process-instances/{task['instance_id']}/events").json()["items"]
    assert log[-1]["type"] == "case_transferred" and log[-1]["actor"] == "karasay.police.supervisor"
    assert log[-1]["data"] == {"from": "karasay.police", "to": "talgar.police", "reason": "семья переехала в Талгар"}
    auditor = make_user("reader", None, "auditor")          # the move is a note: re-execution still agrees
    assert auditor.get(f"/process-instances/{task['instance_id']}/verification").json()["ok"]
