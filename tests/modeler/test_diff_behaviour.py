"""The version diff sees what a case does, not only its shapes: a gateway condition, scripts, a message payload,
instructions and documentation are changes (before → after), so a version changing only them can be deployed."""
import re

import requests

from modeler_helpers import REPORTER, upload

# The reporter with a gateway after the report: only an offence notifies the commission.
GATED = REPORTER.replace(
    '<bpmn:sequenceFlow id="f4" sourceRef="report" targetRef="notify"></bpmn:sequenceFlow>',
    '<bpmn:sequenceFlow id="f4" sourceRef="report" targetRef="gw"></bpmn:sequenceFlow>'
    '<bpmn:exclusiveGateway id="gw" name="Правонарушение?" default="f_no"/>'
    '<bpmn:sequenceFlow id="f_yes" name="да" sourceRef="gw" targetRef="notify">'
    '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">offence == True</bpmn:conditionExpression>'
    '</bpmn:sequenceFlow>'
    '<bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="quiet_end"></bpmn:sequenceFlow>'
    '<bpmn:endEvent id="quiet_end"/>').replace(
    "<bpmn:flowNodeRef>notify</bpmn:flowNodeRef>",
    "<bpmn:flowNodeRef>notify</bpmn:flowNodeRef><bpmn:flowNodeRef>gw</bpmn:flowNodeRef>"
    "<bpmn:flowNodeRef>quiet_end</bpmn:flowNodeRef>")
STRICTER = GATED.replace("offence == True</bpmn:conditionExpression>",
                         "offence == True and age &lt; 18</bpmn:conditionExpression>")


def _kinds(changes):
    return [(c["kind"], c["element_id"], c["before"], c["after"]) for c in changes]


def test_a_version_changing_only_a_gateway_condition_shows_it_and_deploys(owner):
    assert GATED != REPORTER and STRICTER != GATED
    assert upload(owner, GATED).status_code == 201
    checked = upload(owner, STRICTER, path="/process-models/validate")
    assert checked.status_code == 200, checked.text
    expected = [("condition_changed", "f_yes", "offence == True", "offence == True and age < 18")]
    assert _kinds(checked.json()["changes"]) == expected
    assert "offence == True → offence == True and age < 18" in checked.json()["changes"][0]["text"]
    deployed = upload(owner, STRICTER)
    assert deployed.status_code == 201 and deployed.json()["version"] == 2
    assert _kinds(owner.get("/process-models/reporter/diff?from=1&to=2").json()["changes"]) == expected


def test_instructions_documentation_payload_and_scripts_are_changes(owner):
    assert upload(owner, GATED).status_code == 201
    changed = GATED.replace("Опишите случай {{ registration_number }}</spiffworkflow:instructionsForEndUser></bpmn:extensionElements></bpmn:userTask>\n    <bpmn:boundaryEvent",
                            "Опишите случай {{ registration_number }} и приложите фото</spiffworkflow:instructionsForEndUser>"
                            "<spiffworkflow:postScript>summary = summary.strip()</spiffworkflow:postScript>"
                            "</bpmn:extensionElements></bpmn:userTask>\n    <bpmn:boundaryEvent") \
        .replace("P4.a — первичная информация", "P4.a — первичная информация (по телефону 102)") \
        .replace('"summary_len": len(summary), ', "")
    assert changed.count("приложите фото") == 1
    r = upload(owner, changed, path="/process-models/validate")
    assert r.status_code == 200, r.text
    kinds = {(c["kind"], c["element_id"]): c for c in r.json()["changes"]}
    assert set(kinds) == {("instructions_changed", "report"), ("post_script_changed", "report"),
                          ("documentation_changed", "report"), ("payload_changed", "notify")}, sorted(kinds)
    assert kinds[("post_script_changed", "report")]["before"] is None
    assert kinds[("post_script_changed", "report")]["after"] == "summary = summary.strip()"
    assert kinds[("documentation_changed", "report")]["after"].endswith("(по телефону 102)")
    assert "len(summary)" in kinds[("payload_changed", "notify")]["before"]
    assert "len(summary)" not in kinds[("payload_changed", "notify")]["after"]


def test_rewiring_between_existing_elements_is_a_change_but_an_added_element_is_said_once(owner):
    assert upload(owner, GATED).status_code == 201
    rewired = GATED.replace('<bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="quiet_end">',
                            '<bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="esc_end">')
    assert _kinds(upload(owner, rewired, path="/process-models/validate").json()["changes"]) == [
        ("flow_rewired", "f_no", "gw → quiet_end", "gw → esc_end")]
    replaced = GATED.replace("quiet_end", "quiet_done")      # a new end event: its flow's new end is implied
    assert _kinds(upload(owner, replaced, path="/process-models/validate").json()["changes"]) == [
        ("added", "quiet_done", None, None), ("removed", "quiet_end", None, None)]


def test_the_diff_page_shows_the_condition_before_and_after_in_russian(owner, make_user, server):
    assert upload(owner, GATED).status_code == 201
    assert upload(owner, STRICTER).status_code == 201
    make_user("chief.owner", None, "process_owner", password="modeler-diff-password")
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    s.post(server + "/login", data={"username": "chief.owner", "password": "modeler-diff-password",
                                    "csrf_token": token})
    page = s.get(server + "/modeler/reporter/diff?from=1&to=2").text
    row = re.search(r'<tr class="diff__row[^"]*" data-kind="condition_changed" data-element="f_yes">(.*?)</tr>',
                    page, re.S)
    assert row, page[:2000]
    assert "Изменено условие" in row.group(1)
    assert ">offence == True</pre>" in row.group(1) and ">offence == True and age &lt; 18</pre>" in row.group(1)
