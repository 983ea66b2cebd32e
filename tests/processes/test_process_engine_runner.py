"""The diagrams through the service's own engine adapter (app.engine.Runner): compiled and stored as the
registry stores them, serialized between every step, scripts and expressions in the sandbox."""
from __future__ import annotations

import pytest

import process_harness as h

engine = pytest.importorskip("app.engine")
calendar = pytest.importorskip("app.calendar")


def runner_for(file):
    compiled = engine.compile_process((h.PROCESSES / file).read_bytes())
    spec, subs = engine.spec_from_json(compiled.spec_json)
    return engine.Runner(spec, subs, lambda: calendar.timer_functions(calendar.default_calendar(), 1.0,
                                                                       now=engine.clock.now))


def complete(runner, result, bpmn_id, **overrides):
    task = next(t for t in result.ready_tasks if t.bpmn_id == bpmn_id)
    form = task.properties["formJsonSchemaFilename"]
    data = {**h.sample(form), **overrides}
    assert not h.check_form(form, data)
    data.setdefault("case_notified_agencies", [])        # as the service adds it to every completed task
    after = runner.complete(result.state, task.task_id, data)
    assert after.error is None, after.error
    return after


def test_chapter_1_runs_in_the_engine_with_its_deadlines():
    runner = runner_for("ch1-identification.bpmn")
    r = runner.start({"case_id": "case-9", "registration_number": "2024-000009", "reporting_agency": "health",
                      "received_at": h.fresh()})
    assert r.error is None and [t.bpmn_id for t in r.ready_tasks] == ["register_health"]
    assert r.ready_tasks[0].lane == "Организации здравоохранения"
    r = complete(runner, r, "register_health", received_at=h.fresh(), offence_signs=True)
    # P5, P13.3: guardianship, КДНЗП and police at once; the hospital's own chapter 6 starts too
    assert sorted(m.name for m in r.outgoing) == ["guardianship_notified", "health_notified", "kdnzp_notified",
                                                  "police_notified"]
    assert all(m.payload["case_id"] == "case-9" for m in r.outgoing)
    task = r.ready_tasks[0]
    assert task.bpmn_id == "primary_info_health" and task.due_at is not None and r.next_timer_at == task.due_at
    r = complete(runner, r, "primary_info_health", priority_agency="education_org", education_emergency=True)
    assert sorted(t.bpmn_id for t in r.ready_tasks) == ["mio_assign", "report_emergency_health"]
    r = complete(runner, r, "report_emergency_health")
    assert [m.name for m in r.outgoing] == ["mes_committee_notified"]
    r = complete(runner, r, "mio_assign", priority_agency="education_org")
    assert [m.name for m in r.outgoing] == ["education_org_notified"] and r.status == "completed"


def test_a_message_started_chapter_runs_in_the_engine():
    runner = runner_for("ch5-guardianship.bpmn")
    payload = h.notice_payload(received_at=h.fresh(), case_id="case-9")
    r = runner.start(payload, message=engine.OutgoingMessage("guardianship_notified", payload))
    assert r.error is None and [t.bpmn_id for t in r.ready_tasks] == ["ack_notice"]
    assert r.ready_tasks[0].properties["formJsonSchemaFilename"] == "ack.schema.json"
    r = complete(runner, r, "ack_notice")
    r = complete(runner, r, "protect_rights", removal_needed=True, parental_rights_case=True)
    assert [m.name for m in r.outgoing] == ["police_notified", "prosecutor_notified"]
    r = complete(runner, r, "remove_child")
    r = complete(runner, r, "temporary_placement", child_age_years=12)
    assert [m.name for m in r.outgoing] == ["centre_placement_requested"]
    assert [t.bpmn_id for t in r.ready_tasks] == ["court_materials"]
    for step in ("court_materials", "court_participation", "placement_control", "additional_education"):
        r = complete(runner, r, step)
    assert r.status == "completed" and r.outgoing == []


@pytest.mark.parametrize("file, message", [
    ("ch2-education.bpmn", "education_org_notified"), ("ch3-kdnzp.bpmn", "kdnzp_notified"),
    ("ch4-police.bpmn", "police_notified"), ("ch6-health.bpmn", "infant_placement_requested"),
    ("ch7-social-protection.bpmn", "social_protection_notified"), ("ch8-centres.bpmn", "centre_placement_requested"),
    ("notice-prosecutor.bpmn", "prosecutor_notified"), ("notice-mes-committee.bpmn", "mes_committee_notified")])
def test_every_receiver_starts_and_closes_a_case_already_in_work(file, message):
    runner = runner_for(file)
    payload = h.notice_payload(received_at=h.fresh(), child_age_years=2)
    r = runner.start(payload, message=engine.OutgoingMessage(message, payload))
    assert r.error is None and len(r.ready_tasks) == 1
    r = complete(runner, r, r.ready_tasks[0].bpmn_id, already_in_work=True)
    assert r.status == "completed" and r.outgoing == []
