"""One report followed across the chapters, with messages routed the way the service routes them."""
from __future__ import annotations

import process_harness as h
from app.agencies import agency_for_lane


def files(router):
    return sorted(i.file for i in router.instances)


def test_a_report_from_a_school_travels_through_the_chapters(router):
    ch1 = router.add(h.Instance("ch1-identification.bpmn", h.real_now))
    ch1.start({"case_id": "case-7", "registration_number": "2024-000007", "reporting_agency": "education_org",
               "received_at": h.fresh()})
    ch1.complete("register_education_org", received_at=h.fresh(), offence_signs=True)
    router.route()
    # P5, P8.4: guardianship, КДНЗП and police at once; P8.1: the school's own chapter 2 starts
    assert files(router) == ["ch1-identification.bpmn", "ch2-education.bpmn", "ch3-kdnzp.bpmn", "ch4-police.bpmn",
                             "ch5-guardianship.bpmn"]

    ch1.complete("primary_info_education_org", priority_agency="education_org", education_emergency=True)
    ch1.complete("mio_assign", priority_agency="education_org").complete("report_emergency_education_org")
    router.route()
    assert ch1.completed
    assert files(router) == ["ch1-identification.bpmn", "ch2-education.bpmn", "ch3-kdnzp.bpmn", "ch4-police.bpmn",
                             "ch5-guardianship.bpmn", "notice-mes-committee.bpmn"]
    for inst in router.instances[1:]:
        assert inst.ready() == ["ack_notice"], inst.file
        assert inst.case_id == "case-7"
        assert inst.ready_task("ack_notice").data["registration_number"] == "2024-000007"

    # the school's chapter knows everybody heard of the case: it tells nobody twice
    ch2 = router.of("ch2-education.bpmn")[0]
    ch2.complete("ack_notice")
    assert ch2.take_sent() == [] and ch2.ready() == ["review_report"]
    police = router.of("ch4-police.bpmn")

    # the police find a toddler unsafe at home: the health organisation is asked to admit the child
    first = police[0]
    first.complete("ack_notice").complete("review_report", offence_type="criminal", child_safe_at_home=False)
    first.complete("investigate").complete("decide_placement", child_age_years=2)
    router.route()
    health = router.of("ch6-health.bpmn")
    assert len(health) == 1 and health[0].ready() == ["ack_infant_request"]
    assert agency_for_lane(health[0].lane_of("ack_infant_request")) == "health"
    assert health[0].ready_task("ack_infant_request").data["child_age_years"] == 2

    # ... and petition the guardianship, whose notice instance is already running
    first.complete("prevention_work").complete("notify_agencies", parental_rights_petition_needed=True)
    first.complete("petition_guardianship")
    router.route()
    petitions = [i for i in router.of("ch5-guardianship.bpmn") if "ack_petition" in i.ready()]
    assert len(petitions) == 1
    petitions[0].complete("ack_petition")
    assert "court_materials" in petitions[0].ready()

    # the guardianship removes the child: the prosecutor acknowledges
    guardianship = router.of("ch5-guardianship.bpmn")[0]
    guardianship.complete("ack_notice").complete("protect_rights", removal_needed=True)
    router.route()
    prosecutor = router.of("notice-prosecutor.bpmn")
    assert len(prosecutor) == 1 and prosecutor[0].ready() == ["ack_notice"]      # before the removal act
    assert prosecutor[0].ready_task("ack_notice").data["clause"] == "P12.2"
    guardianship.complete("remove_child")
    assert ("prosecutor_notified", "ch5-guardianship.bpmn", "started notice-prosecutor.bpmn") in router.log


def test_a_police_report_without_offence_signs_goes_to_the_priority_agency_only(router):
    ch1 = router.add(h.Instance("ch1-identification.bpmn", h.real_now))
    ch1.start({"case_id": "case-8", "registration_number": "2024-000008", "reporting_agency": "police",
               "received_at": h.fresh()})
    ch1.complete("register_police", received_at=h.fresh(), offence_signs=False)
    ch1.complete("primary_info_police", priority_agency="social_protection")
    ch1.complete("mio_assign", priority_agency="social_protection")
    router.route()
    assert files(router) == ["ch1-identification.bpmn", "ch3-kdnzp.bpmn", "ch4-police.bpmn", "ch5-guardianship.bpmn",
                             "ch7-social-protection.bpmn"]
