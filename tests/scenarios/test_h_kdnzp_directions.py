"""(h) Issue 12, point 7: КДНЗП's recommendations, directions and requests (P10.1, P10.2, P10.4, P10.7) are
messages to the named agency, acknowledged at once, carried out by КДНЗП's date and answered."""
from support import at

RECEIVED = "2026-12-01T10:00:00+05:00"        # a Tuesday


def test_a_kdnzp_direction_reaches_the_police_and_is_answered(report, agencies):
    case = report("education_org", RECEIVED)
    case.work("education_org", "register_education_org", received_at=RECEIVED, detected_by="education",
              channel="oral_or_remote", offence_signs=False, case_summary="Ребёнок боится идти домой")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("kdnzp", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("kdnzp", "analyse_information")
    case.work("kdnzp", "refer_for_response", refer_police=False, refer_health=False, refer_education=False)
    case.work("kdnzp", "commission_decision", directed_agencies=["police"], direction_kind="prevention_work",
              direction_text="Провести индивидуальную профилактическую работу с отчимом", direction_due_days=5,
              when="2026-12-01T11:00:00+05:00")
    case.route("2026-12-01T11:01:00+05:00")
    assert "ack_direction_police" in case.open_tasks("police")
    case.work("police", "ack_direction_police", acknowledged=True, already_in_work=False,
              when="2026-12-01T11:10:00+05:00")
    work = agencies["police"].task(case.id, "carry_out_direction_police")
    assert at(work["due_at"]) == at("2026-12-09T00:00:00+05:00")          # 5 working days from the decision
    case.work("police", "carry_out_direction_police", direction_answer="Беседа проведена, отчим предупреждён",
              answered_by="Иванов И. И., инспектор")
    case.route("2026-12-02T09:00:00+05:00")
    assert "ack_answer" in case.open_tasks("kdnzp")
