"""(f) Issue 12, points 1–5: who is told of a report, and when, as the agencies see it through the API.

A hospital's report reaches police, КДНЗП and guardianship at once (P13.3, P5) and starts the hospital's
own chapter; a school's report still starts the school's work when the МИО picks the police; signs of an
offence found after registration reach the police; a chapter started later tells only the agencies the
case's messages have not reached; "immediately" is counted from the receipt of the report.
"""
from support import at

RECEIVED = "2026-12-01T10:00:00+05:00"        # a Tuesday


def names(case, api):
    return sorted(m["name"] for m in api.get("/messages", params={"case_id": case.id}).json()["items"])


def test_a_hospitals_report_reaches_police_kdnzp_and_guardianship_at_once(report, agencies, make_user):
    auditor = make_user("auditor", None, "auditor")
    case = report("health", RECEIVED)
    # point 4: registration is due within the acknowledgement window of the report's receipt
    register = agencies["health"].task(case.id, "register_health")
    assert at(register["due_at"]) == at("2026-12-01T11:00:00+05:00")
    case.work("health", "register_health", received_at=RECEIVED, detected_by="health", channel="oral_or_remote",
              offence_signs=False, case_summary="Ожоги у ребёнка 6 лет", when="2026-12-01T10:15:00+05:00")
    case.route("2026-12-01T10:16:00+05:00")
    # points 1 and 5: the three agencies at once, and the hospital's own chapter 6 (P13.2 examination)
    assert names(case, auditor) == ["guardianship_notified", "health_notified", "kdnzp_notified",
                                    "police_notified"]
    for agency in ("police", "kdnzp", "education_authority"):
        assert case.open_tasks(agency) == ["ack_notice"], agency
    assert case.open_tasks("health") == ["ack_notice", "primary_info_health"]
    police_ack = agencies["police"].task(case.id, "ack_notice")
    data = agencies["police"].staff.get(f"/tasks/{police_ack['id']}").json()["data"]
    assert at(data["report_received_at"]) == at(RECEIVED) and data["clause"] == "P13.3"
    case.work("health", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-01T10:20:00+05:00")
    assert case.open_tasks("health") == ["examine_child", "primary_info_health"]
    # the hospital's chapter knows the three heard already: finding violence at the examination sends nothing more
    case.work("health", "examine_child", violence_signs=True)
    assert names(case, auditor).count("police_notified") == 1
    assert case.open_tasks("health") == ["medical_care", "primary_info_health"]


def test_a_schools_report_starts_the_schools_work_when_the_mio_picks_the_police(report, agencies):
    case = report("education_org", RECEIVED)
    case.work("education_org", "register_education_org", received_at=RECEIVED, detected_by="education",
              channel="oral_or_remote", offence_signs=True, case_summary="Избиение отчимом")
    case.work("education_org", "primary_info_education_org", priority_agency="police", education_emergency=False)
    case.work("local_executive", "mio_assign", priority_agency="police")
    case.route("2026-12-01T10:05:00+05:00")
    assert case.open_tasks("police") == ["ack_notice"]              # once: told at registration (P8.4)
    case.work("education_org", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("education_org", "review_report")
    assert case.open_tasks("education_org") == ["assess_situation"]   # P8.2, then the P9 plans
    case.work("education_org", "assess_situation")
    member = {"full_name": "Ахметова Г. С.", "position": "социальный педагог", "agency": "education_org"}
    act = {"inspected_on": "2026-12-02", "housing": "own", "living_conditions": "Удовлетворительные",
           "child_place": "Есть", "conclusion": "Удовлетворительные",
           "address": {"region": "Алматинская область", "locality": "Талгар", "street": "ул. Абая", "house": "1"},
           "commission": [member, {**member, "agency": "education_authority"}]}
    case.work("education_org", "inspect_housing", inspection_act=act, parental_rights_abuse=False)
    assert case.open_tasks("education_org") == ["child_plan", "family_plan"]


def test_a_social_protection_report_starts_its_own_chapter_when_the_mio_picks_the_police(report, agencies):
    """Point 5 for chapter 7: the office that registered the report does its P14 work whoever the МИО picks."""
    case = report("social_protection", RECEIVED)
    case.work("social_protection", "register_social_protection", received_at=RECEIVED,
              detected_by="social_protection", channel="oral_or_remote", offence_signs=True,
              case_summary="Ребёнок просит милостыню")
    case.work("social_protection", "primary_info_social_protection", priority_agency="police",
              education_emergency=False)
    case.work("local_executive", "mio_assign", priority_agency="police")
    case.route("2026-12-01T10:05:00+05:00")
    assert case.open_tasks("police") == ["ack_notice"]              # once: told at registration (P14.1)
    assert case.open_tasks("social_protection") == ["ack_notice"]
    case.work("social_protection", "ack_notice", acknowledged=True, already_in_work=False)
    assert case.open_tasks("social_protection") == ["joint_assessment"]


def test_offence_signs_found_in_the_primary_information_reach_the_police(report, agencies, make_user):
    auditor = make_user("auditor", None, "auditor")
    case = report("local_executive", RECEIVED)
    case.work("local_executive", "register_local_executive", received_at=RECEIVED, detected_by="other_local_executive",
              channel="written", offence_signs=False, case_summary="Жалоба соседей")
    case.route("2026-12-01T10:01:00+05:00")
    assert "police_notified" not in names(case, auditor)
    case.work("local_executive", "primary_info_local_executive", offence_signs_found=True,
              priority_agency="social_protection", education_emergency=False)
    case.route("2026-12-01T10:02:00+05:00")
    assert case.open_tasks("police") == ["ack_notice"]


def test_a_later_chapter_tells_only_those_not_yet_told(report, agencies, make_user):
    """Point 2: social protection, assigned by the МИО, tells the police (nobody had); КДНЗП and guardianship
    were told at registration and are not asked for again."""
    auditor = make_user("auditor", None, "auditor")
    case = report("local_executive", RECEIVED)
    case.work("local_executive", "register_local_executive", received_at=RECEIVED, detected_by="other_local_executive",
              channel="written", offence_signs=False, case_summary="Ребёнок не посещает школу")
    case.work("local_executive", "primary_info_local_executive", priority_agency="social_protection",
              education_emergency=False)
    case.work("local_executive", "mio_assign", priority_agency="social_protection")
    case.route("2026-12-01T10:05:00+05:00")
    assert names(case, auditor) == ["guardianship_notified", "kdnzp_notified", "social_protection_notified"]
    case.work("social_protection", "ack_notice", acknowledged=True, already_in_work=False)
    assert names(case, auditor) == ["guardianship_notified", "kdnzp_notified", "police_notified",
                                    "social_protection_notified"]
    assert case.open_tasks("social_protection") == ["joint_assessment"]


def test_a_late_registration_is_escalated(report, agencies):
    case = report("social_protection", RECEIVED)
    case.route("2026-12-01T11:00:01+05:00")
    escalations = agencies["social_protection"].supervisor.get("/tasks", params={"case": case.id}).json()["items"]
    assert "escalate_register_social_protection" in [t["bpmn_id"] for t in escalations]


def test_an_emergency_in_education_is_reported_by_the_hospital_that_registered_it(report, agencies, make_user):
    """Point 8: the P7 report to the Committee lands in the registering agency's lane, not the school's."""
    auditor = make_user("auditor", None, "auditor")
    case = report("health", RECEIVED)
    case.work("health", "register_health", received_at=RECEIVED, detected_by="health", channel="oral_or_remote",
              offence_signs=False, case_summary="Травма на уроке физкультуры")
    case.work("health", "primary_info_health", priority_agency="education_org", education_emergency=True)
    assert "report_emergency_health" in case.open_tasks("health")
    assert case.open_tasks("education_org") == []
    case.work("health", "report_emergency_health")
    assert "mes_committee_notified" in names(case, auditor)
