"""A user task without a form is a confirmation: the page shows its instructions and one «Выполнено» button."""
from __future__ import annotations

from pathlib import Path

from tests.pages.test_pages_http import PASSWORD, RECEIVED, _csrf, _signed_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FORM_PROPERTY = ('<spiffworkflow:properties><spiffworkflow:property name="formJsonSchemaFilename" '
                 'value="fixture-report.json"/></spiffworkflow:properties>')


def test_a_confirmation_task_page_has_the_instructions_and_a_done_button(owner, make_user, server):
    xml = (FIXTURES / "bpmn" / "reporter.bpmn").read_text(encoding="utf-8").replace(FORM_PROPERTY, "") \
        .replace('"summary_len": len(summary), ', "")          # the notice counted what the form asked
    files = [("file", ("reporter.bpmn", xml.encode(), "application/xml")),
             ("forms", ("fixture-ack.json", (FIXTURES / "forms" / "fixture-ack.json").read_bytes(), "application/json"))]
    assert owner.post("/process-models", files=files).status_code == 201
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    number = started.json()["registration_number"]
    task_id = police.get("/tasks").json()["items"][0]["id"]

    s = _signed_in(server, "inspector")
    page = s.get(f"{server}/tasks/{task_id}").text
    assert f"Опишите случай {number}" in page                                   # the instructions
    assert ">Выполнено</button>" in page and "Заполнять нечего" in page
    assert "Сохранить черновик" not in page and 'name="summary"' not in page    # no form, no draft
    r = s.post(f"{server}/tasks/{task_id}", data={"csrf_token": _csrf(page), "__action": "complete"})
    assert r.status_code == 200, r.text[:300]
    assert police.get(f"/process-instances/{started.json()['id']}").json()["status"] == "completed"
