"""(j) Issue 12, point 13: forms no longer let the Guide's required content be skipped (P4.a family, P8.8 a joint
act, P11.6 why the legal representative was absent), and a birth date the ИИН already holds is not asked again."""
from datetime import date

from app.forms.iin import make_iin
from sample import data_for

RECEIVED = "2026-12-01T10:00:00+05:00"


def _submit(case, agency, bpmn_id, broken=None, **answers):
    """Submit a valid form with ``answers``, then ``broken`` (keys set after the local check) on top."""
    team = case.agencies[agency]
    task = team.task(case.id, bpmn_id)
    data = {**data_for(task["form"], **answers), **(broken or {})}
    return team.staff.post(f"/tasks/{task['id']}/complete", json={"data": data}, headers={"X-Test-Now": case.now})


def _fields(r):
    assert r.status_code == 422, r.text
    return {e["field"] for e in r.json()["errors"]}


def test_primary_information_needs_the_family_but_not_a_birth_date_the_iin_holds(report):
    case = report("health", RECEIVED)
    case.work("health", "register_health", received_at=RECEIVED, detected_by="health", channel="oral_or_remote",
              offence_signs=False, case_summary="Побои")
    assert "family_members" in _fields(_submit(case, "health", "primary_info_health", broken={"family_members": []}))
    birth = date(2015, 4, 12)
    child = {"last_name": "Сериков", "first_name": "Алихан", "iin": make_iin(birth, "male")}
    r = _submit(case, "health", "primary_info_health", broken={"child": child})     # no birth date, no sex
    assert r.status_code == 200, r.text


def test_an_inspection_act_needs_two_members_of_two_agencies(report, agencies):
    case = report("education_org", RECEIVED)
    case.work("education_org", "register_education_org", received_at=RECEIVED, detected_by="education",
              channel="oral_or_remote", offence_signs=False, case_summary="Синяки")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("education_org", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("education_org", "review_report")
    case.work("education_org", "assess_situation")
    alone = [{"full_name": "Ахметова Г. С.", "position": "социальный педагог", "agency": "education_org"}]
    act = {"inspected_on": "2026-12-02", "housing": "own", "living_conditions": "Удовлетворительные",
           "child_place": "Есть", "conclusion": "Удовлетворительные",
           "address": {"region": "Карагандинская область", "locality": "Караганда", "street": "ул. Ерубаева",
                       "house": "10"}, "commission": alone * 2}
    joint = {**act, "commission": [alone[0], {**alone[0], "agency": "education_authority"}]}
    r = _submit(case, "education_org", "inspect_housing", inspection_act=joint, broken={"inspection_act": act})
    assert any(f.startswith("inspection_act.commission") for f in _fields(r)), r.text


def test_a_child_questioned_without_the_legal_representative_needs_the_reason(report):
    case = report("police", RECEIVED)
    case.work("police", "register_police", received_at=RECEIVED, detected_by="police", channel="oral_or_remote",
              offence_signs=True, case_summary="Избиение")
    case.route("2026-12-01T10:01:00+05:00")
    case.work("police", "ack_notice", acknowledged=True, already_in_work=False)
    case.work("police", "review_report", offence_type="criminal", child_safe_at_home=True)
    assert "representative_absence_reason" in _fields(_submit(case, "police", "investigate",
                                                              broken={"child_attended_by": "teacher"}))
    assert _submit(case, "police", "investigate", child_attended_by="teacher",
                   representative_absence_reason="Отец — подозреваемый").status_code == 200
