"""Reading an uploaded diagram: hostile-input-safe XML, XSD, SpiffWorkflow's parser, our own rules.

Diagrams arrive over HTTP from people and from other tools, so the XML is treated as hostile
(no DTDs, no entities, no network, bounded size and depth) before any library sees it. What
comes out is a ``CompiledProcess``: the SpiffWorkflow spec the runtime needs and the plain
``Element`` list the rest of the service needs.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .correlation import correlation_problems
from .encoding import as_utf8
from .model import Element, ModelInvalid, Problem, clauses_in
from .restricted import refusal
from .serialization import spec_to_json

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
RESERVED_IDS = frozenset({"Start", "End"})

# SpiffWorkflow's usual refusals, as the reason codes app/problems.py words per language (its English stays the
# detail): (pattern over its message, code, names of the pattern's groups)
_ENGINE_REASONS = (
    (re.compile(r"^No start event found"), "engine_no_start", ()),
    (re.compile(r"we found two items.*\(([^()]*)\)\.?\s*$"), "engine_unclear_reference", ("id",)),
    (re.compile(r"^Multiple outgoing flows are not supported"), "engine_task_many_outgoing", ()),
)


def _engine_refusal(exc: Exception) -> dict:
    """An ``engine_refused`` problem's params: SpiffWorkflow's words as ``reason``, worded per code when usual."""
    text = str(exc)
    for pattern, code, names in _ENGINE_REASONS:
        found = pattern.search(text)
        if found:
            return {"reason": text, "reason_code": code, "reason_params": dict(zip(names, found.groups()))}
    return {"reason": text}

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}

FLOW_NODES = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
    "inclusiveGateway", "eventBasedGateway",
}


@dataclass
class CompiledProcess:
    process_id: str
    name: str | None
    spec: object                       # SpiffWorkflow BpmnProcessSpec
    subprocess_specs: dict
    spec_json: str                     # what the registry stores, once per version
    elements: list[Element] = field(default_factory=list)
    lanes: list[tuple[str, str]] = field(default_factory=list)   # (lane id, lane name)
    message_starts: list[str] = field(default_factory=list)
    start_lanes: list[str | None] = field(default_factory=list)

    @property
    def forms(self) -> set[str]:
        return {f for e in self.elements for f in (e.form, e.ui_form) if f}


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse untrusted XML or raise ModelInvalid; never resolves entities or reads anything."""
    if len(data) > MAX_BYTES:
        raise ModelInvalid([Problem.coded(None, "file_too_large", mb=MAX_BYTES // (1024 * 1024))])
    data = as_utf8(data)          # before the byte-level checks below, which look for ASCII
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ModelInvalid([Problem.coded(None, "dtd_refused")])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ModelInvalid([Problem.coded(None, "xml_malformed", reason=exc.msg, line=exc.lineno)]) from None
    if _depth(root) > MAX_DEPTH:
        raise ModelInvalid([Problem.coded(None, "xml_too_deep", depth=MAX_DEPTH)])
    if _local(root.tag) != "definitions" or etree.QName(root).namespace != BPMN:
        raise ModelInvalid([Problem.coded(None, "root_not_definitions")])
    return root.getroottree()


def _depth(root) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if d <= MAX_DEPTH:
            stack.extend((child, d + 1) for child in node)
    return deepest


def _element_at_line(tree, line) -> str | None:
    if not line:
        return None
    best = None
    for el in tree.iter():
        if isinstance(el.tag, str) and el.sourceline and el.sourceline <= int(line) and el.get("id"):
            best = el.get("id")
    return best


def compile_process(data: bytes) -> CompiledProcess:
    """Validate a BPMN file and compile its main executable process, or raise ModelInvalid."""
    tree = parse_xml(data)
    root = tree.getroot()
    if not root.get("targetNamespace"):
        raise ModelInvalid([Problem.coded(root.get("id"), "target_namespace_missing")])
    try:
        VALIDATOR.validate(copy.deepcopy(tree).getroot())
    except ValidationException as exc:
        element = _element_at_line(tree, exc.line_number)
        text = str(exc).replace("{%s}" % BPMN, "bpmn:").replace("{%s}" % SPIFF, "spiffworkflow:")
        raise ModelInvalid([Problem.coded(element, "bpmn_schema", line=exc.line_number, reason=text)]) from None

    problems: list[Problem] = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id") in RESERVED_IDS:
            problems.append(Problem.coded(el.get("id"), "reserved_id", id=el.get("id")))
    process = _main_process(root, problems)
    if problems:
        raise ModelInvalid(problems)

    elements, lanes, scripts = _describe(process)
    problems.extend(_dangling_references(root, process))
    problems.extend(correlation_problems(root))
    for element_id, source, mode in scripts:
        refused = refusal(source, mode)
        if refused:
            problems.append(Problem.coded(element_id, "sandbox_refused", **refused))
    if problems:
        raise ModelInvalid(problems)

    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_xml(copy.deepcopy(tree), filename="diagram.bpmn")
        spec = parser.get_spec(process.get("id"))
        subprocess_specs = parser.get_subprocess_specs(process.get("id"))
    except ValidationException as exc:
        raise ModelInvalid([Problem.coded(exc.id or None, "engine_refused", **_engine_refusal(exc))]) from None
    except SpiffWorkflowException as exc:
        raise ModelInvalid([Problem.coded(getattr(exc, "id", None), "engine_refused", **_engine_refusal(exc))]) from None
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ModelInvalid([Problem.coded(process.get("id"), "engine_cannot_read", reason=str(exc))]) from None

    starts = [e for e in elements if e.type == "startEvent"]
    return CompiledProcess(
        process_id=process.get("id"), name=process.get("name"), spec=spec,
        subprocess_specs=subprocess_specs, spec_json=spec_to_json(spec, subprocess_specs),
        elements=elements, lanes=lanes,
        message_starts=sorted({e.message for e in starts if e.message}),
        start_lanes=[e.lane for e in starts if not e.message],
    )


def _main_process(root, problems: list[Problem]):
    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable", "false").lower() == "true"]
    called = {c.get("calledElement") for c in root.iterfind(".//bpmn:callActivity", NS)}
    main = [p for p in executable if p.get("id") not in called]
    if len(main) != 1:
        if not executable:
            problems.append(Problem.coded(processes[0].get("id") if processes else None, "no_executable_process"))
        else:
            problems.append(Problem.coded(main[1].get("id") if len(main) > 1 else None, "one_executable_process"))
        return None
    return main[0]


def _dangling_references(root, process) -> list[Problem]:
    """What SpiffWorkflow would refuse without naming the element (or with its own internals):
    a call to a process the file lacks, a message that is not declared, a timer with no expression."""
    problems = []
    process_ids = {p.get("id") for p in root.iterfind("bpmn:process", NS)}
    message_ids = {m.get("id") for m in root.iterfind("bpmn:message", NS)}
    for el in process.iter():
        tag = _local(el.tag)
        if tag == "callActivity" and el.get("calledElement") and el.get("calledElement") not in process_ids:
            problems.append(Problem.coded(el.get("id"), "calls_missing_process", process=el.get("calledElement")))
        elif tag == "messageEventDefinition" and el.get("messageRef") and el.get("messageRef") not in message_ids:
            owner = el.getparent()
            problems.append(Problem.coded(owner.get("id") if owner is not None else el.get("id"),
                                          "message_not_declared", message=el.get("messageRef")))
        elif tag == "timerEventDefinition" and not any(
                _text(el, f"bpmn:{kind}") for kind in ("timeDate", "timeDuration", "timeCycle")):
            owner = el.getparent()
            problems.append(Problem.coded(owner.get("id") if owner is not None else el.get("id"), "timer_without_expression"))
    return problems


def _text(el, path) -> str | None:
    found = el.find(path, NS)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _describe(process):
    """Elements, lane names and every piece of diagram code (element id, source, mode)."""
    from .words import translations_of     # words.py reads XML with this module's helpers
    lane_of: dict[str, str] = {}
    lanes: list[tuple[str, str]] = []
    for lane in process.iterfind(".//bpmn:lane", NS):
        lanes.append((lane.get("id"), lane.get("name") or lane.get("id")))
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            lane_of[(ref.text or "").strip()] = lane.get("name") or lane.get("id")

    elements: list[Element] = []
    scripts: list[tuple[str, str, str]] = []
    messages = {m.get("id"): m.get("name") for m in process.getroottree().getroot().iterfind("bpmn:message", NS)}
    for el in process.iter():
        tag = _local(el.tag)
        eid = el.get("id")
        if tag == "sequenceFlow":
            cond = _text(el, "bpmn:conditionExpression")
            if cond:
                scripts.append((eid, cond, "eval"))
            continue
        if tag not in FLOW_NODES:
            continue
        docs = " ".join((d.text or "").strip() for d in el.findall("bpmn:documentation", NS))
        props = {p.get("name"): p.get("value") for p in el.iterfind(".//spiffworkflow:property", NS)}
        item = Element(id=eid, type=tag, name=el.get("name"), lane=lane_of.get(eid), documentation=docs,
                       clauses=clauses_in(docs), form=props.get("formJsonSchemaFilename") or None,
                       ui_form=props.get("formUiSchemaFilename") or None,
                       required_role=props.get("requiredRole") or None, attached_to=el.get("attachedToRef"),
                       words=translations_of(el))
        if tag == "boundaryEvent" and item.lane is None:
            item.lane = lane_of.get(item.attached_to)
        timer = el.find("bpmn:timerEventDefinition", NS)
        if timer is not None:
            for kind in ("timeDate", "timeDuration", "timeCycle"):
                expr = _text(timer, f"bpmn:{kind}")
                if expr:
                    item.timer = expr
                    scripts.append((eid, expr, "eval"))
        message = el.find("bpmn:messageEventDefinition", NS)
        if message is not None:
            item.message = messages.get(message.get("messageRef"))
            item.throws = tag in ("intermediateThrowEvent", "endEvent")
            payload = _text(message, ".//spiffworkflow:messagePayload")
            if payload:
                scripts.append((eid, payload, "eval"))
        if tag == "scriptTask":
            src = _text(el, "bpmn:script")
            if src:
                scripts.append((eid, src, "exec"))
        for kind in ("preScript", "postScript"):
            src = _text(el, f"bpmn:extensionElements/spiffworkflow:{kind}")
            if src:
                scripts.append((eid, src, "exec"))
        elements.append(item)
    return elements, lanes, scripts
