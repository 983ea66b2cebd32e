"""Element names in the reader's language, from the words the deployed version carries: deploy warns about
missing ones (and still deploys), the inbox and task page read Kazakh, replay and its diagram read English."""
from __future__ import annotations

import re

import requests
from lxml import etree

from support import FIXTURES

PASSWORD = "diagram-words-password"
RECEIVED = "2026-12-01T09:00:00+05:00"
REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
FORM = '<spiffworkflow:property name="formJsonSchemaFilename" value="fixture-report.json"/>'
WORDS = ('<spiffworkflow:property name="name:kk" value="Жағдайды сипаттау"/>'
         '<spiffworkflow:property name="name:en" value="Describe the case"/>'
         '<spiffworkflow:property name="instructions:kk" value="{{ registration_number }} ісін толық сипаттаңыз"/>'
         '<spiffworkflow:property name="instructions:en" value="Describe case {{ registration_number }} in full"/>')
PROCESS = ('<bpmn:process id="reporter" name="Тестовое сообщение" isExecutable="true">'
           '<bpmn:extensionElements><spiffworkflow:properties>'
           '<spiffworkflow:property name="name:kk" value="Сынақ хабары"/>'
           '<spiffworkflow:property name="name:en" value="Test report"/>'
           '</spiffworkflow:properties></bpmn:extensionElements>')


def _translated() -> str:
    return REPORTER.replace(FORM, FORM + WORDS, 1).replace(
        '<bpmn:process id="reporter" name="Тестовое сообщение" isExecutable="true">', PROCESS, 1)


def _deploy(api, xml: str, **headers):
    files = [("file", ("reporter.bpmn", xml.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json"))
              for f in ("fixture-report.json", "fixture-ack.json")]
    return api.post("/process-models", files=files, headers=headers)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(server, username) -> requests.Session:
    s = requests.Session()
    r = s.post(server + "/login", data={"username": username, "password": PASSWORD,
                                        "csrf_token": _csrf(s.get(server + "/login").text)}, allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return s


def test_deploy_without_kazakh_words_is_created_with_a_warning_naming_each_element(owner):
    r = _deploy(owner, REPORTER, **{"Accept-Language": "en"})
    assert r.status_code == 201, r.text
    warnings = {w["element_id"]: w for w in r.json()["warnings"]}
    assert set(warnings) == {"report", "escalate", "notify", "lane_police", "reporter"}
    assert warnings["report"]["code"] == "translation_missing" and warnings["report"]["languages"] == ["kk", "en"]
    assert warnings["report"]["message"] == "report has no translation into Kazakh, English."
    russian = _deploy(owner, REPORTER.replace("Описать случай", "Описать случай подробно"),
                      **{"Accept-Language": "ru"}).json()["warnings"]
    assert "У элемента report нет перевода на казахский, английский." in [w["message"] for w in russian]
    translated = _deploy(owner, _translated()).json()
    assert "report" not in {w["element_id"] for w in translated["warnings"]}
    assert "reporter" not in {w["element_id"] for w in translated["warnings"]}


def test_check_in_the_modeler_returns_the_same_warnings_without_deploying(owner):
    files = [("file", ("reporter.bpmn", REPORTER.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json"))
              for f in ("fixture-report.json", "fixture-ack.json")]
    r = owner.post("/process-models/validate", files=files)
    assert r.status_code == 200 and "report" in {w["element_id"] for w in r.json()["warnings"]}
    assert owner.get("/process-models").json()["items"] == []


def test_inbox_and_task_page_in_kazakh_show_the_versions_kazakh_name_and_instructions(owner, make_user, server):
    assert _deploy(owner, _translated()).status_code == 201
    police = make_user("kk.police", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert started.status_code == 201, started.text
    s = _signed_in(server, "kk.police")
    russian = s.get(server + "/inbox").text
    assert "Описать случай" in russian and "Жағдайды сипаттау" not in russian
    assert s.post(server + "/lang", data={"lang": "kk", "next": "/inbox", "csrf_token": _csrf(russian)}).ok
    inbox = s.get(server + "/inbox").text
    assert "Жағдайды сипаттау" in inbox and "Описать случай" not in inbox
    assert "Сынақ хабары" in inbox                                       # the chapter's title too
    task_id = re.search(r'data-task-id="([^"]+)"', inbox).group(1)
    page = s.get(server + f"/tasks/{task_id}").text
    assert "<h1>Жағдайды сипаттау</h1>" in page and "ісін толық сипаттаңыз" in page
    assert "Опишите случай" not in page


def test_replay_and_its_diagram_in_english_name_the_elements_in_english(owner, make_user):
    assert _deploy(owner, _translated()).status_code == 201
    police = make_user("en.police", "police", "staff")
    instance = police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).json()
    auditor = make_user("en.auditor", None, "auditor")
    english = auditor.get(f"/process-instances/{instance['id']}/replay", headers={"Accept-Language": "en"})
    assert english.status_code == 200, english.text
    body = english.json()
    words = body["readable"]
    assert words["chapter"] == "Test report" and "Describe the case" in words["active_names"]
    russian = auditor.get(f"/process-instances/{instance['id']}/replay",
                          headers={"Accept-Language": "ru"}).json()["readable"]
    assert russian["chapter"] == "Тестовое сообщение" and "Описать случай" in russian["active_names"]
    diagram = auditor.get(body["diagram_url"].removeprefix("/api/v1"), headers={"Accept-Language": "en"})
    drawn = etree.fromstring(diagram.content)
    assert drawn.find(".//{*}userTask[@id='report']").get("name") == "Describe the case"
    as_deployed = auditor.get(body["diagram_url"].removeprefix("/api/v1"), headers={"Accept-Language": "ru"})
    assert as_deployed.content == _translated().encode()                # Russian: the stored bytes themselves


def test_the_supervisors_deadline_report_names_the_step_in_kazakh(owner, make_user, server):
    assert _deploy(owner, _translated()).status_code == 201
    make_user("kk.sup", "police", "supervisor", password=PASSWORD)
    police = make_user("kk.staff", "police", "staff")
    assert police.post("/process-instances", json={"process_id": "reporter",
                                                   "data": {"received_at": RECEIVED}}).status_code == 201
    s = _signed_in(server, "kk.sup")
    russian = s.get(server + "/supervisor").text
    assert "<td data-label=\"Задача\">Описать случай</td>" in russian
    s.post(server + "/lang", data={"lang": "kk", "next": "/supervisor", "csrf_token": _csrf(russian)})
    assert ">Жағдайды сипаттау</td>" in s.get(server + "/supervisor").text


def test_the_task_api_adds_the_steps_words_in_the_callers_language_and_keeps_the_canonical_name(owner, make_user):
    assert _deploy(owner, _translated()).status_code == 201
    police = make_user("api.police", "police", "staff")
    instance = police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).json()
    (item,) = police.get("/tasks", params={"instance": instance["id"]}, headers={"Accept-Language": "kk"}).json()["items"]
    assert item["name"] == "Описать случай"                                   # the canonical Russian, as stored
    assert item["words"] == {"lang": "kk", "name": "Жағдайды сипаттау",
                             "instructions": "{{ registration_number }} ісін толық сипаттаңыз"}
    one = police.get(f"/tasks/{item['id']}", headers={"Accept-Language": "en"}).json()
    assert one["words"]["name"] == "Describe the case" and one["words"]["lang"] == "en"
    assert police.get(f"/tasks/{item['id']}").json()["words"]["name"] == "Описать случай"   # no header: Russian
