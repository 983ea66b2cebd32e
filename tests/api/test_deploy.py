"""Deploying diagrams: versions, identical content, and every refusal naming its element."""
from support import FIXTURES, deploy_fixture

REPORT = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()


def _upload(api, xml: str, forms=("fixture-report.json", "fixture-ack.json")):
    files = [("file", ("x.bpmn", xml.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in forms]
    return api.post("/process-models", files=files)


def _errors(response):
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    return response.json()["errors"]


def test_deploy_creates_version_and_identical_content_returns_it(owner):
    first = deploy_fixture(owner, "reporter")
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and len(first.json()["sha256"]) == 64
    again = deploy_fixture(owner, "reporter")
    assert again.status_code == 200 and again.json()["version"] == 1
    changed = _upload(owner, REPORT.replace("Описать случай", "Описать случай подробно"))
    assert changed.status_code == 201 and changed.json()["version"] == 2
    listed = owner.get("/process-models").json()["items"]
    assert [(v["process_id"], v["version"]) for v in listed] == [("reporter", 2)]


def test_only_process_owners_deploy(make_user):
    staff = make_user("pol", "police", "staff")
    assert deploy_fixture(staff, "reporter").status_code == 403


def test_invalid_xml_is_refused(owner):
    errors = _errors(_upload(owner, "<bpmn:definitions"))
    assert "not well-formed" in errors[0]["message"]


def test_xsd_error_names_the_element(owner):
    bad = REPORT.replace('<bpmn:startEvent id="start"/>', '<bpmn:startEvent id="start"><bpmn:bogus/></bpmn:startEvent>')
    errors = _errors(_upload(owner, bad))
    assert errors[0]["element_id"] == "start" and "BPMN schema" in errors[0]["message"]


def test_reserved_id_is_refused(owner):
    errors = _errors(_upload(owner, REPORT.replace('id="start"', 'id="Start"').replace('"start"', '"Start"')))
    assert any(e["element_id"] == "Start" and "reserved" in e["message"] for e in errors)


def test_lane_that_is_no_agency_is_refused(owner):
    errors = _errors(_upload(owner, REPORT.replace("Органы внутренних дел (ОВД)", "Бухгалтерия")))
    assert errors == [{"element_id": "lane_police", "message": "lane 'Бухгалтерия' is not an agency of the Guide",
                       "code": "lane_not_agency", "params": {"lane": "Бухгалтерия"}}]


def test_missing_form_is_refused(owner):
    errors = _errors(_upload(owner, REPORT, forms=("fixture-ack.json",)))
    assert errors[0]["element_id"] == "report" and "fixture-report.json" in errors[0]["message"]


def test_form_that_is_not_a_json_schema_is_refused(owner):
    files = [("file", ("x.bpmn", REPORT.encode(), "application/xml")),
             ("forms", ("fixture-report.json", b'{"type": 12}', "application/json")),
             ("forms", ("fixture-ack.json", (FIXTURES / "forms" / "fixture-ack.json").read_bytes(), "application/json"))]
    errors = _errors(owner.post("/process-models", files=files))
    assert errors[0]["element_id"] == "report" and "not a valid JSON Schema" in errors[0]["message"]


def test_hostile_scripts_are_refused_at_deploy(owner):
    cases = {
        "__import__('os').system('id')": "__import__",
        "open('/etc/passwd').read()": "open",
        "().__class__.__base__.__subclasses__()": "__subclasses__",
    }
    for expression, word in cases.items():
        xml = REPORT.replace("add_hours(received_at, 1)", expression.replace("'", "&apos;"))
        errors = _errors(_upload(owner, xml))
        assert errors[0]["element_id"] == "deadline", errors
        assert "sandbox" in errors[0]["message"] and word in errors[0]["message"]
    script = (FIXTURES / "bpmn" / "scripted.bpmn").read_text().replace(
        "ratio = 10 / (len(summary) - 3)", "import os\nos.system('id')")
    errors = _errors(_upload(owner, script))
    assert errors[0]["element_id"] == "calc" and "import" in errors[0]["message"]
    condition = (FIXTURES / "bpmn" / "scripted.bpmn").read_text().replace(
        "summary == 'loop'", "__import__('os') is None")
    errors = _errors(_upload(owner, condition))
    assert errors[0]["element_id"] == "sf4"


def test_external_entities_and_dtds_are_refused_without_reading(owner):
    xxe = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + REPORT.split("?>", 1)[1].replace("Описать случай", "&x;"))
    errors = _errors(_upload(owner, xxe))
    assert "DTD" in errors[0]["message"]
    assert "root:" not in str(errors)
