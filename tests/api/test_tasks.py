"""Starting an instance and completing its lane-restricted user task over HTTP."""
import threading

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"


def _start(api, data=None):
    r = api.post("/process-instances", json={"process_id": "reporter", "data": data or {"received_at": RECEIVED}})
    assert r.status_code == 201, r.text
    return r.json()


def test_staff_of_the_lane_start_and_complete_with_form_validation(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    started = _start(police)
    assert started["status"] == "running" and started["version"] == 1
    assert started["registration_number"].endswith("000001")

    tasks = police.get("/tasks").json()["items"]
    assert [(t["bpmn_id"], t["agency"], t["form"]) for t in tasks] == [("report", "police", "fixture-report.json")]
    task = police.get(f"/tasks/{tasks[0]['id']}").json()
    assert task["due_at"].startswith("2026-12-01T05:00:00")     # add_hours(received_at, 1), in UTC
    assert task["data"]["case_id"] == started["case_id"]

    bad = police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "no"}})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "summary"
    ok = police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "синяки на руках"}})
    assert ok.status_code == 200, ok.text
    assert ok.json()["instance"]["status"] == "completed"
    again = police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "синяки на руках"}})
    assert again.status_code == 409

    instance = police.get(f"/process-instances/{started['id']}").json()
    assert instance["data"]["summary"] == "синяки на руках" and instance["tasks"] == []


def test_other_agencies_cannot_start_see_or_complete(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    school = make_user("teacher", "education_org", "staff")
    auditor = make_user("aud", None, "auditor")
    assert school.post("/process-instances", json={"process_id": "reporter", "data": {}}).status_code == 403
    started = _start(police)
    task_id = police.get("/tasks").json()["items"][0]["id"]
    assert school.get("/tasks").json()["items"] == []
    assert school.get(f"/tasks/{task_id}").status_code == 403
    assert school.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "abc"}}).status_code == 403
    assert school.get(f"/process-instances/{started['id']}").status_code == 403
    # auditors read everything and write nothing
    assert auditor.get(f"/tasks/{task_id}").status_code == 200
    assert auditor.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "abc"}}).status_code == 403
    assert auditor.post("/process-instances", json={"process_id": "reporter", "data": {}}).status_code == 403


def test_bad_requests_get_problem_bodies(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    r = police.post("/process-instances", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("application/problem+json")
    assert police.post("/process-instances", json={"process_id": "nope"}).status_code == 404
    assert police.post("/process-instances", json={"data": {}}).json()["errors"][0]["field"] == "process_id"
    assert police.get("/tasks?overdue=maybe").status_code == 422
    assert police.get("/tasks/00000000-0000-0000-0000-000000000000").status_code == 404
    anonymous = police.http.get(police.base + "/tasks", headers={"Authorization": "Bearer wrong"})
    assert anonymous.status_code == 401


def test_concurrent_completion_one_wins_one_gets_409(owner, make_user):
    deploy_fixture(owner, "reporter")
    a = make_user("inspector.a", "police", "staff")
    b = make_user("inspector.b", "police", "staff")
    _start(a)
    task_id = a.get("/tasks").json()["items"][0]["id"]
    barrier, codes = threading.Barrier(2), []

    def complete(api):
        barrier.wait()
        codes.append(api.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "одновременно"}}).status_code)

    threads = [threading.Thread(target=complete, args=(api,)) for api in (a, b)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(codes) == [200, 409]
    events = a.get(f"/process-instances/{_instance_id(a, task_id)}/events")
    assert [e["type"] for e in events.json()["items"]].count("task_completed") == 1


def _instance_id(api, task_id):
    return api.get(f"/tasks/{task_id}").json()["instance_id"]


def test_claim_unclaim_and_hand_over_are_events(owner, make_user):
    deploy_fixture(owner, "reporter")
    a = make_user("inspector.a", "police", "staff")
    b = make_user("inspector.b", "police", "staff")
    started = _start(a)
    task_id = a.get("/tasks").json()["items"][0]["id"]
    assert a.post(f"/tasks/{task_id}/claim").json()["claimed_by"] == "inspector.a"
    assert b.post(f"/tasks/{task_id}/claim").status_code == 409
    assert b.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "чужая"}}).status_code == 409
    assert a.post(f"/tasks/{task_id}/assign", json={"to": "inspector.b"}).json()["claimed_by"] == "inspector.b"
    assert b.get("/tasks?mine=true").json()["items"][0]["id"] == task_id
    assert b.post(f"/tasks/{task_id}/unclaim").json()["claimed_by"] is None
    types = [e["type"] for e in a.get(f"/process-instances/{started['id']}/events").json()["items"]]
    assert types[-3:] == ["task_claimed", "task_assigned", "task_unclaimed"]


def test_script_error_puts_instance_in_error_with_incident_and_data_intact(owner, make_user):
    deploy_fixture(owner, "scripted", forms=("fixture-report.json",))
    police = make_user("inspector", "police", "staff")
    started = police.post("/process-instances", json={"process_id": "scripted", "data": {"x": 1}}).json()
    task_id = police.get("/tasks").json()["items"][0]["id"]
    r = police.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "abc"}})   # len 3 → 10 / 0
    assert r.status_code == 200 and r.json()["instance"]["status"] == "error"
    instance = police.get(f"/process-instances/{started['id']}").json()
    assert instance["status"] == "error" and "division by zero" in instance["error"]
    assert instance["data"]["summary"] == "abc" and instance["data"]["x"] == 1
    events = police.get(f"/process-instances/{started['id']}/events").json()["items"]
    assert events[-1]["type"] == "incident" and "calc" in events[-1]["data"]["error"]


def test_infinite_loop_in_a_script_is_stopped(owner, make_user):
    deploy_fixture(owner, "scripted", forms=("fixture-report.json",))
    police = make_user("inspector", "police", "staff")
    started = police.post("/process-instances", json={"process_id": "scripted", "data": {}}).json()
    task_id = police.get("/tasks").json()["items"][0]["id"]
    r = police.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "loop"}})
    assert r.status_code == 200 and r.json()["instance"]["status"] == "error"
    instance = police.get(f"/process-instances/{started['id']}").json()
    assert "ran longer than" in instance["error"]


def test_values_the_database_cannot_store_are_refused_not_crashed(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    r = police.post("/process-instances", json={"process_id": "reporter\u0000x", "data": {}})
    assert r.status_code in (400, 404), r.text          # SQLite finds no such process; PostgreSQL refuses the NUL
    assert r.headers["Content-Type"].startswith("application/problem+json")
