"""The case page lists the child's other cases (same ИИН, issue 12 §10) over real HTTP: a reader who may see
both cases (an auditor; guardianship, told of both reports) gets each linked case's number as a link to it; a reader who may open only one of them is not shown
the other (a link grants no access, app/access.linked_cases_shown)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from support import signed_in

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "linked-cases-password"
DAY1, DAY2 = "2026-12-01T09:00:00+05:00", "2026-12-01T09:00:03+05:00"
CHILD = {"last_name": "Нурланова", "first_name": "Айша", "iin": "150312600124", "birth_date": "2015-03-12",
         "sex": "female"}


def _registration(agency: str, received_at: str) -> dict:
    return {"received_at": received_at, "detected_by": agency, "detection_context": "visit",
            "channel": "oral_or_remote", "reporter": {"anonymous": True}, "child": CHILD,
            "event_place": "г. Талгар", "case_summary": "Синяки на руках.", "offence_signs": False}


def _deploy(app):
    from app.extensions import db
    from app.registry.service import deploy
    with app.app_context():
        for path in sorted((ROOT / "processes").glob("*.bpmn")):     # the notices start the other chapters
            deploy(db.session, bpmn=path.read_bytes(), forms={}, forms_dir=str(ROOT / "forms"), deployed_by="test")
        db.session.remove()


def _register(api, bpmn_id: str, data: dict, **decision):
    started = api.post("/process-instances", json={"process_id": "ch1_identification", "data": {}})
    assert started.status_code == 201, started.text
    case_id = started.json()["case_id"]
    task = next(t for t in api.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == bpmn_id)
    return case_id, lambda **d: api.post(f"/tasks/{task['id']}/complete", json={"data": data, **d})


def _linked_section(page: str) -> str | None:
    if 'id="linked-title"' not in page:
        return None
    start = page.index('id="linked-title"')
    return page[start:page.index("</section>", start)]


def test_the_case_page_links_the_childs_other_case_for_readers_of_both(app, make_user, server, run_due):
    _deploy(app)
    school = make_user("school.desk", "education_org", "staff", password=PASSWORD)
    hospital = make_user("hospital.desk", "health", "staff", password=PASSWORD)
    make_user("auditor.national", None, "auditor", password=PASSWORD)
    make_user("guardianship.desk", "education_authority", "staff", password=PASSWORD)

    school_case, complete = _register(school, "register_education_org", _registration("education", DAY1))
    assert complete().status_code == 200
    hospital_case, complete = _register(hospital, "register_health", _registration("health", DAY2))
    assert complete().status_code == 409                               # the school's case is offered first
    assert complete(link_to_case=school_case).status_code == 200
    numbers = {c: school.get(f"/cases/{c}").json()["registration_number"] if c == school_case
               else hospital.get(f"/cases/{c}").json()["registration_number"] for c in (school_case, hospital_case)}

    run_due(datetime.now(timezone.utc))           # the worker delivers chapter 1's notices: guardianship is told

    # an auditor sees every case; guardianship, told of both reports (P5), sees both: the link both ways
    readers = [signed_in(server, "auditor.national", PASSWORD), signed_in(server, "guardianship.desk", PASSWORD)]
    for reader, (case_id, other) in [(r, pair) for r in readers
                                      for pair in ((school_case, hospital_case), (hospital_case, school_case))]:
        page = reader.get(f"{server}/cases/{case_id}")
        assert page.status_code == 200, page.text[:300]
        section = _linked_section(page.text)
        assert section is not None and "Другие дела ребёнка" in section
        (href,) = re.findall(r'href="([^"]+)"', section)
        assert href == f"/cases/{other}"
        assert f">{numbers[other]}</a>" in section
        assert "Связано с другим делом ребёнка" in section
        assert reader.get(server + href).status_code == 200              # the link opens

    # the hospital may open its own case only: the school's case is not listed there, nor opened
    nurse = signed_in(server, "hospital.desk", PASSWORD)
    page = nurse.get(f"{server}/cases/{hospital_case}")
    assert page.status_code == 200 and _linked_section(page.text) is None
    assert f'href="/cases/{school_case}"' not in page.text     # (its log may name the number: same_child.py)
    assert nurse.get(f"{server}/cases/{school_case}").status_code == 403
    teacher = signed_in(server, "school.desk", PASSWORD)
    page = teacher.get(f"{server}/cases/{school_case}")
    assert page.status_code == 200 and _linked_section(page.text) is None
