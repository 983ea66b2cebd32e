"""Chapter 1 run with raw SpiffWorkflow: who registers, what is sent at once, what the MIO assigns, deadlines."""
from __future__ import annotations

import pytest

import process_harness as h
from app.agencies import agency_for_lane

FILE = "ch1-identification.bpmn"
DETECTING = ["education_org", "police", "health", "social_protection", "local_executive"]


def start(run, agency, received_at=None, now=h.real_now):
    inst = run(FILE, now)
    inst.start({"case_id": "case-1", "registration_number": "2024-000001", "reporting_agency": agency,
                "received_at": received_at or h.fresh()})
    return inst


def registered(run, agency="education_org", offence=False, received_at=None, now=h.real_now):
    received_at = received_at or h.fresh()
    inst = start(run, agency, received_at, now)
    inst.complete(f"register_{agency}", received_at=received_at, offence_signs=offence)
    return inst


@pytest.mark.parametrize("agency", DETECTING)
def test_the_report_is_registered_in_the_lane_of_the_agency_that_received_it(run, agency):
    inst = start(run, agency)
    assert inst.ready() == [f"register_{agency}"]
    assert agency_for_lane(inst.lane_of(f"register_{agency}")) == agency
    assert inst.take_sent() == []


@pytest.mark.parametrize("agency", ["kdnzp", "education_authority", "center"])
def test_staff_of_other_local_bodies_register_in_the_mio_lane(run, agency):
    inst = start(run, agency)
    assert inst.ready() == ["register_local_executive"]


INTAKE = {   # what a registration sends at once, by the agency that received the report (sorted by name)
    "education_org": (["education_org_notified", "guardianship_notified", "kdnzp_notified", "police_notified"],
                      {"guardianship_notified": "P5", "kdnzp_notified": "P8.4", "police_notified": "P8.4",
                       "education_org_notified": "P8.1"}),
    "health": (["guardianship_notified", "health_notified", "kdnzp_notified", "police_notified"],
               {"guardianship_notified": "P5", "kdnzp_notified": "P13.3", "police_notified": "P13.3",
                "health_notified": "P13.1"}),
    "social_protection": (["guardianship_notified", "kdnzp_notified", "police_notified",
                           "social_protection_notified"],
                          {"guardianship_notified": "P5", "kdnzp_notified": "P14.1", "police_notified": "P14.1",
                           "social_protection_notified": "P14.1"}),
    "police": (["guardianship_notified", "kdnzp_notified", "police_notified"],
               {"guardianship_notified": "P5", "kdnzp_notified": "P11.3", "police_notified": "P11.4"}),
    "local_executive": (["guardianship_notified", "kdnzp_notified", "police_notified"],
                        {"guardianship_notified": "P5", "kdnzp_notified": "P10.2", "police_notified": "P4.c"}),
}


@pytest.mark.parametrize("agency", DETECTING)
def test_registration_tells_guardianship_kdnzp_and_police_and_starts_the_reporters_chapter(run, agency):
    """Points 1 and 5 of issue 12: КДНЗП hears of every report at intake, police of every fact reported to a
    school, hospital or social-protection office (P8.4, P13.3, P14.1), and the reporter's own chapter starts."""
    received = h.fresh()
    inst = registered(run, agency, offence=True, received_at=received)
    sent = inst.take_sent()
    names, clauses = INTAKE[agency]
    assert sorted(s.name for s in sent) == names
    assert {s.name: s.payload["clause"] for s in sent} == clauses
    for s in sent:
        assert set(h.STANDARD_PAYLOAD) <= set(s.payload)
        assert s.payload["case_id"] == "case-1" and s.payload["registration_number"] == "2024-000001"
        assert s.payload["notified_by"] == agency
        assert s.payload["child"]["last_name"] == "Сериков"
        assert s.payload["report_received_at"] == received       # "immediately" counts from receipt (point 4)
    assert inst.ready() == [f"primary_info_{agency}"]
    assert agency_for_lane(inst.lane_of(f"primary_info_{agency}")) == agency


def test_without_offence_signs_a_local_body_tells_guardianship_and_kdnzp(run):
    inst = registered(run, "local_executive", offence=False)
    assert sorted(s.name for s in inst.take_sent()) == ["guardianship_notified", "kdnzp_notified"]


def test_a_hospital_tells_the_police_even_without_offence_signs(run):
    inst = registered(run, "health", offence=False)
    assert "police_notified" in [s.name for s in inst.take_sent()]


@pytest.mark.parametrize("agency", ["education_org", "health", "social_protection", "local_executive"])
def test_offence_signs_found_in_the_primary_information_reach_the_police(run, agency):
    """Point 3: signs that come to light while writing the P4.a primary information go to the police at once."""
    inst = registered(run, agency, offence=False)
    inst.take_sent()
    inst.complete(f"primary_info_{agency}", offence_signs_found=True)
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["police_notified"] and sent[0].payload["clause"] == "P4.c"


def test_signs_already_reported_at_registration_are_not_sent_twice_by_a_local_body(run):
    inst = registered(run, "local_executive", offence=True)
    inst.take_sent()
    inst.complete("primary_info_local_executive", offence_signs_found=True)
    assert inst.take_sent() == []


def test_registration_is_due_immediately_from_receipt(run):
    """Point 4: registration (and with it the P4.c/P5 notices) is due within the acknowledgement window of receipt."""
    received = "2024-03-01T10:00:00+05:00"
    inst = start(run, "health", received_at=received)
    assert inst.due("deadline_register_health") == "2024-03-01T11:00:00+05:00"


def test_primary_information_goes_to_the_mio_who_assigns_the_priority_agency(run):
    inst = registered(run, "police", offence=False)
    inst.take_sent()
    inst.complete("primary_info_police", priority_agency="education_org", education_emergency=False)
    assert inst.ready() == ["mio_assign"]
    assert agency_for_lane(inst.lane_of("mio_assign")) == "local_executive"
    inst.complete("mio_assign", priority_agency="education_org")
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["education_org_notified"]    # the police's own chapter 4 runs already
    payload = sent[0].payload
    assert payload["clause"] == "P4.b" and payload["notified_by"] == "local_executive"
    assert payload["priority_agency"] == "education_org"
    assert payload["address"]["locality"] == "Караганда" and payload["family_members"][0]["relation"] == "mother"
    assert inst.completed


@pytest.mark.parametrize("reporter, priority, offence, message", [
    ("local_executive", "education_org", False, "education_org_notified"),
    ("education_org", "education_org", False, None),          # the school's chapter 2 started at registration
    ("local_executive", "police", False, "police_notified"),
    ("local_executive", "police", True, None),                # already told at registration (P4.c)
    ("education_org", "police", False, None),                 # told at registration (P8.4)
    ("education_org", "kdnzp", False, None),                  # told at registration (P8.4)
    ("education_org", "health", True, "health_notified"),
    ("health", "health", True, None),                         # the hospital's chapter 6 started at registration
    ("education_org", "social_protection", False, "social_protection_notified"),
    ("education_org", "education_authority", False, None),    # already told at registration (P5)
])
def test_the_mio_assignment_starts_the_priority_agencys_chapter(run, reporter, priority, offence, message):
    inst = registered(run, reporter, offence=offence)
    inst.complete(f"primary_info_{reporter}", priority_agency=priority)
    inst.take_sent()
    inst.complete("mio_assign", priority_agency=priority)
    assert [s.name for s in inst.take_sent()] == ([message] if message else [])
    assert inst.completed


def test_the_mio_may_choose_another_priority_agency(run):
    inst = registered(run, "social_protection")
    inst.complete("primary_info_social_protection", priority_agency="education_org")
    inst.take_sent()
    inst.complete("mio_assign", priority_agency="health")
    assert [s.name for s in inst.take_sent()] == ["health_notified"]


def test_an_emergency_in_education_is_reported_to_the_committee_by_the_registering_agency(run):
    inst = registered(run, "police", offence=True)
    inst.take_sent()
    inst.complete("primary_info_police", education_emergency=True)
    # point 8 of issue 12: the report lands in the lane of the agency that registered the case
    assert inst.ready() == ["mio_assign", "report_emergency_police"]
    assert agency_for_lane(inst.lane_of("report_emergency_police")) == "police"
    inst.complete("report_emergency_police")
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["mes_committee_notified"]
    assert sent[0].payload["clause"] == "P7"
    assert sent[0].payload["emergency_report"]["organisation"] == "Школа № 5"
    assert not inst.completed
    inst.complete("mio_assign")
    assert inst.completed


# -- deadlines ---------------------------------------------------------------------------------------------
FRIDAY = "2024-03-01T10:00:00+05:00"         # a Friday
BEFORE_8_MARCH = "2024-03-07T10:00:00+05:00"  # Thursday before International Women's Day (a Friday holiday)


def test_primary_information_is_due_in_one_working_day_then_escalated_to_a_supervisor(run):
    inst = registered(run, "health", received_at=FRIDAY)
    f = h.functions(h.real_now)
    assert inst.due("deadline_primary_info_health") == f["add_working_days"](FRIDAY, 1) \
        == "2024-03-05T00:00:00+05:00"                     # end of Monday
    inst.fire_timers()
    # registered in 2024: the registration's own deadline (immediately from receipt) has passed too
    assert inst.ready() == ["escalate_primary_info_health", "escalate_register_health", "primary_info_health"]
    assert inst.properties("escalate_primary_info_health")["requiredRole"] == "supervisor"
    assert inst.lane_of("escalate_primary_info_health") == inst.lane_of("primary_info_health")
    inst.complete("escalate_primary_info_health")
    inst.complete("primary_info_health")
    assert "mio_assign" in inst.ready()


def test_the_working_day_calendar_skips_public_holidays(run):
    inst = registered(run, "education_org", received_at=BEFORE_8_MARCH)
    assert inst.due("deadline_primary_info_education_org") == "2024-03-12T00:00:00+05:00"   # Friday 8 March is off


def test_the_mio_has_two_calendar_days_from_receipt(run):
    inst = registered(run, "police", received_at=FRIDAY)
    inst.complete("primary_info_police")
    # on a Friday, two calendar days end on Sunday: the term moves to Monday's end (issue 12, point 12)
    assert inst.due("deadline_mio_assign") == "2024-03-05T00:00:00+05:00"
    inst.fire_timers()
    assert "escalate_mio_assign" in inst.ready()
    assert agency_for_lane(inst.lane_of("escalate_mio_assign")) == "local_executive"


def test_the_committee_report_is_due_in_one_working_day(run):
    inst = registered(run, "education_org", received_at=FRIDAY)
    inst.complete("primary_info_education_org", education_emergency=True)
    assert inst.due("deadline_report_emergency_education_org") == "2024-03-05T00:00:00+05:00"
    inst.fire_timers()
    assert "escalate_report_emergency_education_org" in inst.ready()


def test_nothing_is_escalated_before_its_time(run):
    inst = registered(run, "education_org")
    inst.fire_timers()
    assert inst.ready() == ["primary_info_education_org"]
