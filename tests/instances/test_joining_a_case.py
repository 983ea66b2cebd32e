"""Starting a process in an existing case joins that case (its notices reach the new instance), so only
an agency that already takes part in the case, or an administrator, may do it."""
from support import deploy_fixture


def test_staff_of_an_agency_outside_the_case_cannot_join_it(owner, make_user):
    deploy_fixture(owner, "reporter")
    deploy_fixture(owner, "waiter", forms=("fixture-ack.json",))
    police = make_user("inspector", "police", "staff")
    doctor = make_user("doctor", "health", "staff")
    admin = make_user("coordinator", None, "admin")
    case = police.post("/process-instances", json={"process_id": "reporter", "data": {}}).json()["case_id"]

    refused = doctor.post("/process-instances", json={"process_id": "waiter", "data": {"case_id": case}})
    assert refused.status_code == 403 and refused.headers["Content-Type"].startswith("application/problem+json")
    assert "no part" in refused.json()["detail"]
    assert doctor.get("/tasks").json()["items"] == []                    # nothing was half-started

    # their own new case is theirs; an administrator can bring the hospital into the police case
    own = doctor.post("/process-instances", json={"process_id": "waiter", "data": {}}).json()
    assert own["case_id"] != case
    joined = admin.post("/process-instances", json={"process_id": "waiter", "data": {"case_id": case}})
    assert joined.status_code == 201 and joined.json()["case_id"] == case
    # now health takes part, so its staff may start its process in the case themselves
    again = doctor.post("/process-instances", json={"process_id": "waiter", "data": {"case_id": case}})
    assert again.status_code == 201 and again.json()["case_id"] == case
