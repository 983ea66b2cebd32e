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


@pytest.mark.parametrize("agency", DETECTING)
def test_offence_signs_reach_the_police_and_every_fact_the_guardianship_at_registration(run, agency):
    inst = registered(run, agency, offence=True)
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["guardianship_notified", "police_notified"]
    assert [s.payload["clause"] for s in sent] == ["P5", "P4.c"]
    for s in sent:
        assert set(h.STANDARD_PAYLOAD) <= set(s.payload)
        assert s.payload["case_id"] == "case-1" and s.payload["registration_number"] == "2024-000001"
        assert s.payload["notified_by"] == agency
        assert s.payload["child"]["last_name"] == "Сериков"
    assert inst.ready() == [f"primary_info_{agency}"]
    assert agency_for_lane(inst.lane_of(f"primary_info_{agency}")) == agency


def test_without_offence_signs_only_the_guardianship_is_told(run):
    inst = registered(run, "health", offence=False)
    assert [s.name for s in inst.take_sent()] == ["guardianship_notified"]


def test_primary_information_goes_to_the_mio_who_assigns_the_priority_agency(run):
    inst = registered(run, "police", offence=False)
    inst.take_sent()
    inst.complete("primary_info_police", priority_agency="education_org", education_emergency=False)
    assert inst.ready() == ["mio_assign"]
    assert agency_for_lane(inst.lane_of("mio_assign")) == "local_executive"
    inst.complete("mio_assign", priority_agency="education_org")
    sent = inst.take_sent()
    assert [s.name for s in sent] == ["education_org_notified"]
    payload = sent[0].payload
    assert payload["clause"] == "P4.b" and payload["notified_by"] == "local_executive"
    assert payload["priority_agency"] == "education_org"
    assert payload["address"]["locality"] == "Караганда" and payload["family_members"][0]["relation"] == "mother"
    assert inst.completed


@pytest.mark.parametrize("priority, offence, message", [
    ("education_org", False, "education_org_notified"),
    ("police", False, "police_notified"),
    ("police", True, None),                      # already told at registration (P4.c)
    ("kdnzp", False, "kdnzp_notified"),
    ("health", True, "health_notified"),
    ("social_protection", False, "social_protection_notified"),
    ("education_authority", False, None),        # already told at registration (P5)
])
def test_the_mio_assignment_starts_the_priority_agencys_chapter(run, priority, offence, message):
    inst = registered(run, "education_org", offence=offence)
    inst.complete("primary_info_education_org", priority_agency=priority)
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


def test_an_emergency_in_education_is_reported_to_the_committee(run):
    inst = registered(run, "police", offence=True)
    inst.take_sent()
    inst.complete("primary_info_police", education_emergency=True)
    assert inst.ready() == ["mio_assign", "report_emergency"]
    assert agency_for_lane(inst.lane_of("report_emergency")) == "education_org"
    inst.complete("report_emergency")
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
    assert inst.ready() == ["escalate_primary_info_health", "primary_info_health"]
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
    # on a Friday, two calendar days end before one working day does
    assert inst.due("deadline_mio_assign") == "2024-03-04T00:00:00+05:00"
    inst.fire_timers()
    assert "escalate_mio_assign" in inst.ready()
    assert agency_for_lane(inst.lane_of("escalate_mio_assign")) == "local_executive"


def test_the_committee_report_is_due_in_one_working_day(run):
    inst = registered(run, "education_org", received_at=FRIDAY)
    inst.complete("primary_info_education_org", education_emergency=True)
    assert inst.due("deadline_report_emergency") == "2024-03-05T00:00:00+05:00"
    inst.fire_timers()
    assert "escalate_report_emergency" in inst.ready()


def test_nothing_is_escalated_before_its_time(run):
    inst = registered(run, "education_org")
    inst.fire_timers()
    assert inst.ready() == ["primary_info_education_org"]
