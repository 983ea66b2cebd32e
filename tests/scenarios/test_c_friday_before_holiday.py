"""(c) A report by phone on the Friday before Nauryz: the 1-working-day deadline lands on the right
day (after five days off), is missed, and escalates to the supervisor."""
from support import at

RECEIVED = "2026-03-20T16:30:00+05:00"   # Friday; 21–25 March 2026 are days off (Nauryz, two moved)


def test_primary_information_deadline_skips_nauryz_then_escalates(report, agencies, make_user):
    auditor = make_user("auditor", None, "auditor")
    case = report("police", RECEIVED)
    case.work("police", "register_police", received_at=RECEIVED, detected_by="police", channel="oral_or_remote",
              offence_signs=False, report_date=at(RECEIVED).date())

    # the police's own chapter 4 starts at registration (P11.4); its notice is acknowledged at once
    case.route("2026-03-20T16:31:00+05:00")
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False, when="2026-03-20T16:40:00+05:00")
    task = agencies["police"].task(case.id, "primary_info_police")
    # end of Thursday 26 March: the first working day after the holidays
    assert at(task["due_at"]) == at("2026-03-27T00:00:00+05:00")

    def overdue_now():
        return agencies["police"].staff.get("/tasks", params={"case": case.id, "overdue": "true"},
                                            headers={"X-Test-Now": case.now}).json()["items"]

    case.route("2026-03-26T23:59:00+05:00")
    assert overdue_now() == []
    case.route("2026-03-27T00:00:01+05:00")
    overdue = overdue_now()
    assert [t["bpmn_id"] for t in overdue] == ["primary_info_police"]
    escalations = agencies["police"].supervisor.get("/tasks", params={"case": case.id}).json()["items"]
    escalation = next(t for t in escalations if t["bpmn_id"] == "escalate_primary_info_police")
    assert escalation["required_role"] == "supervisor"
    # only the supervisor may act on it; the late task can still be done
    refused = agencies["police"].staff.post(f"/tasks/{escalation['id']}/complete", json={"data": {}})
    assert refused.status_code == 403
    case.work("police", "escalate_primary_info_police", who="supervisor", when="2026-03-27T09:00:00+05:00")
    case.work("police", "primary_info_police", priority_agency="police", education_emergency=False,
              report_date=at(RECEIVED).date())

    ch1 = case.instances(auditor)["ch1_identification"][0]
    events = auditor.get(f"/process-instances/{ch1['id']}/events").json()["items"]
    overdue_events = [e for e in events if e["type"] == "overdue"]
    # P4.a missed at midnight; P4.b (2 calendar days, to 23 March) was already past when the MIO's task
    # opened on the 27th, so it is overdue from the moment it exists
    assert [(e["bpmn_id"], e["actor"]) for e in overdue_events] == [("primary_info_police", "system"),
                                                                    ("mio_assign", "system")]
    assert at(overdue_events[0]["at"]) == at("2026-03-27T00:00:01+05:00")
    assert at(overdue_events[1]["at"]) == at("2026-03-27T09:00:00+05:00")


def test_a_calendar_day_term_ending_on_2_january_ends_on_the_next_working_day(report, agencies, make_user):
    """Issue 12, point 12: P4.b (2 calendar days) for a report of 31 December would end on 2 January, a
    holiday; the term ends on the next working day, Tuesday 5 January 2027 (Monday 4th is the holiday moved
    from Saturday 2nd). The rule is stated where auditors read it: guide.yaml's term_rules and the compliance
    report, which counts P4.b under it."""
    received = "2026-12-31T10:00:00+05:00"
    case = report("education_org", received)
    case.work("education_org", "register_education_org", received_at=received, detected_by="education",
              channel="oral_or_remote", offence_signs=False, report_date=at(received).date())
    case.work("education_org", "primary_info_education_org", priority_agency="education_org",
              education_emergency=False, report_date=at(received).date())
    mio = agencies["local_executive"].task(case.id, "mio_assign")
    assert at(mio["due_at"]) == at("2027-01-06T00:00:00+05:00")

    import yaml
    from support import ROOT
    rules = yaml.safe_load((ROOT / "processes" / "guide.yaml").read_text(encoding="utf-8"))["term_rules"]
    assert "ближайшего следующего рабочего дня" in rules["calendar_days"]
    auditor = make_user("auditor", None, "auditor")
    report_ = auditor.get("/audit/compliance", params={"since": "2026-12-01", "until": "2027-01-31",
                                                       "process_id": "ch1_identification"})
    assert report_.status_code == 200, report_.text
    assert "next working day" in report_.json()["calendar_rules"]["calendar_days"]
    (p4b,) = [r for r in report_.json()["items"] if r["clause"] == "P4.b" and r["agency"] == "local_executive"]
    assert p4b["calendar_rule"] == "calendar_days" and p4b["pending"] == 1
