"""(i) Issue 12, point 11: a child's age is judged at the receipt of the report, not when staff register it."""
from datetime import date

from app.forms.iin import make_iin
from sample import data_for

BIRTH = date(2008, 12, 1)                       # 18 on 1 December 2026
CHILD = {"last_name": "Сериков", "first_name": "Алихан", "birth_date": BIRTH.isoformat(), "sex": "male",
         "iin": make_iin(BIRTH, "male")}


def _register(agencies, received_at: str):
    api = agencies["health"].staff
    started = api.post("/process-instances", json={"process_id": "ch1_identification", "data": {}},
                       headers={"X-Test-Now": "2026-12-01T10:00:00+05:00"})
    assert started.status_code == 201, started.text
    task = agencies["health"].task(started.json()["case_id"], "register_health")
    data = data_for(task["form"], report_date=date(2026, 11, 30), received_at=received_at, detected_by="health",
                    channel="oral_or_remote", offence_signs=False, child=CHILD, case_summary="Побои")
    return api.post(f"/tasks/{task['id']}/complete", json={"data": data},
                    headers={"X-Test-Now": "2026-12-01T10:05:00+05:00"})


def test_a_report_received_when_the_child_was_17_is_accepted_after_the_birthday(agencies, guide):
    assert _register(agencies, "2026-11-30T18:00:00+05:00").status_code == 200


def test_a_report_received_on_the_18th_birthday_is_refused_naming_the_field(agencies, guide):
    r = _register(agencies, "2026-12-01T09:30:00+05:00")
    assert r.status_code == 422
    assert any(e["field"].startswith("child") for e in r.json()["errors"]), r.json()
