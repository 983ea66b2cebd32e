"""A library's refusal inside one of our sentences is worded per code in the reader's language (app/problems.py
REASONS): the script sandbox's usual refusals and jsonschema's usual faults of a form; the library's own English
words stay in ``params.reason`` for the process owner. `flask audit verify --lang` words its report too."""
from __future__ import annotations

import json

from support import FIXTURES

SCRIPTED = (FIXTURES / "bpmn" / "scripted.bpmn").read_text()
REPORT = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()


def _upload(api, xml: str, lang: str, forms: dict | None = None):
    forms = forms or {f: (FIXTURES / "forms" / f).read_bytes() for f in ("fixture-report.json", "fixture-ack.json")}
    files = [("file", ("x.bpmn", xml.encode(), "application/xml"))]
    files += [("forms", (name, body, "application/json")) for name, body in forms.items()]
    response = api.post("/process-models", files=files, headers={"Accept-Language": lang})
    assert response.status_code == 422, response.text
    return response.json()["errors"][0]


def test_a_refused_script_is_worded_in_russian_and_kazakh_with_the_sandboxs_words_kept(owner):
    script = SCRIPTED.replace("ratio = 10 / (len(summary) - 3)", "import os\nos.system('id')")
    ru = _upload(owner, script, "ru")
    assert ru["code"] == "sandbox_refused" and ru["params"]["reason_code"] == "script_import"
    assert ru["params"]["reason"] == "line 1: import is not allowed in diagram code"        # the detail, English
    assert ru["message"] == "отклонено песочницей скриптов: строка 1: import в коде диаграммы запрещён"
    kk = _upload(owner, script, "kk")
    assert kk["message"] == "скрипт құмсалғышы қабылдамады: 1-жол: диаграмма кодында import қолдануға болмайды"
    hidden = REPORT.replace("add_hours(received_at, 1)", "_secret")
    ru = _upload(owner, hidden, "ru")
    assert ru["params"]["reason_code"] == "script_underscore" and "is an invalid variable name" in ru["params"]["reason"]
    assert ru["message"].endswith("строка 1: _secret запрещено, так как начинается с «_»")
    en = _upload(owner, hidden, "en")
    assert en["message"].endswith('line 1: _secret is not allowed because it starts with "_"')


def test_a_form_that_is_not_a_schema_names_the_keyword_and_what_it_wants(owner):
    form = json.loads((FIXTURES / "forms" / "fixture-report.json").read_text())
    form["properties"]["summary"]["type"] = "strin"
    forms = {"fixture-report.json": json.dumps(form).encode(),
             "fixture-ack.json": (FIXTURES / "forms" / "fixture-ack.json").read_bytes()}
    ru = _upload(owner, REPORT, "ru", forms)
    assert ru["code"] == "form_not_schema_at" and ru["params"]["field"] == "/properties/summary/type"
    assert "is not valid under any of the given schemas" in ru["params"]["reason"]
    assert ru["message"].startswith("форма «fixture-report.json» — некорректная JSON Schema в /properties/summary/type: "
                                    "одно из: array, boolean")
    form["properties"]["summary"]["type"], form["title"] = "string", 5
    forms["fixture-report.json"] = json.dumps(form).encode()
    kk = _upload(owner, REPORT, "kk", forms)
    assert kk["message"] == "«fixture-report.json» нысаны дұрыс JSON Schema емес (/title): жол"


def test_audit_verify_words_its_report_in_the_language_asked(app, owner, make_user):
    from tests.pages.test_pages_http import RECEIVED, deploy_fixture
    deploy_fixture(owner, "reporter")
    police = make_user("verifier.police", "police", "staff")
    assert police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}
                       ).status_code == 201
    runner = app.test_cli_runner()
    english = runner.invoke(args=["audit", "verify", "--all"])
    assert english.exit_code == 0 and "1 instance(s) verified, 0 fault(s)" in english.output
    assert ": ok (" in english.output and "steps re-executed)" in english.output
    russian = runner.invoke(args=["audit", "verify", "--all", "--lang", "ru"])
    assert russian.exit_code == 0 and "проверено процессов: 1, нарушений: 0" in russian.output
    assert ": нарушений нет (событий: " in russian.output
    kazakh = runner.invoke(args=["audit", "verify", "--all", "--lang", "kk"])
    assert "тексерілген процестер: 1, бұзушылықтар: 0" in kazakh.output


def test_the_engines_usual_refusals_are_worded_with_its_own_words_kept(owner):
    no_start = REPORT.replace('<bpmn:startEvent id="start"/>', "").replace(
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="report"></bpmn:sequenceFlow>', "")
    ru = _upload(owner, no_start, "ru")
    assert ru["code"] == "engine_refused" and ru["params"]["reason_code"] == "engine_no_start"
    assert ru["params"]["reason"].startswith("No start event found")                     # SpiffWorkflow's words
    assert ru["message"] == "движок отклонил: у процесса нет начального события"
    two_ways = REPORT.replace('<bpmn:endEvent id="esc_end"/>', '<bpmn:endEvent id="esc_end"/>'
                              '<bpmn:sequenceFlow id="fx" sourceRef="report" targetRef="esc_end"/>')
    kk = _upload(owner, two_ways, "kk")
    assert kk["params"]["reason_code"] == "engine_task_many_outgoing"
    assert "шлюзбен" in kk["message"] and "Multiple" not in kk["message"]
