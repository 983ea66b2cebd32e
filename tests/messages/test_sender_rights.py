"""Who may post which message (issue 11 §5): the attacks found from outside, each refused by name.

The intake (police lane) throws `notify` and waits for `reply`; the answer (КДНЗП lane) is started by
`notify` and throws `reply`; the waiter (health lane) also waits for `reply`. So a police officer may send
`notify` in an intake's case and nothing the commission sends; integrations send by their explicit role.
"""
import pytest

from support import at, deploy_fixture

NOW = at("2026-12-01T09:30:00+05:00")


@pytest.fixture
def intake_case(owner, make_user):
    assert deploy_fixture(owner, "intake", forms=("fixture-intake.json", "fixture-ack.json")).status_code == 201
    assert deploy_fixture(owner, "answer", forms=("fixture-ack.json",)).status_code == 201
    police = make_user("inspector", "police", "staff")
    started = police.post("/process-instances", json={"process_id": "intake", "data": {}}).json()
    return police, started["case_id"]


def _post(api, case_id, name, payload=None, **extra):
    return api.post("/messages", json={"name": name, "correlation": {"case_id": case_id},
                                       "payload": payload or {}, **extra})


def _fields(response):
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.text
    return [e["field"] for e in response.json()["errors"]]


def test_staff_send_what_a_lane_of_their_agency_throws_and_nothing_else(intake_case):
    police, case_id = intake_case
    assert _post(police, case_id, "notify", {"report_no": "R-1"}).status_code == 202
    forged = _post(police, case_id, "reply", {"report_no": "R-1", "note": "меры приняты"})
    assert forged.status_code == 403 and _fields(forged) == ["name"]
    assert "reply" in forged.json()["detail"]


def test_a_payload_cannot_carry_deadlines_receipt_times_or_who_notified(intake_case):
    police, case_id = intake_case
    r = _post(police, case_id, "notify", {"received_at": "2031-01-01T00:00:00+05:00", "due_at": "2031-01-02",
                                           "deadline_days": 400, "notified_by": "prosecutor",
                                           "sender_organisation": "prosecutor.almaty", "report_no": "R-1"})
    assert r.status_code == 422
    assert sorted(_fields(r)) == ["payload.deadline_days", "payload.due_at", "payload.notified_by",
                                  "payload.received_at", "payload.sender_organisation"]


def test_the_sender_is_the_caller_never_a_field_of_the_body(intake_case, make_user, run_due):
    police, case_id = intake_case
    spoofed = _post(police, case_id, "notify", {"report_no": "R-1"}, sender="police.supervisor")
    assert spoofed.status_code == 422 and _fields(spoofed) == ["sender"]
    assert _post(police, case_id, "notify", {"report_no": "R-1"}).status_code == 202
    assert run_due(NOW) == (0, 1)
    kdnzp = make_user("commission", "kdnzp", "staff")
    (task,) = kdnzp.get("/tasks").json()["items"]
    delivered = kdnzp.get(f"/process-instances/{task['instance_id']}/events").json()["items"][0]
    # the receiver's hash-chained log names the person, not "system"
    assert delivered["type"] == "message_delivered" and delivered["actor"] == "inspector"
    assert delivered["data"]["sender"] == "inspector"
    (shown,) = kdnzp.get("/messages", params={"case_id": case_id}).json()["items"]
    assert shown["sender"] == "inspector"


@pytest.mark.parametrize("role", ["process_owner", "auditor", "admin"])
def test_roles_that_are_no_party_to_a_case_send_nothing(intake_case, make_user, role):
    _, case_id = intake_case
    r = _post(make_user(f"a_{role}", None, role), case_id, "notify", {"report_no": "R-1"})
    assert r.status_code == 403 and _fields(r) == ["name"]


def test_an_agency_outside_the_case_is_refused_naming_the_case(intake_case, make_user):
    _, case_id = intake_case
    school = make_user("teacher", "education_org", "staff")
    r = _post(school, case_id, "notify", {"report_no": "R-1"})
    assert r.status_code == 403 and _fields(r) == ["correlation.case_id"]


def test_an_integration_sends_by_its_explicit_role_into_its_agencys_cases_only(intake_case, make_user, run_due):
    police, case_id = intake_case
    register = make_user("police-register", "police", "integration")
    # the police register answers for the commission's reply no police lane throws: its role is the right
    r = _post(register, case_id, "reply", {"report_no": "R-9"})
    assert r.status_code == 202 and r.json()["sender"] == "police-register"
    hotline = make_user("school-hotline", "education_org", "integration")
    assert _fields(_post(hotline, case_id, "reply", {"report_no": "R-9"})) == ["correlation.case_id"]
    # an integration is held to the same payload rule as a person
    assert _post(register, case_id, "reply", {"received_at": "2031-01-01"}).status_code == 422
    # and reads the fate of what it sent, but nothing else of the service
    assert register.get("/messages", params={"case_id": case_id}).status_code == 200
    assert register.get(f"/cases/{case_id}").status_code == 403
    assert register.post("/process-instances", json={"process_id": "intake", "data": {}}).status_code == 403
