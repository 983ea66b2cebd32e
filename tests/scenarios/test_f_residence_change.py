"""(f) The child moves from one district to another: the case's open work goes to the units that serve the new
residence, each move a ``case_transferred`` event; the units that held it keep reading the case (issue 11)."""
from test_f_routing_by_residence import RECEIVED, _open, _work, units  # noqa: F401  (the fixture)

TALGAR, KARASAY = "196200000", "195200000"


def _registered_in(units, run_due, territory):
    from support import at
    school = units("talgar.school")
    case_id = school.post("/process-instances", json={"process_id": "ch1_identification", "data": {
        "received_at": RECEIVED, "territory": territory}}, headers={"X-Test-Now": RECEIVED}).json()["case_id"]
    _work(school, case_id, "register_education_org", received_at=RECEIVED, detected_by="education",
          channel="oral_or_remote", offence_signs=False, case_summary="Синяки на руках")
    run_due(at("2026-12-01T10:05:00+05:00"))
    return school, case_id


def test_a_change_of_residence_moves_open_work_to_the_new_districts_units(units, run_due, make_user):
    school, case_id = _registered_in(units, run_due, TALGAR)
    talgar, karasay = units("talgar.police"), units("karasay.police")
    assert _open(talgar, case_id) == ["ack_notice"] and _open(karasay, case_id) == []

    bad = talgar.put(f"/cases/{case_id}/territory", json={"territory": "999999999"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"territory", "reason"}
    assert karasay.put(f"/cases/{case_id}/territory",               # not in the case: may not move it
                       json={"territory": KARASAY, "reason": "x"}).status_code == 403

    r = talgar.put(f"/cases/{case_id}/territory", json={"territory": KARASAY, "reason": "семья переехала"})
    assert r.status_code == 200, r.text
    assert {m["organisation"] for m in r.json()["moved"]} >= {"karasay.police", "karasay.guardianship"}

    # the new district's units have the work; the old district's have none, but keep reading the case
    assert _open(karasay, case_id) == ["ack_notice"] and _open(units("karasay.guardianship"), case_id) == ["ack_notice"]
    assert _open(talgar, case_id) == [] and _open(units("talgar.guardianship"), case_id) == []
    assert _open(school, case_id) == ["ack_notice", "primary_info_education_org"]     # its own lane stays
    case = talgar.get(f"/cases/{case_id}").json()
    assert case["territory"]["code"] == KARASAY
    assert {d["organisation"] for d in case["open_duties"]} >= {"karasay.police", "karasay.guardianship"}
    assert "talgar.police" not in {d["organisation"] for d in case["open_duties"]}

    task = karasay.get("/tasks", params={"case": case_id}).json()["items"][0]
    log = karasay.get(f"/process-instances/{task['instance_id']}/events").json()["items"]
    moves = [e for e in log if e["type"] == "case_transferred" and e["data"]["to"] == "karasay.police"]
    assert moves and moves[0]["actor"] == "talgar.police.staff"
    assert moves[0]["data"] == {"from": "talgar.police", "to": "karasay.police", "reason": "семья переехала",
                                "territory": {"from": TALGAR, "to": KARASAY}}
    assert any(e["type"] == "residence_changed" for e in log)
    auditor = make_user("reader", None, "auditor")
    assert auditor.get(f"/process-instances/{task['instance_id']}/verification").json()["ok"]

    again = karasay.put(f"/cases/{case_id}/territory", json={"territory": KARASAY, "reason": "x"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "territory"


def test_a_diagrams_notice_names_the_instance_and_unit_it_came_from(units, run_due):
    school, case_id = _registered_in(units, run_due, TALGAR)
    police = units("talgar.police")
    task = police.get("/tasks", params={"case": case_id}).json()["items"][0]
    delivered = [e for e in police.get(f"/process-instances/{task['instance_id']}/events").json()["items"]
                 if e["type"] == "message_delivered"]
    assert delivered, "the police process was started by the school's notice"
    sender = delivered[0]["data"]
    registered = next(i["id"] for i in police.get(f"/cases/{case_id}").json()["instances"]
                      if i["process_id"] == "ch1_identification")
    assert sender["source_instance_id"] == registered and sender["source_organisation"] == "talgar.school"
    shown = police.get("/messages", params={"case_id": case_id}).json()["items"]
    assert {(m["source_instance_id"], m["sender_organisation"]) for m in shown} == {(registered, "talgar.school")}
