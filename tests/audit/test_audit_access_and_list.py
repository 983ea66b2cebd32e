"""Who opened what is visible to auditors only; auditors find instances by case, agency, status, overdue."""
from tests.audit.scenario import scenario  # noqa: F401  (fixtures)


def test_opening_a_task_or_an_instance_is_recorded_for_auditors(scenario, make_user):
    police, auditor = scenario.police, scenario.auditor
    assert police.get(f"/process-instances/{scenario.police_instance}").status_code == 200
    assert police.get(f"/process-instances/{scenario.police_instance}").status_code == 200   # same visit: one record
    by_case = auditor.get(f"/audit/access-log?case_id={scenario.case_id}").json()["items"]
    log = auditor.get("/audit/access-log?username=inspector").json()["items"]
    opened = [(r["kind"], r["object_id"]) for r in log]
    assert ("instance", scenario.police_instance) in opened
    assert opened.count(("instance", scenario.police_instance)) == 1
    assert all(r["case_id"] == scenario.case_id and r["agency"] == "police" for r in log)
    assert by_case == log

    # Auditors' own reading is recorded too.
    assert auditor.get(f"/process-instances/{scenario.kdnzp_instance}/replay?step=1").status_code == 200
    mine = auditor.get(f"/audit/access-log?username={auditor.username}").json()["items"]
    assert [(r["kind"], r["object_id"]) for r in mine] == [("replay", scenario.kdnzp_instance)]
    # Nobody else reads the log, and it carries no personal data, only ids.
    assert police.get("/audit/access-log").status_code == 403
    admin = make_user("root", None, "admin")
    assert admin.get("/audit/access-log").status_code == 403
    # ids, and the case's registration number (how people name a case), nothing of the child
    assert set(log[0]) == {"at", "username", "agency", "kind", "object_id", "case_id", "registration_number"}
    assert {r["registration_number"] for r in log} == {scenario.registration_number}


def test_a_task_opened_by_its_agency_is_recorded(owner, make_user):
    from tests.conftest import deploy_fixture
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    auditor = make_user("auditor", None, "auditor")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": "2026-12-01T09:00:00+05:00"}})
    task = police.get("/tasks").json()["items"][0]
    assert police.get(f"/tasks/{task['id']}").status_code == 200
    log = auditor.get("/audit/access-log").json()["items"]
    assert [(r["username"], r["kind"], r["object_id"]) for r in log] == [("inspector", "task", task["id"])]


def test_auditors_filter_instances(scenario):
    auditor = scenario.auditor
    def ids(query=""):
        r = auditor.get("/audit/instances" + query)
        assert r.status_code == 200, r.text
        return {row["id"] for row in r.json()["items"]}
    everything = {scenario.police_instance, scenario.kdnzp_instance, scenario.health_instance}
    assert ids() == everything
    assert ids(f"?registration_number={scenario.registration_number}") == everything
    assert ids("?registration_number=1999-") == set()
    assert ids(f"?case={scenario.case_id}&process_id=receiver") == {scenario.kdnzp_instance}
    assert ids("?agency=police") == {scenario.police_instance}
    assert ids("?overdue=true") == {scenario.police_instance}          # its P4.a deadline was missed
    assert ids("?overdue=false") == {scenario.kdnzp_instance, scenario.health_instance}
    assert ids("?status=completed") == everything
    assert ids("?since=2000-01-01&until=2000-01-02") == set()
    row = auditor.get("/audit/instances?agency=police").json()["items"][0]
    assert row["registration_number"] == scenario.registration_number and row["overdue"] is True
    assert auditor.get("/audit/instances?status=lost").status_code == 422
    assert auditor.get("/audit/instances?since=soon").json()["errors"][0]["field"] == "since"
    assert scenario.police.get("/audit/instances").status_code == 403
