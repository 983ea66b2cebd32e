"""(n) A notice posted through ``POST /api/v1/messages`` need not carry the child: the chapter it starts takes
what the case knows (chapter 1's registration), or nothing, and still sends its own notices. Chapters 4 and 5
read ``child`` and ``case_summary`` in every notice they throw; a notice without them once stopped the chapter
with a NameError (an incident) at its first notice."""
import pytest

RECEIVED = "2026-12-01T09:00:00+05:00"        # a Tuesday: the pinned clock reads 09:00:05


def _post(case, agency, name, payload):
    r = case.agencies[agency].staff.post("/messages", json={"name": name, "correlation": {"case_id": case.id},
                                                          "payload": payload})
    assert r.status_code == 202, r.text
    return r.json()


def _no_incident(case, make_user, auditor=None):
    auditor = auditor or make_user("auditor", None, "auditor")
    for process_id, items in case.instances(auditor).items():
        for item in items:
            assert item["status"] != "error", (process_id, item)
    r = make_user("incident.owner", None, "process_owner").get("/incidents")
    assert r.status_code == 200, r.text
    assert [i for i in r.json()["items"] if i.get("case_id") in (case.id, None)] == [], r.json()


def test_a_police_notice_without_a_child_runs_to_its_first_notice(report, agencies, make_user):
    case = report("education_org", RECEIVED)          # not registered yet: the case knows no child
    _post(case, "education_org", "police_notified", {"note": "Звонок из школы: ребёнка избивают дома"})
    case.route("2026-12-01T09:01:00+05:00")
    assert case.open_tasks("police") == ["ack_notice"]
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "review_report", offence_type="criminal", child_safe_at_home=True)
    case.work("police", "investigate")
    case.work("police", "prevention_work")
    case.work("police", "notify_agencies", parental_rights_petition_needed=False)
    case.route("2026-12-01T09:30:00+05:00")
    _no_incident(case, make_user)
    # chapter 4's first notices (P11.3/P11.9) reached КДНЗП and guardianship, naming no child
    for agency in ("kdnzp", "education_authority"):
        assert case.open_tasks(agency) == ["ack_notice"], agency
        (ack,) = agencies[agency].tasks(case.id)
        data = agencies[agency].staff.get(f"/tasks/{ack['id']}").json()["data"]
        assert data["child"] is None and data["notified_by"] == "police"
    assert "close_police_work" in case.open_tasks("police")


def test_a_guardianship_notice_without_a_child_runs_to_its_first_notice(report, agencies, make_user):
    case = report("education_org", RECEIVED)
    _post(case, "education_org", "guardianship_notified", {"note": "Ребёнок один дома третий день"})
    case.route("2026-12-01T09:01:00+05:00")
    assert case.open_tasks("education_authority") == ["ack_notice"]
    case.work("education_authority", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("education_authority", "protect_rights", removal_needed=False, parental_rights_case=False)
    case.route("2026-12-01T09:30:00+05:00")
    _no_incident(case, make_user)
    # chapter 5's first notice (P12.7: the police have not heard of the case) reached the police
    assert case.open_tasks("police") == ["ack_notice"]
    (ack,) = agencies["police"].tasks(case.id)
    data = agencies["police"].staff.get(f"/tasks/{ack['id']}").json()["data"]
    assert data["child"] is None and data["notified_by"] == "education_authority"


@pytest.mark.parametrize("name", ["police_notified", "guardianship_notified"])
def test_a_notice_without_a_child_names_the_child_the_case_registered(report, agencies, make_user, name):
    """The chapter a second notice starts knows the child chapter 1 registered (the ack's «Ребёнок: ...»)."""
    from datetime import date

    from app.forms.iin import make_iin
    child = {"last_name": "Нурланова", "first_name": "Дана", "iin": make_iin(date(2015, 3, 4), "female"),
             "birth_date": "2015-03-04", "sex": "female"}
    case = report("education_org", RECEIVED)
    case.work("education_org", "register_education_org", received_at=RECEIVED, detected_by="education",
              channel="oral_or_remote", offence_signs=False, child=child, case_summary="Синяки на руках")
    auditor = make_user("auditor", None, "auditor")
    before = sorted(m["id"] for m in auditor.get("/messages", params={"case_id": case.id}).json()["items"])
    _post(case, "education_org", name, {"note": "Повторное обращение"})
    case.route("2026-12-01T09:01:00+05:00")
    posted = [m for m in auditor.get("/messages", params={"case_id": case.id}).json()["items"]
              if m["id"] not in before and m["name"] == name]
    (message,) = posted
    data = auditor.get(f"/process-instances/{message['delivered_to'][0]}").json()["data"]
    assert data["child"]["last_name"] == "Нурланова" and data["child"]["iin"] == child["iin"]
    assert data["case_summary"] == "Синяки на руках"
    _no_incident(case, make_user, auditor)
    # what the case gave the start is in the start's log: an auditor's re-execution reaches the same state
    verified = auditor.get(f"/process-instances/{message['delivered_to'][0]}/verification").json()
    assert verified["ok"] is True, verified
