"""The diagrams as files: schema-valid, executable by SpiffWorkflow, conventions of the engine, full DI."""
from __future__ import annotations

import re

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

import process_harness as h

NS = h.NS
B = "{%s}" % NS["bpmn"]
FILES = [p.name for p in h.diagram_files()]
CHAPTER_FILES = ["ch1-identification.bpmn", "ch2-education.bpmn", "ch3-kdnzp.bpmn", "ch4-police.bpmn",
                 "ch5-guardianship.bpmn", "ch6-health.bpmn", "ch7-social-protection.bpmn", "ch8-centres.bpmn"]
FLOW_NODE_TAGS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
                  "userTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "task",
                  "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
                  "callActivity", "subProcess"}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def local(el) -> str:
    return etree.QName(el).localname


def flow_nodes(root):
    proc = root.find("bpmn:process", NS)
    return [el for el in proc if isinstance(el.tag, str) and local(el) in FLOW_NODE_TAGS]


def bounds(root) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        b = shape.find("dc:Bounds", NS)
        out[shape.get("bpmnElement")] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    return out


def test_all_chapters_are_there():
    for name in CHAPTER_FILES:
        assert name in FILES, f"missing diagram {name}"


@pytest.mark.parametrize("file", FILES)
def test_parses_with_xsd_validation_and_spiff(file):
    data = (h.PROCESSES / file).read_bytes()
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_str(data, filename=file)
    spec = parser.get_spec(h.process_id(h.PROCESSES / file))
    assert spec.task_specs


@pytest.mark.parametrize("file", FILES)
def test_definitions_process_and_pool(file, diagrams):
    root = diagrams[file]
    assert root.get("targetNamespace") == "http://qamqor.kz/bpmn"
    assert root.nsmap.get("spiffworkflow") == NS["spiffworkflow"]
    processes = root.findall("bpmn:process", NS)
    assert len(processes) == 1 and processes[0].get("isExecutable") == "true"
    pid = processes[0].get("id")
    assert SNAKE.match(pid), pid
    collabs = root.findall("bpmn:collaboration", NS)
    assert len(collabs) == 1
    parts = collabs[0].findall("bpmn:participant", NS)
    assert parts[0].get("processRef") == pid, "the chapter's own pool comes first"
    assert all(p.get("processRef") is None for p in parts[1:]), "the partners' pools are collapsed (no process)"
    assert all(CYRILLIC.search(p.get("name", "")) for p in parts), "the pools are named in Russian"
    assert processes[0].find("bpmn:laneSet", NS) is not None


@pytest.mark.parametrize("file", FILES)
def test_ids_readable_and_not_reserved(file, diagrams):
    root = diagrams[file]
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id") in ("Start", "End"):
            pytest.fail(f"{file}: reserved id {el.get('id')}")
    proc = root.find("bpmn:process", NS)
    for el in proc:
        if isinstance(el.tag, str) and el.get("id") and local(el) != "laneSet":
            assert SNAKE.match(el.get("id")), f"{file}: id {el.get('id')!r} is not readable snake_case"


@pytest.mark.parametrize("file", FILES)
def test_every_flow_node_is_named_in_russian_and_in_one_lane(file, diagrams):
    root = diagrams[file]
    refs = {}
    for lane in root.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            assert ref.text not in refs, f"{ref.text} is in two lanes"
            refs[ref.text] = lane.get("name")
    for node in flow_nodes(root):
        assert node.get("id") in refs, f"{file}: {node.get('id')} lies in no lane"
        if local(node) in ("userTask", "scriptTask", "startEvent", "intermediateThrowEvent",
                           "intermediateCatchEvent", "boundaryEvent"):
            assert CYRILLIC.search(node.get("name", "")), f"{file}: {node.get('id')} needs a Russian name"


@pytest.mark.parametrize("file", FILES)
def test_user_task_conventions(file, diagrams):
    root = diagrams[file]
    for task in root.iterfind(".//bpmn:userTask", NS):
        props = {p.get("name"): p.get("value") for p in task.iterfind(".//spiffworkflow:property", NS)}
        assert props.get("formJsonSchemaFilename"), f"{task.get('id')} has no form"
        assert "/" not in props["formJsonSchemaFilename"]
        instructions = task.find("bpmn:extensionElements/spiffworkflow:instructionsForEndUser", NS)
        assert instructions is not None and CYRILLIC.search(instructions.text or ""), \
            f"{task.get('id')} has no instructions for staff"
        if props.get("requiredRole"):
            assert props["requiredRole"] == "supervisor"
            assert props["formJsonSchemaFilename"] == "escalation.schema.json"


@pytest.mark.parametrize("file", FILES)
def test_deadlines_are_non_interrupting_timers_leading_to_a_supervisor(file, diagrams):
    root = diagrams[file]
    proc = root.find("bpmn:process", NS)
    by_id = {el.get("id"): el for el in proc if isinstance(el.tag, str)}
    lane_of = {ref.text: lane.get("name") for lane in root.iterfind(".//bpmn:lane", NS)
               for ref in lane.iterfind("bpmn:flowNodeRef", NS)}
    flows = {f.get("sourceRef"): f.get("targetRef") for f in proc.iterfind("bpmn:sequenceFlow", NS)}
    for boundary in proc.iterfind("bpmn:boundaryEvent", NS):
        timer = boundary.find("bpmn:timerEventDefinition", NS)
        assert timer is not None, "only timers are attached to tasks"
        assert boundary.get("cancelActivity") == "false"
        expr = timer.find("bpmn:timeDate", NS)
        assert expr is not None and expr.text.strip()
        escalation = by_id[flows[boundary.get("id")]]
        props = {p.get("name"): p.get("value") for p in escalation.iterfind(".//spiffworkflow:property", NS)}
        assert local(escalation) == "userTask" and props.get("requiredRole") == "supervisor"
        assert lane_of[escalation.get("id")] == lane_of[boundary.get("attachedToRef")], \
            "the escalation lies in the lane of the missed task"
        assert local(by_id[flows[escalation.get("id")]]) == "endEvent"


@pytest.mark.parametrize("file", FILES)
def test_messages_follow_the_service_conventions(file, diagrams):
    root = diagrams[file]
    assert not list(root.iter(B + "correlationProperty")) and not list(root.iter(B + "correlationKey")), \
        "the service correlates by case_id itself"
    for message in root.findall("bpmn:message", NS):
        assert SNAKE.match(message.get("name")), message.get("name")
        assert message.find("bpmn:extensionElements", NS) is None, "payload/variable belong on the event definition"
    for md in root.iter(B + "messageEventDefinition"):
        event = md.getparent()
        payload = md.find("bpmn:extensionElements/spiffworkflow:messagePayload", NS)
        variable = md.find("bpmn:extensionElements/spiffworkflow:messageVariable", NS)
        if local(event) in ("intermediateThrowEvent", "endEvent"):
            assert payload is not None, f"{event.get('id')} throws without a payload"
            for key in ('"case_id": case_id', '"received_at": now()', '"registration_number"'):
                assert key in payload.text, f"{event.get('id')}: the payload lacks {key}"
        else:
            assert variable is not None and variable.text == "msg", f"{event.get('id')}: messageVariable msg"


def test_every_message_has_a_sender_and_a_receiver(diagrams):
    thrown, caught, starts = set(), set(), set()
    for root in diagrams.values():
        names = {m.get("id"): m.get("name") for m in root.findall("bpmn:message", NS)}
        for md in root.iter(B + "messageEventDefinition"):
            event = md.getparent()
            name = names[md.get("messageRef")]
            if local(event) in ("intermediateThrowEvent", "endEvent"):
                thrown.add(name)
            else:
                caught.add(name)
                if local(event) == "startEvent":
                    starts.add(name)
    assert thrown <= starts, f"messages nobody starts on: {sorted(thrown - starts)}"
    assert caught <= thrown, f"messages nobody sends: {sorted(caught - thrown)}"


def test_chapters_2_to_8_start_on_messages_and_acknowledge_first(diagrams):
    for file in CHAPTER_FILES[1:] + ["notice-prosecutor.bpmn", "notice-mes-committee.bpmn"]:
        root = diagrams[file]
        proc = root.find("bpmn:process", NS)
        by_id = {el.get("id"): el for el in proc if isinstance(el.tag, str)}
        flows = {}
        for f in proc.iterfind("bpmn:sequenceFlow", NS):
            flows.setdefault(f.get("sourceRef"), []).append(f.get("targetRef"))
        starts = proc.findall("bpmn:startEvent", NS)
        assert starts
        for start in starts:
            assert start.find("bpmn:messageEventDefinition", NS) is not None, f"{file}: {start.get('id')}"
            # the first user task reached from the start is an acknowledgement with an ack_deadline timer
            frontier, seen, node = [start.get("id")], set(), None
            while node is None and frontier:
                users = [n for n in frontier if local(by_id[n]) == "userTask"]
                if users:
                    node = users[0]
                    break
                seen.update(frontier)
                frontier = [t for n in frontier for t in flows.get(n, []) if t not in seen]
            task = by_id[node]
            props = {p.get("name"): p.get("value") for p in task.iterfind(".//spiffworkflow:property", NS)}
            assert props["formJsonSchemaFilename"] == "ack.schema.json", f"{file}: first task {node}"
            timers = [b for b in proc.iterfind("bpmn:boundaryEvent", NS) if b.get("attachedToRef") == node]
            assert timers and "ack_deadline(received_at)" in timers[0].find(".//bpmn:timeDate", NS).text


def test_chapter_1_starts_in_every_detecting_agency(diagrams):
    from app.agencies import agency_for_lane
    root = diagrams["ch1-identification.bpmn"]
    lane_of = {ref.text: lane.get("name") for lane in root.iterfind(".//bpmn:lane", NS)
               for ref in lane.iterfind("bpmn:flowNodeRef", NS)}
    agencies = set()
    for start in root.iterfind(".//bpmn:process/bpmn:startEvent", NS):
        assert start.find("bpmn:messageEventDefinition", NS) is None
        cond = start.find("bpmn:conditionalEventDefinition/bpmn:condition", NS)
        assert cond is not None and "reporting_agency" in cond.text
        agencies.add(agency_for_lane(lane_of[start.get("id")]))
    assert agencies == {"education_org", "police", "health", "social_protection", "local_executive"}


# -- diagram interchange -------------------------------------------------------------------------------------
@pytest.mark.parametrize("file", FILES)
def test_di_is_complete(file, diagrams):
    root = diagrams[file]
    shapes = bounds(root)
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    plane = root.find(".//bpmndi:BPMNPlane", NS)
    assert plane.get("bpmnElement") == root.find("bpmn:collaboration", NS).get("id")
    assert root.find("bpmn:collaboration/bpmn:participant", NS).get("id") in shapes
    for lane in root.iterfind(".//bpmn:lane", NS):
        assert lane.get("id") in shapes, f"lane {lane.get('id')} is not drawn"
    for node in flow_nodes(root):
        assert node.get("id") in shapes, f"{file}: {node.get('id')} has no shape"
    named = [n for n in flow_nodes(root) if n.get("name") and local(n) not in ("userTask", "scriptTask")]
    label_of = {s.get("bpmnElement"): s.find("bpmndi:BPMNLabel", NS) for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    for node in named:
        assert label_of[node.get("id")] is not None, f"{file}: the label of {node.get('id')} is not placed"
    for flow in root.iterfind(".//bpmn:sequenceFlow", NS):
        edge = edges.get(flow.get("id"))
        assert edge is not None, f"{file}: {flow.get('id')} has no edge"
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iterfind("di:waypoint", NS)]
        assert len(points) >= 2
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            assert x0 == x1 or y0 == y1, f"{file}: {flow.get('id')} is not orthogonal"
        for end, ref in ((points[0], flow.get("sourceRef")), (points[-1], flow.get("targetRef"))):
            x, y, w, hgt = shapes[ref]
            assert x - 1 <= end[0] <= x + w + 1 and y - 1 <= end[1] <= y + hgt + 1, \
                f"{file}: {flow.get('id')} does not touch {ref}"
        if flow.get("name"):
            assert edge.find("bpmndi:BPMNLabel", NS) is not None


@pytest.mark.parametrize("file", FILES)
def test_no_overlapping_shapes_and_every_shape_in_its_lane(file, diagrams):
    root = diagrams[file]
    shapes = bounds(root)
    nodes = flow_nodes(root)
    host = {n.get("id"): n.get("attachedToRef") for n in nodes if local(n) == "boundaryEvent"}

    def overlap(a, b):
        return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]

    ids = [n.get("id") for n in nodes]
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if host.get(a) == b or host.get(b) == a:
                continue
            assert not overlap(shapes[a], shapes[b]), f"{file}: {a} overlaps {b}"
    pool = shapes[root.find("bpmn:collaboration/bpmn:participant", NS).get("id")]
    for lane in root.iterfind(".//bpmn:lane", NS):
        lb = shapes[lane.get("id")]
        assert pool[0] <= lb[0] and lb[0] + lb[2] <= pool[0] + pool[2] + 0.5
        assert pool[1] <= lb[1] and lb[1] + lb[3] <= pool[1] + pool[3] + 0.5
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, hgt = shapes[ref.text]
            assert lb[0] <= x and x + w <= lb[0] + lb[2] and lb[1] <= y and y + hgt <= lb[1] + lb[3], \
                f"{file}: {ref.text} lies outside its lane {lane.get('name')!r}"
    for bid, task in host.items():
        x, y, w, hgt = shapes[bid]
        tx, ty, tw, th = shapes[task]
        cx, cy = x + w / 2, y + hgt / 2
        assert tx <= cx <= tx + tw and ty <= cy <= ty + th, f"{file}: {bid} is not on the border of {task}"


@pytest.mark.parametrize("file", FILES)
def test_lanes_are_stacked_without_gaps(file, diagrams):
    root = diagrams[file]
    shapes = bounds(root)
    lanes = sorted((shapes[l.get("id")] for l in root.iterfind(".//bpmn:lane", NS)), key=lambda b: b[1])
    pool = shapes[root.find("bpmn:collaboration/bpmn:participant", NS).get("id")]
    assert lanes[0][1] == pool[1] and lanes[-1][1] + lanes[-1][3] == pytest.approx(pool[1] + pool[3])
    for a, b in zip(lanes, lanes[1:]):
        assert a[1] + a[3] == pytest.approx(b[1])


@pytest.mark.parametrize("file", FILES)
def test_the_engine_accepts_the_diagram(file):
    """What `flask processes deploy` checks: schema, sandboxed code, lanes, forms."""
    registry = pytest.importorskip("app.registry.service")
    compiled, forms, lanes = registry.validate(bpmn=(h.PROCESSES / file).read_bytes(), forms={},
                                               forms_dir=str(h.FORMS))
    assert compiled.process_id == h.process_id(h.PROCESSES / file)
    assert lanes


@pytest.mark.parametrize("file", FILES)
def test_labels_are_drawn_inside_the_pool(file, diagrams):
    root = diagrams[file]
    px, py, pw, ph = bounds(root)[root.find("bpmn:collaboration/bpmn:participant", NS).get("id")]
    for label in root.iterfind(".//bpmndi:BPMNLabel", NS):
        b = label.find("dc:Bounds", NS)
        x, y, w, hgt = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        owner = label.getparent().get("bpmnElement")
        assert px <= x and x + w <= px + pw and py <= y and y + hgt <= py + ph, f"{file}: label of {owner}"
