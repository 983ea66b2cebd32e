"""A multi-agency case driven through the real API and worker: the auditors' material.

Police receive a report (P4.a, deadline one hour on the fixture) and miss the deadline, so the
timer escalates to their supervisor; the report then notifies the KDNZP by message, which
starts the commission's own instance; a health organisation waits for a reply that arrives as
a message. Every kind of step is in the log: a start, completions, a timer, a message start and a
message delivery.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from tests.conftest import FIXTURES

RECEIVED = "2026-12-01T09:00:00+05:00"
AFTER_DUE = datetime.fromisoformat("2026-12-01T10:00:01+05:00")
LATER = datetime.fromisoformat("2026-12-01T10:30:00+05:00")


@dataclass
class Scenario:
    police_instance: str
    kdnzp_instance: str
    health_instance: str
    case_id: str
    registration_number: str
    auditor: object
    police: object


BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NODES = ("startEvent", "userTask", "endEvent", "intermediateCatchEvent", "exclusiveGateway", "scriptTask")


def with_layout(xml: bytes) -> bytes:
    """The fixture diagram with a simple drawn layout (BPMN DI), so that bpmn-js can show it."""
    from lxml import etree
    root = etree.fromstring(xml)
    process = root.find(f"{{{BPMN}}}process")
    di, dc, bpmndi = ("http://www.omg.org/spec/DD/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                      "http://www.omg.org/spec/BPMN/20100524/DI")
    diagram = etree.SubElement(root, f"{{{bpmndi}}}BPMNDiagram", id="diagram_1", nsmap={
        "bpmndi": bpmndi, "dc": dc, "di": di})
    plane = etree.SubElement(diagram, f"{{{bpmndi}}}BPMNPlane", id="plane_1", bpmnElement=process.get("id"))
    boxes = {}
    column = 0
    for el in process:
        kind = etree.QName(el).localname
        if kind in NODES:
            w, h = (100, 80) if kind.endswith("Task") else (36, 36)
            boxes[el.get("id")] = (150 + column * 160, 120 - h / 2 + 40, w, h)
            column += 1
    for el in process:
        if etree.QName(el).localname == "boundaryEvent":
            x, y, w, h = boxes[el.get("attachedToRef")]
            boxes[el.get("id")] = (x + w - 30, y + h - 18, 36, 36)
            for flow in process.findall(f"{{{BPMN}}}sequenceFlow"):          # its path runs below the row
                if flow.get("sourceRef") == el.get("id"):
                    tx, ty, tw, th = boxes[flow.get("targetRef")]
                    boxes[flow.get("targetRef")] = (tx, ty + 160, tw, th)
    for element_id, (x, y, w, h) in boxes.items():
        shape = etree.SubElement(plane, f"{{{bpmndi}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id)
        etree.SubElement(shape, f"{{{dc}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))
    for flow in process.findall(f"{{{BPMN}}}sequenceFlow"):
        edge = etree.SubElement(plane, f"{{{bpmndi}}}BPMNEdge", id=f"{flow.get('id')}_di", bpmnElement=flow.get("id"))
        for end in (flow.get("sourceRef"), flow.get("targetRef")):
            x, y, w, h = boxes[end]
            etree.SubElement(edge, f"{{{di}}}waypoint", x=str(x + w / 2), y=str(y + h / 2))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _deploy_drawn(owner, name, forms):
    files = [("file", (f"{name}.bpmn", with_layout((FIXTURES / "bpmn" / f"{name}.bpmn").read_bytes()),
                       "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in forms]
    return owner.post("/process-models", files=files)


@pytest.fixture
def scenario(owner, make_user, run_due) -> Scenario:
    for name, forms in (("reporter", ("fixture-report.json", "fixture-ack.json")),
                        ("receiver", ("fixture-ack.json",)), ("waiter", ("fixture-ack.json",))):
        assert _deploy_drawn(owner, name, forms).status_code == 201
    police = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor")
    kdnzp = make_user("commission", "kdnzp", "staff")
    doctor = make_user("doctor", "health", "staff")
    gateway = make_user("clinic-gateway", "health", "integration")    # the reply comes from outside
    auditor = make_user("prosecutor.inspector", None, "auditor")

    started = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": RECEIVED}}).json()
    assert run_due(AFTER_DUE)[0] == 1                       # the P4.a deadline passes: escalation
    escalation = next(t for t in chief.get("/tasks").json()["items"] if t["bpmn_id"] == "escalate")
    assert chief.post(f"/tasks/{escalation['id']}/claim").status_code == 200
    assert chief.post(f"/tasks/{escalation['id']}/complete", json={"data": {"note": "взято на контроль"}}).status_code == 200
    report = next(t for t in police.get("/tasks").json()["items"] if t["bpmn_id"] == "report")
    assert police.post(f"/tasks/{report['id']}/complete",
                       json={"data": {"summary": "синяки на руках", "offence": True}}).status_code == 200
    assert run_due(LATER) == (0, 1)                         # the notification starts the KDNZP's instance
    ack = kdnzp.get("/tasks").json()["items"][0]
    assert kdnzp.post(f"/tasks/{ack['id']}/complete", json={"data": {"note": "получено"}}).status_code == 200

    # Health takes no part in the case yet, so its staff may not join it themselves: an administrator
    # (the integration that brings a hospital into a case) starts the health process in the case.
    admin = make_user("coordinator", None, "admin")
    waiting = admin.post("/process-instances", json={"process_id": "waiter",
                                                     "data": {"case_id": started["case_id"]}}).json()
    assert gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": started["case_id"]},
                                          "payload": {"text": "осмотр проведён"}}).status_code == 202
    assert run_due(LATER) == (0, 1)
    after = next(t for t in doctor.get("/tasks").json()["items"] if t["bpmn_id"] == "after")
    assert doctor.post(f"/tasks/{after['id']}/complete", json={"data": {"note": "прочитано"}}).status_code == 200

    kdnzp_instance = ack["instance_id"]
    return Scenario(started["id"], kdnzp_instance, waiting["id"], started["case_id"],
                    started["registration_number"], auditor, police)


@pytest.fixture
def audit_cli(app):
    """Run `flask audit ...` in process; returns (exit code, output)."""
    def run(*args):
        result = app.test_cli_runner().invoke(args=["audit", *args])
        return result.exit_code, result.output
    return run
