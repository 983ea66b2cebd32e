"""(d) An anonymous report from the media about a 15-year-old with no ИИН, placed in a crisis centre."""
from datetime import date

RECEIVED = "2026-12-02T11:00:00+05:00"
CHILD = {"last_name": "Неизвестная", "first_name": "Айгерим", "iin": None, "no_iin_reason": "undocumented",
         "birth_date": "2011-04-10", "sex": "female"}


def test_anonymous_media_report_places_a_child_without_iin_in_a_centre(report, agencies, make_user):
    auditor = make_user("auditor", None, "auditor")
    case = report("social_protection", RECEIVED)

    # without a ИИН the reason is required; with it the form passes
    task = agencies["social_protection"].task(case.id, "register_social_protection")
    missing_reason = {**CHILD, "no_iin_reason": None}
    from sample import data_for
    body = data_for("ch1-registration.schema.json", channel="media", reporter={"anonymous": True},
                    offence_signs=True, received_at=RECEIVED)
    body["child"] = {k: v for k, v in missing_reason.items() if v is not None}
    refused = agencies["social_protection"].staff.post(f"/tasks/{task['id']}/complete", json={"data": body},
                                                       headers={"X-Test-Now": RECEIVED})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["child.no_iin_reason"]

    case.work("social_protection", "register_social_protection", received_at=RECEIVED, channel="media",
              detected_by="social_protection", reporter={"anonymous": True}, child=CHILD, offence_signs=True,
              case_summary="Публикация в СМИ о побоях девочки-подростка")
    case.work("social_protection", "primary_info_social_protection", child=CHILD, priority_agency="police",
              education_emergency=False, when="2026-12-02T11:20:00+05:00")
    case.route("2026-12-02T11:21:00+05:00")

    case.work("police", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-02T11:30:00+05:00")
    case.work("police", "review_report", offence_type="criminal", child_safe_at_home=False,
              documents_help_needed=True, report_date=date(2026, 12, 2))
    case.work("police", "investigate")
    case.work("police", "decide_placement", child_age_years=15)                 # P11.7: not an infant → centre
    case.route("2026-12-02T12:00:00+05:00")

    # Chapter 8: the crisis centre acknowledges, admits and works with the girl (P15.1–P15.3)
    assert case.open_tasks("center") == ["ack_notice"]
    case.work("center", "ack_notice", acknowledged=True, already_in_work=False, when="2026-12-02T12:30:00+05:00")
    case.work("center", "admit_child")
    case.work("center", "assess_maladjustment")
    assert case.open_tasks("center")

    instances = case.instances(auditor)
    centre = instances["ch8_centres"][0]
    data = auditor.get(f"/process-instances/{centre['id']}").json()["data"]
    assert data["case_id"] == case.id and data["registration_number"] == case.registration_number
    # the registration kept the child without a ИИН, with its reason
    ch1 = auditor.get(f"/process-instances/{instances['ch1_identification'][0]['id']}").json()["data"]
    assert ch1["child"]["iin"] is None and ch1["child"]["no_iin_reason"] == "undocumented"
    assert ch1["channel"] == "media" and ch1["reporter"]["anonymous"] is True
