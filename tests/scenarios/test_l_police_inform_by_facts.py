"""(l) Issue 12, point 2 for chapter 4: the police tell КДНЗП and guardianship what the Guide requires by the
facts of the case, not by a tick. P11.3: whoever has not heard of the case yet (the case's messages say who
has); P11.9: when the review found an offence, both hear that materials are collected for court, even if
chapter 1 told them of the report already."""

import re

RECEIVED = "2026-12-01T10:00:00+05:00"        # a Tuesday


def notices(case, agency):
    """The clause of each notice the agency was asked to acknowledge in this case."""
    team = case.agencies[agency]
    return sorted(team.staff.get(f"/tasks/{t['id']}").json()["data"]["clause"]
                  for t in team.tasks(case.id) if t["bpmn_id"] == "ack_notice")


def _police_case(report, offence_type: str):
    case = report("police", RECEIVED)
    case.work("police", "register_police", received_at=RECEIVED, detected_by="police", channel="oral_or_remote",
              offence_signs=offence_type != "none", case_summary="Побои со стороны отчима")
    case.route("2026-12-01T10:01:00+05:00")
    # chapter 1 told guardianship (P5) and КДНЗП (P11.3) of the report already
    assert notices(case, "education_authority") == ["P5"] and notices(case, "kdnzp") == ["P11.3"]
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "review_report", offence_type=offence_type, child_safe_at_home=True)
    if offence_type == "criminal":
        case.work("police", "investigate")
    case.work("police", "prevention_work")
    return case


def test_an_offence_found_reaches_kdnzp_and_guardianship_without_a_tick(report, agencies):
    case = _police_case(report, "criminal")
    task = agencies["police"].task(case.id, "notify_agencies")
    schema = agencies["police"].staff.get(f"/tasks/{task['id']}").json()["form_schema"]
    assert "notify_note" in schema["properties"]
    assert not {"inform_kdnzp", "inform_guardianship"} & set(schema["properties"])         # nothing to tick
    case.work("police", "notify_agencies", parental_rights_petition_needed=False,
              notify_note="Возбуждено уголовное дело, собираются материалы для суда.")
    case.route("2026-12-01T10:30:00+05:00")
    assert notices(case, "education_authority") == ["P11.9", "P5"]
    assert notices(case, "kdnzp") == ["P11.3", "P11.9"]
    told = [agencies["kdnzp"].staff.get(f"/tasks/{t['id']}").json()["data"]
            for t in agencies["kdnzp"].tasks(case.id) if t["bpmn_id"] == "ack_notice"]
    (p119,) = [d for d in told if d["clause"] == "P11.9"]
    assert p119["offence_type"] == "criminal" and p119["note"].startswith("Возбуждено уголовное дело")


def test_no_offence_and_everyone_told_at_intake_sends_nothing_twice(report, agencies):
    case = _police_case(report, "none")
    case.work("police", "notify_agencies", parental_rights_petition_needed=False)
    case.route("2026-12-01T10:30:00+05:00")
    assert notices(case, "education_authority") == ["P5"] and notices(case, "kdnzp") == ["P11.3"]
    assert "close_police_work" in case.open_tasks("police")


def test_the_placement_form_comes_with_the_age_the_iin_holds(report, agencies, make_user, server):
    """Issue 12 §13: the police do not type an age the case knows: the ИИН says the child is 2."""
    from datetime import date

    from app.forms.iin import make_iin
    from support import signed_in
    child = {"last_name": "Серикова", "first_name": "Айя", "iin": make_iin(date(2024, 6, 1), "female"),
             "birth_date": "2024-06-01", "sex": "female"}
    case = report("police", RECEIVED)
    case.work("police", "register_police", received_at=RECEIVED, detected_by="police", channel="oral_or_remote",
              offence_signs=False, child=child, case_summary="Малышка одна дома")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "review_report", offence_type="none", child_safe_at_home=False)
    task = agencies["police"].task(case.id, "decide_placement")
    assert agencies["police"].staff.get(f"/tasks/{task['id']}").json()["data"]["child_age_years"] == 2
    make_user("police.desk", "police", "staff", password="police-desk-password")
    page = signed_in(server, "police.desk", "police-desk-password").get(f"{server}/tasks/{task['id']}")
    assert page.status_code == 200
    assert re.search(r'<input[^>]*name="child_age_years"[^>]*value="2"|<input[^>]*value="2"[^>]*name="child_age_years"',
                     page.text), "the age field is not filled in"
