"""Replay over HTTP: an auditor steps through a multi-agency case event by event."""
from tests.audit.scenario import scenario  # noqa: F401  (fixtures)


def _replay(api, instance_id, step=None):
    return api.get(f"/process-instances/{instance_id}/replay" + (f"?step={step}" if step else ""))


def test_an_auditor_steps_through_the_police_instance(scenario):
    auditor, i = scenario.auditor, scenario.police_instance
    log = auditor.get(f"/process-instances/{i}/events").json()["items"]
    first = _replay(auditor, i, 1)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["steps"] == len(log) and body["step"] == 1 and body["event"]["type"] == "instance_started"
    assert body["version"]["version"] == 1 and body["verified_to_here"] is True
    assert body["instance"]["registration_number"] == scenario.registration_number
    assert body["data"]["received_at"] == "2026-12-01T09:00:00+05:00"
    assert set(body["changes"]["added"]) == {"received_at", "case_id", "registration_number", "reporting_agency"}
    ready = _replay(auditor, i, 3).json()
    assert ready["event"]["type"] == "task_ready" and ready["event"]["bpmn_id"] == "report"
    assert ready["active"] == ["report"] and ready["armed"] == ["deadline"] and ready["completed"] == ["start"]
    assert ready["flows"] == ["f1"] and ready["changes"]["added"] == {}

    # Step by step, each answer is the state after that event.
    seen = [_replay(auditor, i, n).json() for n in range(1, len(log) + 1)]
    assert [s["event"]["type"] for s in seen] == [e["type"] for e in log]
    n = next(k for k, s in enumerate(seen) if s["event"]["type"] == "overdue")
    overdue, escalated = seen[n], seen[n + 1]
    assert overdue["event"]["actor"] == "system" and overdue["active"] == ["report"]
    assert "deadline" in overdue["completed"] and overdue["event"]["data"] == {"timer": "deadline"}
    assert escalated["event"]["bpmn_id"] == "escalate" and escalated["active"] == ["escalate", "report"]
    assert "f2" in escalated["flows"]
    claimed = next(s for s in seen if s["event"]["type"] == "task_claimed")
    assert claimed["event"]["actor"] == "chief" and claimed["changes"] == {"added": {}, "removed": [], "changed": {}}
    done = next(s for s in seen if s["event"]["type"] == "task_completed" and s["event"]["bpmn_id"] == "report")
    assert done["event"]["actor"] == "inspector"
    assert done["changes"]["added"]["summary"] == "синяки на руках"      # the change from the step before
    # what the person submitted, and the service's fact of who the case's messages reached (issue 12)
    assert done["event"]["data"] == {"summary": "синяки на руках", "offence": True, "case_notified_agencies": []}
    last = seen[-1]
    assert last["event"]["type"] == "instance_completed" and last["active"] == []
    assert {"report", "notify", "escalate"} <= set(last["completed"])

    diagram = auditor.get(body["diagram_url"].removeprefix("/api/v1"))
    assert diagram.status_code == 200 and diagram.headers["Content-Type"].startswith("application/xml")
    assert 'id="report"' in diagram.text


def test_the_message_started_and_message_advanced_instances_replay_too(scenario):
    auditor = scenario.auditor
    started = _replay(auditor, scenario.kdnzp_instance, 1).json()
    assert started["event"]["type"] == "message_delivered" and started["event"]["data"]["name"] == "case_notified"
    assert started["data"]["msg"]["summary_len"] == len("синяки на руках")
    assert started["event"]["data"]["payload"]["summary_len"] == len("синяки на руках")
    ready = next(s for s in (_replay(auditor, scenario.kdnzp_instance, n).json() for n in range(2, 8))
                 if s["event"]["type"] == "task_ready")
    assert ready["active"] == ["ack"] and ready["completed"] == ["rstart"]
    waiting = _replay(auditor, scenario.health_instance, 3).json()
    assert waiting["active"] == ["wait_reply"]              # the token waits at the message catch
    later = [_replay(auditor, scenario.health_instance, n).json() for n in range(3, 9)]
    delivered = next(s for s in later if s["event"]["type"] == "message_delivered")
    # The data at an event is the data after its engine step; the change shows at the step's first event.
    assert delivered["changes"]["added"]["reply"]["text"] == "осмотр проведён"
    assert [e["type"] for e in delivered["step_events"]][:2] == ["message_delivered", "message_received"]
    after = next(s for s in later if s["event"]["type"] == "task_ready")
    assert after["active"] == ["after"] and "wait_reply" in after["completed"]


def test_replay_refuses_bad_steps_and_non_auditors(scenario):
    auditor, i = scenario.auditor, scenario.police_instance
    assert _replay(auditor, i).json()["event"]["type"] == "instance_completed"      # default: the last step
    for bad in ("0", "9999", "x"):
        r = auditor.get(f"/process-instances/{i}/replay?step={bad}")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "step"
    assert auditor.get("/process-instances/nope/replay").status_code == 404
    assert _replay(scenario.police, i, 1).status_code == 403          # staff do not replay
