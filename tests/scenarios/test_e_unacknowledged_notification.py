"""(e) A notification nobody acknowledges escalates when its window ("immediately": 1 hour) closes."""
from support import at

RECEIVED = "2026-12-03T09:00:00+05:00"


def test_guardianship_notice_left_unacknowledged_escalates_to_its_supervisor(report, agencies, make_user):
    auditor = make_user("auditor", None, "auditor")
    case = report("education_org", RECEIVED)
    case.work("education_org", "register_education_org", received_at=RECEIVED, offence_signs=False,
              when="2026-12-03T09:10:00+05:00")          # P5: guardianship duplicated at 09:10
    case.route("2026-12-03T09:11:00+05:00")

    ack = agencies["education_authority"].task(case.id, "ack_notice")
    assert at(ack["due_at"]) == at("2026-12-03T10:10:00+05:00")
    case.route("2026-12-03T10:09:59+05:00")
    assert case.open_tasks("education_authority") == ["ack_notice"]
    case.route("2026-12-03T10:10:01+05:00")
    assert case.open_tasks("education_authority") == ["ack_notice", "escalate_ack_notice"]
    escalation = agencies["education_authority"].task(case.id, "escalate_ack_notice", who=agencies["education_authority"].supervisor)
    assert escalation["required_role"] == "supervisor"

    guardianship = case.instances(auditor)["ch5_guardianship"][0]
    events = auditor.get(f"/process-instances/{guardianship['id']}/events").json()["items"]
    assert [(e["type"], e["bpmn_id"]) for e in events if e["type"] in ("timer_fired", "overdue")] == [
        ("timer_fired", "deadline_ack_notice"), ("overdue", "ack_notice")]
    # the compliance report counts the missed acknowledgement against guardianship
    rows = auditor.get("/audit/compliance", params={"since": "2026-12-01", "until": "2026-12-31"},
                       headers={"X-Test-Now": "2026-12-03T10:30:00+05:00"}).json()["items"]
    p5 = next(r for r in rows if r["clause"] == "P5" and r["agency"] == "education_authority")
    assert (p5["on_time"], p5["open_overdue"], p5["cases_missed"]) == (0, 1, 1)
