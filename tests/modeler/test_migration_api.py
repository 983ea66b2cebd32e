"""Moving running cases to a newer version: done when every reached task still exists, refused otherwise."""
from support import deploy_fixture

from modeler_helpers import renamed_and_later, start, upload, without_report_task


def _setup(owner, make_user, v2_xml):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    case = start(police)
    assert upload(owner, v2_xml).status_code == 201
    return police, case


def test_safe_migration_moves_the_case_keeps_its_task_and_logs_it(app, owner, make_user):
    police, case = _setup(owner, make_user, renamed_and_later())
    (task,) = police.get("/tasks").json()["items"]
    assert task["due_at"].startswith("2026-12-01T05:00:00")
    assert police.post(f"/tasks/{task['id']}/claim").status_code == 200

    check = owner.get(f"/process-instances/{case['id']}/migration")
    assert check.json() == {"id": case["id"], "from_version": 1, "to_version": 2, "safe": True, "errors": []}
    moved = owner.post(f"/process-instances/{case['id']}/migrate", json={"to_version": 2})
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"id": case["id"], "status": "running", "from_version": 1, "to_version": 2}

    instance = owner.get(f"/process-instances/{case['id']}").json()
    assert instance["version"] == 2
    (same,) = instance["tasks"]
    assert same["id"] == task["id"] and same["claimed_by"] == "inspector"          # the inbox row survives
    assert same["name"] == "Описать случай подробно"
    assert same["due_at"].startswith("2026-12-01T06:00:00")                      # the new deadline applies
    log = owner.get(f"/process-instances/{case['id']}/events").json()["items"]
    assert log[-1]["type"] == "instance_migrated" and log[-1]["actor"] == "owner"
    assert log[-1]["data"]["from_version"] == 1 and log[-1]["data"]["to_version"] == 2
    assert _chain_fault(app, case["id"]) is None

    done = police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "синяки на руках"}})
    assert done.status_code == 200, done.text
    assert done.json()["instance"]["status"] == "completed"


def test_migration_is_refused_with_the_element_when_a_reached_task_is_gone(owner, make_user):
    police, case = _setup(owner, make_user, without_report_task())
    check = owner.get(f"/process-instances/{case['id']}/migration").json()
    assert check["safe"] is False
    assert [e["element_id"] for e in check["errors"]] == ["report"]
    refused = owner.post(f"/process-instances/{case['id']}/migrate", json={})
    assert refused.status_code == 409
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    (error,) = refused.json()["errors"]
    assert error["element_id"] == "report" and "no element with that id" in error["message"]
    instance = owner.get(f"/process-instances/{case['id']}").json()
    assert instance["version"] == 1
    types = [e["type"] for e in owner.get(f"/process-instances/{case['id']}/events").json()["items"]]
    assert "instance_migrated" not in types


def test_migration_refuses_a_changed_element_type(owner, make_user):
    xml = renamed_and_later().replace('<bpmn:userTask id="report"', '<bpmn:manualTask id="report"') \
        .replace('</bpmn:userTask>\n    <bpmn:boundaryEvent', '</bpmn:manualTask>\n    <bpmn:boundaryEvent')
    police, case = _setup(owner, make_user, xml)
    (error,) = owner.post(f"/process-instances/{case['id']}/migrate").json()["errors"]
    assert error["element_id"] == "report" and "ManualTask, not a UserTask" in error["message"]


def test_migration_rules_who_and_where(owner, make_user):
    police, case = _setup(owner, make_user, renamed_and_later())
    assert police.post(f"/process-instances/{case['id']}/migrate").status_code == 403
    assert owner.post(f"/process-instances/{case['id']}/migrate", json={"to_version": 1}).status_code == 409
    assert owner.post(f"/process-instances/{case['id']}/migrate", json={"to_version": 7}).status_code == 404
    assert owner.post(f"/process-instances/{case['id']}/migrate", json={"to_version": "x"}).status_code == 422
    assert owner.post("/process-instances/nope/migrate").status_code == 404
    assert owner.post(f"/process-instances/{case['id']}/migrate").status_code == 200
    again = owner.post(f"/process-instances/{case['id']}/migrate")
    assert again.status_code == 409 and "newer version" in again.json()["detail"]


def test_completed_cases_do_not_move(owner, make_user):
    police, case = _setup(owner, make_user, renamed_and_later())
    (task,) = police.get("/tasks").json()["items"]
    police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "синяки на руках"}})
    r = owner.post(f"/process-instances/{case['id']}/migrate")
    assert r.status_code == 409 and "completed" in r.json()["detail"]


def _chain_fault(app, instance_id):
    from app.events.service import events_of, verify_chain
    from app.extensions import db
    from app.instances.models import ProcessInstance
    with app.app_context():
        instance = db.session.get(ProcessInstance, instance_id)
        fault = verify_chain(events_of(db.session, instance_id), last_seq=instance.last_seq,
                             last_hash=instance.last_hash)
        db.session.remove()
        return fault
