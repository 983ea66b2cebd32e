"""(g) Issue 12, points 6 and 9: guardianship hears of every placement and release, and its own "immediately"
steps (P12.1, P12.2, P12.7) are counted from receipt and cannot be skipped."""
from support import at

RECEIVED = "2026-12-01T10:00:00+05:00"        # a Tuesday


def notices(case, agency):
    """The clause of each notice the agency was asked to acknowledge in this case."""
    team = case.agencies[agency]
    return sorted(team.staff.get(f"/tasks/{t['id']}").json()["data"]["clause"]
                  for t in team.tasks(case.id) if t["bpmn_id"] == "ack_notice")


def test_a_police_delivery_and_the_centres_release_reach_guardianship(report, agencies):
    case = report("police", RECEIVED)
    case.work("police", "register_police", received_at=RECEIVED, detected_by="police", channel="oral_or_remote",
              offence_signs=False, case_summary="Ребёнок ночует на улице")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("education_authority", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "review_report", offence_type="none", child_safe_at_home=False)
    case.work("police", "decide_placement", child_age_years=9)                       # P11.7 → a centre
    case.route("2026-12-01T10:10:00+05:00")
    assert notices(case, "education_authority") == ["P11.7"]                       # told of the delivery
    assert notices(case, "center") == ["P11.7"]

    for step in ("ack_notice", "admit_child", "assess_maladjustment", "special_services", "conflict_help",
                 "family_work"):
        case.work("center", step, **({"acknowledged": True, "already_in_work": False} if step == "ack_notice"
                                     else {}))
    case.work("center", "discharge_child", discharge_outcome="returned_to_family")
    case.route("2026-12-01T11:00:00+05:00")
    assert notices(case, "education_authority") == ["P11.7", "P12.6"]              # and of the release


def test_guardianship_tells_the_prosecutor_before_the_removal_act_and_within_the_window(report, agencies):
    case = report("local_executive", RECEIVED)
    case.work("local_executive", "register_local_executive", received_at=RECEIVED,
              detected_by="other_local_executive", channel="written", offence_signs=False,
              case_summary="Угроза жизни ребёнка")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("education_authority", "ack_notice", acknowledged=True, already_in_work=False,
              when="2026-12-01T10:30:00+05:00")
    measures = agencies["education_authority"].task(case.id, "protect_rights")
    assert at(measures["due_at"]) == at("2026-12-01T11:00:00+05:00")      # P12.1: from receipt, not from the ack
    case.work("education_authority", "protect_rights", removal_needed=True, parental_rights_case=False)
    case.route("2026-12-01T10:41:00+05:00")
    assert case.open_tasks("prosecutor") == ["ack_notice"]               # P12.2: before the act is written
    assert case.open_tasks("police") == ["ack_notice"]                   # P12.7: the police had not heard of it
    act = agencies["education_authority"].task(case.id, "remove_child")
    assert act["due_at"] is not None


def test_a_toddler_is_placed_by_the_birth_date_the_case_knows_not_a_typed_age(report, agencies):
    """Point 13: the 0-3 check (P13.4) reads the child's ИИН, so a mistyped age cannot send a toddler to a centre."""
    from datetime import date

    from app.forms.iin import make_iin
    child = {"last_name": "Серикова", "first_name": "Айя", "iin": make_iin(date(2024, 6, 1), "female"),
             "birth_date": "2024-06-01", "sex": "female"}
    case = report("police", RECEIVED)
    case.work("police", "register_police", received_at=RECEIVED, detected_by="police", channel="oral_or_remote",
              offence_signs=False, child=child, case_summary="Малышка одна дома")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "review_report", offence_type="none", child_safe_at_home=False)
    case.work("police", "decide_placement", child_age_years=9)                       # typed wrong
    case.route("2026-12-01T10:10:00+05:00")
    assert "ack_infant_request" in case.open_tasks("health")
    assert case.open_tasks("center") == []
