"""What a diagram makes a case do beyond its shapes: conditions, scripts, message payloads and
variables, documentation, instructions, and how the flows connect.

The registry keeps a plain description of every flow node (name, lane, timer, form, ...), but not
the code and texts the engine runs; the version diff reads them from the stored XML, so a version
whose only change is a gateway condition (``offence == True`` → ``offence == True and age < 18``)
is a change a process owner sees, compares and may deploy.
"""
from __future__ import annotations

from .model import ModelInvalid
from .parser import FLOW_NODES, NS, _local, _text, parse_xml

# aspect → where it is written, relative to the element
_CODE = (
    ("script", "bpmn:script"),
    ("pre_script", "bpmn:extensionElements/spiffworkflow:preScript"),
    ("post_script", "bpmn:extensionElements/spiffworkflow:postScript"),
    ("instructions", "bpmn:extensionElements/spiffworkflow:instructionsForEndUser"),
    ("payload", "bpmn:messageEventDefinition//spiffworkflow:messagePayload"),
    ("message_variable", "bpmn:messageEventDefinition//spiffworkflow:messageVariable"),
    ("called_element", None),
)
# Properties the registry's element description already compares (form, UI schema, role).
_DESCRIBED = {"formJsonSchemaFilename", "formUiSchemaFilename", "requiredRole"}


def _documentation(el) -> str | None:
    text = "\n".join((d.text or "").strip() for d in el.findall("bpmn:documentation", NS) if (d.text or "").strip())
    return text or None


def _loop(el) -> str | None:
    """A task's repetition (multi-instance or standard loop) in one line: what runs how often."""
    for kind in ("multiInstanceLoopCharacteristics", "standardLoopCharacteristics"):
        loop = el.find(f"bpmn:{kind}", NS)
        if loop is not None:
            parts = [kind] + [f"{k}={v}" for k, v in sorted(loop.attrib.items())]
            for child in loop:
                name = _local(child.tag)
                text = (child.text or "").strip()
                if name:
                    parts.append(f"{name}={text}" if text else name)
            return " ".join(parts)
    return None


# Elements whose only behaviour worth comparing is their properties: what they are called in kk and en.
_WORDS_ONLY = ("lane", "process")


def _properties(el) -> dict[str, str]:
    return {f"property:{prop.get('name')}": prop.get("value") or ""
            for prop in el.iterfind("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS)
            if prop.get("name") and prop.get("name") not in _DESCRIBED}


def behaviour_of(xml: bytes | str) -> dict[str, dict]:
    """Per element id of the main executable process: ``{"type", "name", "aspects": {aspect: text}}``.

    Sequence flows carry ``path`` ("source → target") and ``condition``; flow nodes their code and
    texts. A diagram that no longer parses gives an empty description (nothing to compare with).
    """
    try:
        root = parse_xml(xml.encode("utf-8") if isinstance(xml, str) else xml).getroot()
    except ModelInvalid:
        return {}
    processes = [p for p in root.findall("bpmn:process", NS) if p.get("isExecutable", "false").lower() == "true"]
    called = {c.get("calledElement") for c in root.iterfind(".//bpmn:callActivity", NS)}
    main = [p for p in processes if p.get("id") not in called] or processes
    if not main:
        return {}
    found: dict[str, dict] = {}
    for el in main[0].iter():
        tag, eid = _local(el.tag), el.get("id")
        if not eid or (tag not in FLOW_NODES and tag not in ("sequenceFlow", *_WORDS_ONLY)):
            continue
        aspects: dict[str, str] = {}
        if tag in _WORDS_ONLY:           # a lane's or the process's translations (app/engine/words.py) are a change
            aspects.update(_properties(el))
            found[eid] = {"type": tag, "name": el.get("name"), "aspects": aspects, "ends": None}
            continue
        if tag == "sequenceFlow":
            aspects["path"] = f"{el.get('sourceRef')} → {el.get('targetRef')}"
            condition = _text(el, "bpmn:conditionExpression")
            if condition:
                aspects["condition"] = condition
        for aspect, path in _CODE:
            value = el.get("calledElement") if aspect == "called_element" else _text(el, path)
            if value:
                aspects[aspect] = value
        if el.get("default"):
            aspects["default_flow"] = el.get("default")
        if tag == "boundaryEvent":
            aspects["interrupting"] = "no" if el.get("cancelActivity", "true").lower() == "false" else "yes"
        for kind in ("timeDate", "timeDuration", "timeCycle"):
            if _text(el, f"bpmn:timerEventDefinition/bpmn:{kind}"):
                aspects["timer_kind"] = kind
        loop = _loop(el)
        if loop:
            aspects["loop"] = loop
        documentation = _documentation(el)
        if documentation:
            aspects["documentation"] = documentation
        aspects.update(_properties(el))
        found[eid] = {"type": tag, "name": el.get("name"), "aspects": aspects,
                      "ends": (el.get("sourceRef"), el.get("targetRef")) if tag == "sequenceFlow" else None}
    return found
