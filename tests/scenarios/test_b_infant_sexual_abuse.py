"""(b) A hospital finds signs of sexual abuse of a 2-year-old: police investigation, removal with the
prosecutor informed, the child kept in health (P13.4), court materials within 7 calendar days (P12.4)."""
from datetime import date

from support import at

RECEIVED = "2026-12-07T14:00:00+05:00"        # a Monday
TODDLER = {"child": {"birth_date": "2024-06-01"}}


def test_hospital_report_of_a_toddler_runs_police_guardianship_prosecutor_and_health(report, agencies, make_user):
    from app.forms.iin import make_iin
    auditor = make_user("auditor", None, "auditor")
    child = {"last_name": "Сериков", "first_name": "Алихан", "birth_date": "2024-06-01", "sex": "male",
             "iin": make_iin(date(2024, 6, 1), "male")}
    case = report("health", RECEIVED)

    case.work("health", "register_health", received_at=RECEIVED, detected_by="health", channel="oral_or_remote",
              offence_signs=True, child=child, case_summary="Признаки сексуального насилия при осмотре")
    case.work("health", "primary_info_health", child=child, priority_agency="police", education_emergency=False,
              when="2026-12-07T14:20:00+05:00")
    case.work("local_executive", "mio_assign", priority_agency="police", when="2026-12-07T14:30:00+05:00")
    case.route("2026-12-07T14:31:00+05:00")
    # P13.3: police, КДНЗП and guardianship at once; police is the priority body already notified; the
    # hospital's own chapter 6 started at registration (P13.1)
    assert case.open_tasks("police") == ["ack_notice"]
    assert case.open_tasks("education_authority") == ["ack_notice"]
    assert case.open_tasks("kdnzp") == ["ack_notice"]
    assert case.open_tasks("health") == ["ack_notice"]
    case.work("kdnzp", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-07T14:35:00+05:00")
    case.work("health", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-07T14:36:00+05:00")
    assert case.open_tasks("health") == ["examine_child"]

    # Chapter 4: police
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-07T14:40:00+05:00")
    case.work("police", "review_report", offence_type="criminal", child_safe_at_home=False,
              documents_help_needed=False)
    case.work("police", "investigate")                                                      # P11.5, P11.6
    case.work("police", "decide_placement", child_age_years=2)                             # P11.7 → health (P13.4)

    # Chapter 5: guardianship removes the child and tells the prosecutor (P12.1, P12.2)
    case.work("education_authority", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("education_authority", "protect_rights", removal_needed=True, parental_rights_case=True,
              report_date=date(2026, 12, 7))
    case.work("education_authority", "remove_child")
    case.work("education_authority", "temporary_placement", child_age_years=2)              # P12.3
    case.route("2026-12-07T15:10:00+05:00")

    # the prosecutor acknowledges within the hour; health admits the toddler (P13.4)
    assert case.open_tasks("prosecutor") == ["ack_notice"]
    case.work("prosecutor", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-07T15:20:00+05:00")
    assert "ack_infant_request" in case.open_tasks("health")
    for task in [t for t in case.open_tasks("health") if t == "ack_infant_request"]:
        case.work("health", task, acknowledged=True, already_in_work=False)
    case.work("health", "admit_infant")

    # P12.4: court materials within 7 calendar days of receipt by guardianship
    court = agencies["education_authority"].task(case.id, "court_materials")
    assert at(court["due_at"]) == at("2026-12-15T00:00:00+05:00")
    case.work("education_authority", "court_materials", when="2026-12-11T11:00:00+05:00")
    case.work("education_authority", "court_participation")                                 # P12.5

    instances = case.instances(auditor)
    assert set(instances) >= {"ch1_identification", "ch4_police", "ch5_guardianship", "ch6_health",
                              "prosecutor_notice"}
    assert instances["prosecutor_notice"][0]["status"] == "completed"
    for items in instances.values():
        for item in items:
            events = auditor.get(f"/process-instances/{item['id']}/events").json()["items"]
            late = [e["bpmn_id"] for e in events if e["type"] == "overdue"]
            assert late == [], (item["process_id"], late)
