"""Opening a child's case or task on the staff pages is in the auditors' access log, as API reads are."""
from __future__ import annotations

from tests.pages.test_pages_http import PASSWORD, RECEIVED, _signed_in, deploy_fixture


def test_opening_a_case_page_and_a_task_page_is_recorded_for_auditors(owner, make_user, server):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    auditor = make_user("auditor", None, "auditor")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    case_id = started.json()["case_id"]
    task_id = police.get("/tasks").json()["items"][0]["id"]
    assert auditor.get("/audit/access-log").json()["items"] == []

    s = _signed_in(server, "inspector")
    assert s.get(f"{server}/cases/{case_id}").status_code == 200
    assert s.get(f"{server}/cases/{case_id}").status_code == 200        # a reload is the same visit
    assert s.get(f"{server}/tasks/{task_id}").status_code == 200

    log = auditor.get(f"/audit/access-log?case_id={case_id}").json()["items"]
    assert sorted((r["username"], r["agency"], r["kind"], r["object_id"]) for r in log) == [
        ("inspector", "police", "case", case_id), ("inspector", "police", "task", task_id)]
    # Someone who may not open the case leaves no record of having seen it.
    make_user("doctor", "health", "staff", password=PASSWORD)
    assert _signed_in(server, "doctor").get(f"{server}/cases/{case_id}").status_code == 403
    assert auditor.get("/audit/access-log?username=doctor").json()["items"] == []
