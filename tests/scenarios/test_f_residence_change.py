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


def test_the_case_page_records_a_move_with_its_form_and_says_where_the_work_went(units, run_due, make_user, app,
                                                                                 server):
    """The same change over the case page (app/pages/residence.py): the form only for those who may, CSRF,
    mistakes named in the flash, the moves listed after."""
    import re

    from support import signed_in
    school, case_id = _registered_in(units, run_due, TALGAR)
    password = "correct horse battery staple 42"
    from app.extensions import db
    from app.users.models import User
    for name, agency, org in (("talgar.clerk", "police", "talgar.police"), ("karasay.clerk", "police", "karasay.police"),
                              ("police.national", "police", None)):
        make_user(name, agency, "staff", password=password)
        with app.app_context():
            db.session.query(User).filter_by(username=name).update({"organisation": org})
            db.session.commit()
            db.session.remove()
    make_user("reader", None, "auditor", password=password)
    page = f"{server}/cases/{case_id}"
    action = f'action="/cases/{case_id}/territory"'

    def form_shown(username):
        r = signed_in(server, username, password).get(page)
        return r.status_code, action in r.text

    assert form_shown("reader") == (200, False)               # auditors read; they do not move work
    assert form_shown("police.national") == (200, False)      # an agency-wide user has no unit to move it from
    assert form_shown("karasay.clerk")[0] == 403              # not in the case yet

    clerk = signed_in(server, "talgar.clerk", password)
    html = clerk.get(page).text
    assert action in html and f'<option value="{KARASAY}"' in html
    assert re.search(rf'<option value="{TALGAR}" disabled>', html)       # the current residence is not a choice
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    post = f"{server}/cases/{case_id}/territory"
    assert clerk.post(post, data={"territory": KARASAY, "reason": "x"}, allow_redirects=False).status_code == 400

    blank = clerk.post(post, data={"territory": KARASAY, "reason": " ", "csrf_token": token})
    assert blank.status_code == 200 and "Причина: укажите, почему меняется место жительства." in blank.text
    assert _open(units("karasay.police"), case_id) == []

    moved = clerk.post(post, data={"territory": KARASAY, "reason": "семья переехала", "csrf_token": token})
    assert moved.status_code == 200 and moved.url.startswith(page)
    assert "Место жительства изменено: Карасайский район" in moved.text
    assert re.search(r"Открытая работа передана: [^<]*→ [^<]*", moved.text)
    assert _open(units("karasay.police"), case_id) == ["ack_notice"]

    outsider = signed_in(server, "police.national", password)
    token = re.search(r'name="csrf_token" value="([^"]+)"', outsider.get(page).text).group(1)
    refused = outsider.post(post, data={"territory": TALGAR, "reason": "x", "csrf_token": token})
    assert refused.status_code == 403
