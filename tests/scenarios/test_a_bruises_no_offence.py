"""(a) A teacher notices bruises; no sign of an offence: chapter 1 → chapter 2 support plan → closed (P8.10)."""
from support import at

RECEIVED = "2026-12-01T10:00:00+05:00"        # a Tuesday
INSPECTION = {"inspected_on": "2026-12-02", "housing": "own", "living_conditions": "Удовлетворительные",
              "child_place": "Есть", "conclusion": "Условия удовлетворительные",
              "address": {"region": "Карагандинская область", "locality": "Караганда", "street": "ул. Ерубаева",
                          "house": "10"},
              "commission": [{"full_name": "Ахметова Г. С.", "position": "социальный педагог", "agency": "education_org"},
                             {"full_name": "Омарова Д. К.", "position": "специалист", "agency": "education_authority"}]}


def test_teacher_report_leads_to_support_plan_and_closure(report, agencies, make_user):
    auditor = make_user("auditor", None, "auditor")
    case = report("education_org", RECEIVED)

    # P2, P3, P6: the school registers the report; P5: guardianship is told of every fact at once
    case.work("education_org", "register_education_org", received_at=RECEIVED, detected_by="education",
              channel="oral_or_remote", offence_signs=False, case_summary="Синяки на руках у ученика 5 класса")
    # P4.a: the primary information is due by the end of the next working day
    primary = agencies["education_org"].task(case.id, "primary_info_education_org")
    assert at(primary["due_at"]) == at("2026-12-03T00:00:00+05:00")
    case.work("education_org", "primary_info_education_org", priority_agency="education_org",
              education_emergency=False, when="2026-12-01T10:20:00+05:00")

    # P4.b: the MIO specialist gets it within 2 calendar days and chooses the priority body
    mio = agencies["local_executive"].task(case.id, "mio_assign")
    assert at(mio["due_at"]) == at("2026-12-04T00:00:00+05:00")
    case.work("local_executive", "mio_assign", priority_agency="education_org", when="2026-12-01T10:30:00+05:00")
    case.route("2026-12-01T10:31:00+05:00")
    # P8.4: a school tells police, КДНЗП and guardianship of every fact at registration; its own chapter 2
    # started then too (P8.1), so the MIO's assignment sends nothing more
    assert case.open_tasks("police") == ["ack_notice"]
    assert case.open_tasks("kdnzp") == ["ack_notice"]
    assert case.open_tasks("education_authority") == ["ack_notice"]
    assert case.open_tasks("education_org") == ["ack_notice"]

    # Chapter 2, the school's own work
    case.work("education_org", "ack_notice", acknowledged=True, already_in_work=False,
              when="2026-12-01T10:45:00+05:00")                        # within the hour: no escalation
    case.work("education_org", "review_report")
    case.work("education_org", "assess_situation")
    case.work("education_org", "inspect_housing", inspection_act=INSPECTION)   # P8.8 act, drawn up jointly
    case.work("education_org", "family_plan")                           # P9.1
    case.work("education_org", "child_plan")                            # P9.2
    case.work("education_org", "involve_agencies", involve_health=False, involve_social_protection=False)
    case.work("education_org", "support_work")
    case.work("education_org", "closure_decision", closure_decision="close", causes_removed=True,
              basic_needs_met=True, closure_grounds="Причины устранены, семья получает помощь")   # P8.10
    assert case.open_tasks("education_org") == []

    instances = case.instances(auditor)
    assert instances["ch1_identification"][0]["status"] == "completed"
    assert instances["ch2_education"][0]["status"] == "completed"
    assert instances["ch5_guardianship"][0]["status"] == "running"       # the guardianship has yet to acknowledge
    events = auditor.get(f"/process-instances/{instances['ch2_education'][0]['id']}/events").json()["items"]
    done = [e["bpmn_id"] for e in events if e["type"] == "task_completed"]
    assert done[-1] == "closure_decision" and "inspect_housing" in done and "case_closed" in [
        e["bpmn_id"] for e in events if e["type"] == "activity_completed"]
    assert not [e for e in events if e["type"] == "overdue"]
