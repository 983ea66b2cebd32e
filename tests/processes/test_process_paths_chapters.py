"""Chapters 2-8 and the two notices, run with raw SpiffWorkflow: acknowledgement first (a case already in
work is not opened twice), the branches of the Guide, the messages thrown and the deadlines."""
from __future__ import annotations

import pytest

import process_harness as h
from app.agencies import agency_for_lane

CHAPTER_STARTS = [
    ("ch2-education.bpmn", "education_org_notified", "education_org"),
    ("ch3-kdnzp.bpmn", "kdnzp_notified", "kdnzp"),
    ("ch4-police.bpmn", "police_notified", "police"),
    ("ch5-guardianship.bpmn", "guardianship_notified", "education_authority"),
    ("ch6-health.bpmn", "health_notified", "health"),
    ("ch7-social-protection.bpmn", "social_protection_notified", "social_protection"),
    ("ch8-centres.bpmn", "centre_placement_requested", "center"),
]
OLD = "2024-03-01T10:00:00+05:00"


def started(run, file, message, now=h.real_now, **payload):
    inst = run(file, now)
    inst.start_on(message, h.notice_payload(received_at=h.fresh(), **payload))
    return inst


def names(inst):
    return [s.name for s in inst.take_sent()]


# -- what every chapter does first ----------------------------------------------------------------------------
@pytest.mark.parametrize("file, message, agency", CHAPTER_STARTS)
def test_a_chapter_starts_on_its_message_and_asks_for_acknowledgement(run, file, message, agency):
    inst = started(run, file, message)
    assert inst.ready() == ["ack_notice"]
    assert agency_for_lane(inst.lane_of("ack_notice")) == agency
    assert inst.properties("ack_notice")["formJsonSchemaFilename"] == "ack.schema.json"
    data = inst.ready_task("ack_notice").data
    assert data["case_id"] == "case-1" and data["msg"]["clause"] == "P8.4"


@pytest.mark.parametrize("file, message, agency", CHAPTER_STARTS)
def test_an_unacknowledged_notice_goes_to_the_supervisor(run, file, message, agency):
    inst = run(file)
    inst.start_on(message, h.notice_payload(received_at=OLD))
    assert inst.due("deadline_ack_notice") == "2024-03-01T11:00:00+05:00"       # the 1-hour window
    inst.fire_timers()
    assert inst.ready() == ["ack_notice", "escalate_ack_notice"]
    assert inst.properties("escalate_ack_notice")["requiredRole"] == "supervisor"


@pytest.mark.parametrize("file, message, agency", CHAPTER_STARTS)
def test_a_notice_about_a_case_already_in_work_is_attached_to_it(run, file, message, agency):
    inst = started(run, file, message)
    inst.complete("ack_notice", already_in_work=True)
    assert inst.completed and inst.ready() == []
    assert [s.name for s in inst.take_sent()] == []


@pytest.mark.parametrize("file, message, start", [
    ("ch5-guardianship.bpmn", "parental_rights_petition", "ack_petition"),
    ("ch6-health.bpmn", "infant_placement_requested", "ack_infant_request")])
def test_second_entries_also_attach_repeated_notices(run, file, message, start):
    inst = started(run, file, message)
    assert inst.ready() == [start]
    inst.complete(start, already_in_work=True)
    assert inst.completed


# -- chapter 2 ---------------------------------------------------------------------------------------------------
def test_education_full_path(run):
    inst = started(run, "ch2-education.bpmn", "education_org_notified")
    inst.notified = {"education_authority"}        # the case's messages went to guardianship only
    inst.complete("ack_notice")
    sent = inst.take_sent()                         # P8.4: at once, to whoever has not heard of the case
    assert sorted(s.name for s in sent) == ["kdnzp_notified", "police_notified"]
    assert {s.payload["clause"] for s in sent} == {"P8.4"}
    assert sent[0].payload["note"] == sent[0].payload["case_summary"]
    inst.complete("review_report").complete("assess_situation").complete("inspect_housing", parental_rights_abuse=True)
    inst.complete("parental_abuse_notice")
    sent = inst.take_sent()
    assert sorted(s.name for s in sent) == ["guardianship_notified", "kdnzp_notified", "police_notified"]
    assert {s.payload["clause"] for s in sent} == {"P8.9"}
    assert inst.ready() == ["child_plan", "family_plan"]
    inst.complete("family_plan").complete("child_plan")
    inst.complete("involve_agencies", involve_health=True, involve_social_protection=False)
    assert names(inst) == ["health_notified"]
    inst.complete("support_work").complete("closure_decision", closure_decision="continue", causes_removed=False)
    assert inst.ready() == ["support_work"]
    inst.complete("support_work").complete("closure_decision")
    assert inst.completed and not inst.waits_for("education_org_notified")


def test_education_without_abuse_or_notices_sends_nothing(run):
    inst = started(run, "ch2-education.bpmn", "education_org_notified")
    inst.notified = {"police", "kdnzp", "education_authority"}     # all three heard of the case already
    inst.complete("ack_notice").complete("review_report")
    inst.complete("assess_situation").complete("inspect_housing")
    assert inst.ready() == ["child_plan", "family_plan"]
    inst.complete("family_plan").complete("child_plan").complete("involve_agencies")
    assert names(inst) == []


def test_a_case_is_closed_only_when_its_causes_are_removed():
    errors = h.check_form("ch2-closure.schema.json", {**h.sample("ch2-closure.schema.json"), "causes_removed": False})
    assert errors


@pytest.mark.parametrize("file, message, step", [
    ("ch2-education.bpmn", "education_org_notified", "ack_notice"),
    ("ch7-social-protection.bpmn", "social_protection_notified", "ack_notice")])
def test_informing_is_not_a_choice_and_follows_the_acknowledgement(run, file, message, step):
    """Point 2: nobody ticks who to inform; whoever has not heard of the case is told at once."""
    inst = started(run, file, message)
    inst.complete(step)
    assert sorted(s.name for s in inst.take_sent()) == ["guardianship_notified", "kdnzp_notified",
                                                        "police_notified"]
    assert "inform_agencies" not in inst.ready()


# -- chapter 3 ---------------------------------------------------------------------------------------------------
def test_kdnzp_full_path(run):
    inst = started(run, "ch3-kdnzp.bpmn", "kdnzp_notified")
    inst.complete("ack_notice").complete("analyse_information")
    inst.complete("refer_for_response", refer_police=True, refer_education=True)
    sent = inst.take_sent()
    assert sorted(s.name for s in sent) == ["education_org_notified", "police_notified"]
    assert {s.payload["clause"] for s in sent} == {"P10.3"}
    inst.complete("commission_decision", directed_agencies=["police", "education_authority"],
                  direction_kind="information_request", direction_text="Сообщить о мерах.", direction_due_days=3)
    sent = inst.take_sent()            # P10.1, P10.2: each direction is a message to the named agency
    assert [s.name for s in sent] == ["kdnzp_direction", "kdnzp_direction"]
    assert sorted(s.payload["to_agency"] for s in sent) == ["education_authority", "police"]
    assert {s.payload["direction_text"] for s in sent} == {"Сообщить о мерах."} and sent[0].payload["direction_due"]
    inst.complete("coordinate_services", social_services_needed=True)
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["social_protection_notified"] and sent[0].payload["clause"] == "P10.5"
    inst.complete("monitor_measures", child_in_centre=True, monitoring_outcome="continue")
    assert inst.ready() == ["visit_centre"]
    inst.complete("visit_centre")
    assert inst.ready() == ["monitor_measures"]
    inst.complete("monitor_measures")
    assert inst.completed


@pytest.mark.parametrize("agency", ["education_org", "education_authority", "police", "health", "social_protection"])
def test_a_kdnzp_direction_is_acknowledged_carried_out_by_its_date_and_answered(run, agency):
    inst = run("kdnzp-direction.bpmn")
    inst.start_on("kdnzp_direction", h.notice_payload(received_at=h.fresh(), notified_by="kdnzp", clause="P10.1",
                                                      to_agency=agency, direction_kind="recommendation",
                                                      direction_text="Провести беседу.",
                                                      direction_due="2031-03-06T00:00:00+05:00"))
    assert inst.ready() == [f"ack_direction_{agency}"]
    assert agency_for_lane(inst.lane_of(f"ack_direction_{agency}")) == agency
    inst.complete(f"ack_direction_{agency}")
    assert inst.due(f"deadline_carry_out_direction_{agency}") == "2031-03-06T00:00:00+05:00"   # КДНЗП's date
    inst.complete(f"carry_out_direction_{agency}")
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["kdnzp_direction_answered"]
    assert sent[0].payload["direction_answer"] == "Беседа проведена." and sent[0].payload["notified_by"] == agency
    assert inst.completed


def test_kdnzp_receives_the_answer_as_a_task(run):
    inst = run("kdnzp-answer.bpmn")
    inst.start_on("kdnzp_direction_answered", h.notice_payload(received_at=h.fresh(), notified_by="police"))
    assert inst.ready() == ["ack_answer"]
    assert agency_for_lane(inst.lane_of("ack_answer")) == "kdnzp"


# -- chapter 4 ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("age, message", [(0, "infant_placement_requested"), (3, "infant_placement_requested"),
                                          (4, "centre_placement_requested"), (15, "centre_placement_requested")])
def test_police_deliver_a_child_by_age(run, age, message):
    inst = started(run, "ch4-police.bpmn", "police_notified")
    inst.complete("ack_notice").complete("review_report", offence_type="criminal", child_safe_at_home=False)
    assert inst.ready() == ["investigate"]
    inst.complete("investigate")
    assert inst.ready() == ["decide_placement"]
    inst.complete("decide_placement", child_age_years=age)
    sent = inst.take_sent()
    # P11.7 "jointly": guardianship hears of every delivery (issue 12, point 6)
    assert [s.name for s in sent] == [message, "guardianship_notified"]
    assert sent[1].payload["clause"] == "P11.7" and sent[1].payload["placement_basis"] == "police_delivery"
    assert sent[0].payload["child_age_years"] == age and sent[0].payload["placement_basis"] == "police_delivery"
    assert sent[0].payload["clause"] == "P11.7"
    assert inst.ready() == ["prevention_work"]


@pytest.mark.parametrize("file, message, steps, form_task", [
    ("ch4-police.bpmn", "police_notified", [("ack_notice", {}), ("review_report", {
        "offence_type": "none", "child_safe_at_home": False})], "decide_placement"),
    ("ch5-guardianship.bpmn", "guardianship_notified", [("ack_notice", {}), ("protect_rights", {
        "removal_needed": True}), ("remove_child", {})], "temporary_placement")])
def test_a_placement_form_is_given_the_age_the_childs_iin_holds(run, file, message, steps, form_task):
    """Issue 12 §13: staff need not type an age the case knows (the ИИН here: born 14.03.2024)."""
    from datetime import date

    from app.forms.iin import make_iin
    child = {"last_name": "Серикова", "first_name": "Айя", "iin": make_iin(date(2024, 3, 14), "female")}
    inst = started(run, file, message, child=child)
    for step, data in steps:
        inst.complete(step, **data)
    age = inst.ready_task(form_task).data["child_age_years"]
    today = date.fromisoformat(h.fresh()[:10])
    assert age == today.year - 2024 - ((today.month, today.day) < (3, 14))
    unknown = started(run, file, message)                   # no birth date, no ИИН: staff type it
    for step, data in steps:
        unknown.complete(step, **data)
    assert "child_age_years" not in unknown.ready_task(form_task).data
    if file != "ch4-police.bpmn":
        return                                   # chapter 5's notices before the form already carry the child
    childless = run(file, h.real_now)            # a police notice posted by an integration may carry no child
    childless.start_on(message, {k: v for k, v in h.notice_payload(received_at=h.fresh()).items() if k != "child"})
    for step, data in steps:
        childless.complete(step, **data)
    assert "child_age_years" not in childless.ready_task(form_task).data


def test_police_inform_whoever_has_not_heard_and_petition_the_guardianship(run):
    """P11.3 by the case's messages, not a tick: guardianship already heard (chapter 1), КДНЗП did not."""
    inst = started(run, "ch4-police.bpmn", "police_notified")
    inst.notified = {"police", "education_authority"}
    inst.complete("ack_notice").complete("review_report", documents_help_needed=True)
    assert inst.ready() == ["prevention_work"]
    inst.complete("prevention_work")
    inst.complete("notify_agencies", parental_rights_petition_needed=True)
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["kdnzp_notified"] and sent[0].payload["clause"] == "P11.9"
    assert sent[0].payload["offence_type"] == "none" and sent[0].payload["note"] == "Сведения."
    assert inst.ready() == ["petition_guardianship"]
    inst.complete("petition_guardianship", petition_measure="restriction")
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["parental_rights_petition"]
    assert sent[0].payload["petition_measure"] == "restriction" and sent[0].payload["clause"] == "P11.10"
    assert inst.ready() == ["documents_help"]
    inst.complete("documents_help").complete("close_police_work")
    assert inst.completed


def test_police_who_find_an_offence_inform_kdnzp_and_guardianship_even_if_told_before(run):
    """P11.9: an offence found means materials for court: both hear it, whatever they heard of the case."""
    inst = started(run, "ch4-police.bpmn", "police_notified")
    inst.notified = {"police", "kdnzp", "education_authority"}
    inst.complete("ack_notice").complete("review_report", offence_type="administrative")
    assert inst.ready() == ["prevention_work"]
    inst.complete("prevention_work").complete("notify_agencies")
    sent = inst.take_sent()
    assert sorted(s.name for s in sent) == ["guardianship_notified", "kdnzp_notified"]
    assert {s.payload["offence_type"] for s in sent} == {"administrative"}
    inst.complete("close_police_work")
    assert inst.completed


def test_police_without_offence_tell_nobody_twice(run):
    inst = started(run, "ch4-police.bpmn", "police_notified")
    inst.notified = {"police", "kdnzp", "education_authority"}     # all heard at intake, nothing found since
    inst.complete("ack_notice").complete("review_report", offence_type="none")
    inst.complete("prevention_work").complete("notify_agencies")
    assert names(inst) == []
    inst.complete("close_police_work")
    assert inst.completed


# -- chapter 5 ---------------------------------------------------------------------------------------------------
def test_guardianship_removes_a_toddler_informs_the_prosecutor_and_goes_to_court(run):
    inst = started(run, "ch5-guardianship.bpmn", "guardianship_notified")
    inst.complete("ack_notice")
    assert inst.ready() == ["protect_rights"]
    inst.complete("protect_rights", removal_needed=True, parental_rights_case=True)
    sent = inst.take_sent()
    # P12.7: the police had not heard of the case; P12.2: the prosecutor is told as soon as removal is decided
    assert [s.name for s in sent] == ["police_notified", "prosecutor_notified"]
    assert [s.payload["clause"] for s in sent] == ["P12.7", "P12.2"]
    assert sent[1].payload["note"] == h.sample("ch5-measures.schema.json")["measures_taken"]
    assert inst.ready() == ["remove_child"]
    inst.complete("remove_child")
    assert inst.take_sent() == []
    inst.complete("temporary_placement", child_age_years=2)
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["infant_placement_requested"]
    assert sent[0].payload["placement_basis"] == "removal" and sent[0].payload["clause"] == "P12.3"
    assert inst.ready() == ["court_materials"]
    inst.complete("court_materials").complete("court_participation").complete("placement_control")
    inst.complete("additional_education")
    assert inst.completed


def test_guardianship_without_removal_or_court(run):
    inst = started(run, "ch5-guardianship.bpmn", "guardianship_notified")
    inst.notified = {"police", "education_authority"}           # the police heard of the case already
    inst.complete("ack_notice").complete("protect_rights")
    assert inst.ready() == ["placement_control"]
    assert names(inst) == []


def test_older_removed_children_go_to_a_centre(run):
    inst = started(run, "ch5-guardianship.bpmn", "guardianship_notified")
    inst.complete("ack_notice").complete("protect_rights", removal_needed=True)
    inst.complete("remove_child").take_sent()
    inst.complete("temporary_placement", child_age_years=9)
    assert names(inst) == ["centre_placement_requested"]


def test_a_police_petition_leads_to_court_materials_due_in_seven_calendar_days(run):
    inst = run("ch5-guardianship.bpmn")
    inst.start_on("parental_rights_petition", h.notice_payload(received_at=OLD, notified_by="police",
                                                               clause="P11.10", petition_measure="deprivation"))
    assert inst.ready() == ["ack_petition", "escalate_ack_petition"]       # the old notice is late already
    assert not inst.waits_for("guardianship_notified"), "a petition starts only the court part"
    inst.complete("ack_petition")
    assert "court_materials" in inst.ready()
    # the 7th day is Friday 8 March, a holiday: the term ends on Monday 11 March (issue 12, point 12)
    assert inst.due("deadline_court_materials") == "2024-03-12T00:00:00+05:00"
    inst.fire_timers()
    assert "escalate_court_materials" in inst.ready()


def test_immediate_measures_are_due_at_once(run):
    inst = run("ch5-guardianship.bpmn", h.past_now)
    inst.start_on("guardianship_notified", h.notice_payload(received_at=OLD))
    inst.complete("ack_notice")
    # P12.1: counted from the receipt of the information, not from the acknowledgement
    assert inst.due("deadline_protect_rights") == "2024-03-01T11:00:00+05:00"


def test_the_removal_act_is_due_at_once(run):
    inst = run("ch5-guardianship.bpmn", h.past_now)
    inst.start_on("guardianship_notified", h.notice_payload(received_at=OLD))
    inst.complete("ack_notice").complete("protect_rights", removal_needed=True)
    assert inst.due("deadline_remove_child") is not None


# -- chapter 6 ---------------------------------------------------------------------------------------------------
def test_health_examines_informs_and_treats(run):
    inst = started(run, "ch6-health.bpmn", "health_notified")
    inst.complete("ack_notice")
    assert inst.ready() == ["examine_child"]
    inst.notified = {"kdnzp", "health"}
    inst.complete("examine_child", violence_signs=True)
    sent = inst.take_sent()
    assert sorted(s.name for s in sent) == ["guardianship_notified", "police_notified"]
    assert {s.payload["clause"] for s in sent} == {"P13.3"}
    inst.complete("medical_care", special_services_needed=True)
    assert inst.ready() == ["special_services"]
    inst.complete("special_services")
    assert inst.completed


def test_health_without_signs_of_violence_informs_nobody(run):
    inst = started(run, "ch6-health.bpmn", "health_notified")
    inst.complete("ack_notice").complete("examine_child", violence_signs=False)
    assert inst.ready() == ["medical_care"]
    inst.complete("medical_care")
    assert inst.completed and names(inst) == []


def test_health_admits_a_removed_toddler(run):
    inst = run("ch6-health.bpmn")
    inst.start_on("infant_placement_requested", h.notice_payload(received_at=h.fresh(), child_age_years=2,
                                                                 placement_basis="removal", clause="P12.3"))
    assert inst.ready() == ["ack_infant_request"]
    inst.complete("ack_infant_request")
    assert inst.ready() == ["admit_infant"]
    inst.complete("admit_infant")
    assert inst.ready() == ["examine_child"]


# -- chapter 7 ---------------------------------------------------------------------------------------------------
def test_social_protection_informs_assesses_and_serves(run):
    inst = started(run, "ch7-social-protection.bpmn", "social_protection_notified")
    inst.notified = {"police", "education_authority", "social_protection"}
    inst.complete("ack_notice")
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["kdnzp_notified"] and sent[0].payload["clause"] == "P14.1"
    inst.complete("joint_assessment")
    assert inst.ready() == ["special_services"]
    inst.complete("special_services")
    assert inst.completed


# -- chapter 8 ---------------------------------------------------------------------------------------------------
def test_a_centre_admits_assesses_supports_and_discharges(run):
    inst = started(run, "ch8-centres.bpmn", "centre_placement_requested", placement_basis="removal")
    inst.complete("ack_notice").complete("admit_child").complete("assess_maladjustment")
    assert inst.ready() == ["conflict_help", "special_services"]
    inst.complete("conflict_help")
    assert inst.ready() == ["family_work", "special_services"]
    inst.complete("family_work").complete("special_services")
    assert inst.ready() == ["discharge_child"]
    inst.complete("discharge_child", discharge_outcome="returned_to_family")
    sent = inst.take_sent()           # P12.6: guardianship hears of every release (issue 12, point 6)
    assert [s.name for s in sent] == ["guardianship_notified"]
    assert sent[0].payload["clause"] == "P12.6" and sent[0].payload["discharge_outcome"] == "returned_to_family"
    assert inst.completed


# -- bodies without a chapter ------------------------------------------------------------------------------------
@pytest.mark.parametrize("file, message, agency", [
    ("notice-prosecutor.bpmn", "prosecutor_notified", "prosecutor"),
    ("notice-mes-committee.bpmn", "mes_committee_notified", "mes_committee")])
def test_the_prosecutor_and_the_committee_acknowledge(run, file, message, agency):
    inst = started(run, file, message)
    assert inst.ready() == ["ack_notice"] and agency_for_lane(inst.lane_of("ack_notice")) == agency
    inst.complete("ack_notice")
    assert inst.completed
    late = run(file)
    late.start_on(message, h.notice_payload(received_at=OLD))
    late.fire_timers()
    assert late.ready() == ["ack_notice", "escalate_ack_notice"]
