"""(k) Issue 12, point 10: a second report about the same child (same ИИН) is shown the child's case and
linked to it, or opens a new case only with a reason; never merged silently."""
from datetime import date

from app.forms.iin import make_iin
from sample import data_for

BIRTH = date(2015, 3, 14)
CHILD = {"last_name": "Нурланова", "first_name": "Айша", "birth_date": BIRTH.isoformat(), "sex": "female",
         "iin": make_iin(BIRTH, "female")}
DAY1, DAY2 = "2026-12-01T10:00:00+05:00", "2026-12-02T11:00:00+05:00"


def _register(agencies, agency: str, bpmn_id: str, when: str, **decision):
    """Start chapter 1 as ``agency`` and complete its registration form about CHILD; returns (case_id, answer)."""
    api = agencies[agency].staff
    started = api.post("/process-instances", json={"process_id": "ch1_identification", "data": {}},
                       headers={"X-Test-Now": when})
    assert started.status_code == 201, started.text
    case_id = started.json()["case_id"]
    task = agencies[agency].task(case_id, bpmn_id)
    data = data_for(task["form"], received_at=when, detected_by="education" if agency == "education_org" else agency, channel="oral_or_remote",
                    offence_signs=False, child=CHILD, case_summary="Синяки")
    complete = lambda **d: api.post(f"/tasks/{task['id']}/complete", json={"data": data, **d},  # noqa: E731
                                    headers={"X-Test-Now": when})
    complete.task, complete.data = task, data
    return case_id, complete


def test_the_hospital_is_shown_the_schools_case_and_links_to_it(agencies, guide, run_due):
    from support import at
    school_case, complete = _register(agencies, "education_org", "register_education_org", DAY1)
    assert complete().status_code == 200
    run_due(at("2026-12-01T10:05:00+05:00"))

    hospital_case, complete = _register(agencies, "health", "register_health", DAY2)
    asked = complete()
    assert asked.status_code == 409, asked.text
    body = asked.json()
    assert {e["field"] for e in body["errors"]} == {"link_to_case", "new_case_reason"}
    (found,) = body["same_child_cases"]
    # all the hospital learns: a case of this child exists, its number, who registered it and when
    assert set(found) == {"id", "registration_number", "opened_agency", "opened_on"}
    assert found["id"] == school_case and found["opened_agency"] == "education_org"
    assert found["opened_on"] == "2026-12-01"
    assert agencies["health"].staff.get(f"/cases/{school_case}").status_code == 403   # linking grants nothing

    assert complete(link_to_case="no-such-case").json()["errors"][0]["field"] == "link_to_case"
    linked = complete(link_to_case=school_case)
    assert linked.status_code == 200, linked.text
    run_due(at("2026-12-02T11:05:00+05:00"))

    # guardianship sees the link on both cases; each case's log records it
    guardianship = agencies["education_authority"].staff
    for case_id, other in ((school_case, hospital_case), (hospital_case, school_case)):
        shown = guardianship.get(f"/cases/{case_id}")
        assert shown.status_code == 200, shown.text
        (link,) = shown.json()["linked_cases"]
        assert link["id"] == other and link["kind"] == "linked" and link["decided_agency"] == "health"
        assert "case_linked" in [e["type"] for e in shown.json()["timeline"]]
    # КДНЗП, told at intake of both reports, sees the link on both too
    kdnzp = agencies["kdnzp"].staff
    for case_id in (school_case, hospital_case):
        shown = kdnzp.get(f"/cases/{case_id}")
        assert shown.status_code == 200, (case_id == school_case, shown.text)
        assert len(shown.json()["linked_cases"]) == 1


def test_a_new_case_of_the_same_child_needs_a_reason_and_records_it(agencies, guide):
    school_case, complete = _register(agencies, "education_org", "register_education_org", DAY1)
    assert complete().status_code == 200
    hospital_case, complete = _register(agencies, "health", "register_health", DAY2)

    blank = complete(new_case_reason="  ")
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "new_case_reason"
    kept = complete(new_case_reason="Другой эпизод: травма дома, школа сообщала о буллинге")
    assert kept.status_code == 200, kept.text

    (link,) = agencies["health"].staff.get(f"/cases/{hospital_case}").json()["linked_cases"]
    assert link["id"] == school_case and link["kind"] == "separate" and link["reason"].startswith("Другой эпизод")
    school = agencies["education_org"].staff.get(f"/cases/{school_case}").json()
    assert school["linked_cases"][0]["id"] == hospital_case
    assert "case_kept_separate" in [e["type"] for e in school["timeline"]]


def test_the_task_page_asks_which_case_and_links_the_report(agencies, guide, make_user, server):
    import lxml.html
    from support import signed_in
    school_case, complete = _register(agencies, "education_org", "register_education_org", DAY1)
    assert complete().status_code == 200
    hospital_case, complete = _register(agencies, "health", "register_health", DAY2)
    task_id = complete.task["id"]
    nurse = agencies["health"].staff
    assert nurse.put(f"/tasks/{task_id}/draft", json={"data": complete.data}).status_code == 200  # as typed
    make_user("health.nurse", "health", "staff", password="registration-desk-2026")
    page = signed_in(server, "health.nurse", "registration-desk-2026")
    page.headers["X-Test-Now"] = DAY2

    def submit(**extra):
        html = lxml.html.fromstring(page.get(f"{server}/tasks/{task_id}").text)
        form = next(f for f in html.forms if "task-form" in (f.get("class") or ""))
        return page.post(f"{server}/tasks/{task_id}", data=[*form.form_values(), ("__action", "complete"),
                                                            *extra.items()], allow_redirects=False)

    asked = submit()
    assert asked.status_code == 409 and "У ребёнка уже есть дело" in asked.text
    assert f'name="same_child" value="{school_case}"' in asked.text                  # the school's case, offered
    no_reason = submit(same_child="new", new_case_reason=" ")
    assert no_reason.status_code == 422 and 'name="same_child"' in no_reason.text      # asked again, in place
    linked = submit(same_child=school_case)
    assert linked.status_code == 302, linked.text[:500]
    (link,) = nurse.get(f"/cases/{hospital_case}").json()["linked_cases"]
    assert link["id"] == school_case and link["kind"] == "linked"
    assert "Связано с другим делом ребёнка" in page.get(f"{server}/cases/{hospital_case}").text   # the timeline says so


def test_two_registrations_of_the_child_completed_at_once_never_make_two_unrelated_cases(
        agencies, guide, monkeypatch):
    """A school and a hospital register the same child at the same moment: the second to commit is shown the
    first's case (409) and links to it. The window between looking for the child's case and committing is
    widened to 0.3 s, so without turns both would find none and both would open an unrelated case."""
    import threading
    import time

    from app.instances import service
    looked = service.same_child_check

    def slow_check(*args, **kwargs):
        looked(*args, **kwargs)
        time.sleep(0.3)                           # the engine step and the commit follow the check
    monkeypatch.setattr(service, "same_child_check", slow_check)

    school_case, school = _register(agencies, "education_org", "register_education_org", DAY1)
    hospital_case, hospital = _register(agencies, "health", "register_health", DAY1)
    barrier, answers = threading.Barrier(2), {}

    def complete(name, send):
        barrier.wait()
        answers[name] = send()

    threads = [threading.Thread(target=complete, args=item) for item in (("school", school), ("hospital", hospital))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [200, 409], {k: (r.status_code, r.text[:300]) for k, r in answers.items()}
    (second,) = [k for k, r in answers.items() if r.status_code == 409]
    first_case, second_case, send = ((school_case, hospital_case, hospital) if second == "hospital"
                                     else (hospital_case, school_case, school))
    assert [c["id"] for c in answers[second].json()["same_child_cases"]] == [first_case]
    linked = send(link_to_case=first_case)
    assert linked.status_code == 200, linked.text
    team = agencies["health" if second == "hospital" else "education_org"]
    (link,) = team.staff.get(f"/cases/{second_case}").json()["linked_cases"]
    assert link["id"] == first_case and link["kind"] == "linked"
