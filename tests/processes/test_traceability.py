"""Every clause of the Guide is implemented somewhere, every deadline is a timer, every lane an agency,
every form a valid JSON Schema, and every name a condition, timer or payload reads exists by then."""
from __future__ import annotations

import ast
import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator
from lxml import etree

import process_harness as h
from app.agencies import AGENCIES, BY_CODE, agency_for_lane

NS = h.NS
B = "{%s}" % NS["bpmn"]
CLAUSE_RE = re.compile(r"\bP\d+(?:\.(?:\d+|[a-z]))?\b")       # as app.engine.model reads documentation

CLAUSE_IDS = (
    ["P1", "P2", "P3", "P4.a", "P4.b", "P4.c", "P5", "P6", "P7"]
    + [f"P8.{i}" for i in range(1, 11)] + ["P9.1", "P9.2"]
    + [f"P10.{i}" for i in range(1, 11)] + [f"P11.{i}" for i in range(1, 12)]
    + [f"P12.{i}" for i in range(1, 9)] + [f"P13.{i}" for i in range(1, 7)]
    + [f"P14.{i}" for i in range(1, 4)] + [f"P15.{i}" for i in range(1, 6)]
)
DEADLINES = {
    "P4.a": (1, "working_days"), "P4.b": (2, "calendar_days"), "P7": (1, "working_days"),
    "P12.4": (7, "calendar_days"),
    **{c: (None, "immediately") for c in ("P4.c", "P5", "P8.4", "P12.1", "P12.2", "P13.3", "P14.1")},
}
FUNCTIONS = {"now", "add_working_days", "add_days", "add_hours", "ack_deadline", "is_working_day", "child_age"}
SERVICE_KEYS = {"case_notified_agencies"}       # app/instances/notified.py
CHAPTER1_START_KEYS = {"case_id", "registration_number", "received_at", "reporting_agency"}


def local(el) -> str:
    return etree.QName(el).localname


@pytest.fixture(scope="module")
def guide():
    return yaml.safe_load((h.PROCESSES / "guide.yaml").read_text(encoding="utf-8"))


def documented(diagrams) -> dict[str, list[tuple[str, str]]]:
    """clause id -> [(file, element id)] from the documentation of flow nodes."""
    out: dict[str, list] = {}
    for file, root in diagrams.items():
        proc = root.find("bpmn:process", NS)
        for el in proc.iter():
            if not isinstance(el.tag, str) or el.getparent() is not proc:
                continue
            for doc in el.findall("bpmn:documentation", NS):
                for cid in CLAUSE_RE.findall(doc.text or ""):
                    out.setdefault(cid, []).append((file, el.get("id")))
    return out


# -- clauses and deadlines --------------------------------------------------------------------------------
def test_every_clause_is_implemented(diagrams):
    found = documented(diagrams)
    missing = [c for c in CLAUSE_IDS if c not in found]
    assert not missing, f"clauses no element documents: {missing}"
    unknown = sorted(set(found) - set(CLAUSE_IDS))
    assert not unknown, f"documentation names clauses the Guide does not have: {unknown}"


def test_every_deadline_is_a_boundary_timer_documenting_its_clause(diagrams):
    timers: dict[str, list[str]] = {}
    for root in diagrams.values():
        for boundary in root.iterfind(".//bpmn:boundaryEvent", NS):
            expr = boundary.find("bpmn:timerEventDefinition/bpmn:timeDate", NS)
            if expr is None:
                continue
            for doc in boundary.findall("bpmn:documentation", NS):
                for cid in CLAUSE_RE.findall(doc.text or ""):
                    timers.setdefault(cid, []).append(expr.text.strip())
    for cid, (amount, unit) in DEADLINES.items():
        assert cid in timers, f"{cid} sets a deadline but no boundary timer documents it"
        for expr in timers[cid]:
            if unit == "working_days":
                assert expr == f"add_working_days(received_at, {amount})", (cid, expr)
            elif unit == "calendar_days":
                assert expr == f"add_days(received_at, {amount})", (cid, expr)
            else:
                assert expr.startswith("ack_deadline("), (cid, expr)


def test_guide_yaml_lists_the_clauses_agencies_and_chapters(guide, diagrams):
    assert [a["code"] for a in guide["agencies"]] == [a.code for a in AGENCIES]
    assert {a["code"]: a["name_ru"] for a in guide["agencies"]} == {a.code: a.name_ru for a in AGENCIES}
    assert [c["id"] for c in guide["clauses"]] == CLAUSE_IDS
    for c in guide["clauses"]:
        assert c["agencies"] and set(c["agencies"]) <= set(BY_CODE), c["id"]
        assert re.search(r"[А-Яа-я]", c["text"]), c["id"]
        expected = DEADLINES.get(c["id"])
        if expected is None:
            assert "deadline" not in c, c["id"]
        else:
            assert c["deadline"] == {"amount": expected[0], "unit": expected[1]}, c["id"]
        paragraph = int(c["id"][1:].split(".")[0])
        chapter = 1 if paragraph <= 7 else {8: 2, 9: 2, 10: 3, 11: 4, 12: 5, 13: 6, 14: 7, 15: 8}[paragraph]
        assert c["chapter"] == chapter, c["id"]
    assert [c["number"] for c in guide["chapters"]] == list(range(1, 9))
    for c in guide["chapters"] + guide["auxiliary_processes"]:
        assert c["file"] in diagrams, c["file"]
        assert diagrams[c["file"]].find("bpmn:process", NS).get("id") == c["process"]
    assert len(guide["chapters"]) + len(guide["auxiliary_processes"]) == len(diagrams)


def test_guide_yaml_messages_match_the_diagrams(guide, diagrams):
    thrown = {}
    for root in diagrams.values():
        names = {m.get("id"): m.get("name") for m in root.findall("bpmn:message", NS)}
        for md in root.iter(B + "messageEventDefinition"):
            if local(md.getparent()) in ("intermediateThrowEvent", "endEvent"):
                thrown.setdefault(names[md.get("messageRef")], set()).add(md.getparent().get("id"))
    listed = {m["name"]: {s["element"] for s in m["sent_by"]} for m in guide["messages"]}
    assert {k: v for k, v in listed.items() if v} == thrown


# -- lanes and forms --------------------------------------------------------------------------------------
def test_every_lane_is_an_agency(diagrams):
    for file, root in diagrams.items():
        lanes = list(root.iterfind(".//bpmn:lane", NS))
        codes = [agency_for_lane(lane.get("name")) for lane in lanes]
        assert None not in codes, f"{file}: lanes {[l.get('name') for l in lanes]}"
        assert len(set(codes)) == len(codes), f"{file}: one lane per agency"
        for lane, code in zip(lanes, codes):
            assert lane.get("name") == BY_CODE[code].name_ru, f"{file}: write the lane as in app/agencies.py"


def test_every_user_task_has_a_valid_form(diagrams):
    try:
        from app.forms.validation import check_schema
    except ImportError:  # pragma: no cover
        check_schema = None
    used = set()
    for file, root in diagrams.items():
        for task in root.iterfind(".//bpmn:userTask", NS):
            props = {p.get("name"): p.get("value") for p in task.iterfind(".//spiffworkflow:property", NS)}
            for key in ("formJsonSchemaFilename", "formUiSchemaFilename"):
                name = props.get(key)
                if not name:
                    assert key != "formJsonSchemaFilename", f"{file}: {task.get('id')} has no form"
                    continue
                path = h.FORMS / name
                assert path.is_file(), f"{file}: {task.get('id')}: forms/{name} does not exist"
                schema = json.loads(path.read_text(encoding="utf-8"))
                used.add(name)
                if key == "formJsonSchemaFilename":
                    Draft202012Validator.check_schema(schema)
                    assert schema.get("type") == "object" and re.search(r"[А-Яа-я]", schema.get("title", ""))
                    if check_schema is not None:
                        assert check_schema(schema) == [], name
    unused = sorted(p.name for p in h.FORMS.glob("*.json")) and \
        sorted(set(p.name for p in h.FORMS.glob("*.json")) - used)
    assert not unused, f"forms no task uses: {unused}"


def _labels(schema, path="") -> list[tuple[str, dict]]:
    out = []
    for key, sub in (schema.get("properties") or {}).items():
        out.append((f"{path}{key}", sub))
        if sub.get("type") == "object":
            out += _labels(sub, f"{path}{key}.")
        if sub.get("type") == "array" and isinstance(sub.get("items"), dict) and sub["items"].get("type") == "object":
            out += _labels(sub["items"], f"{path}{key}[].")
    return out


def test_forms_speak_russian_and_use_one_enum_convention():
    for path in sorted(h.FORMS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema", path.name
        assert re.search(r"[А-Яа-я]", schema.get("description", "")), path.name
        for field, sub in _labels(schema):
            assert re.match(r"^[a-z][a-z0-9_]*(\[\])?(\.[a-z][a-z0-9_]*(\[\])?)*$", field), f"{path.name}: {field}"
            assert re.search(r"[А-Яа-я]", sub.get("title", "")), f"{path.name}: {field} needs a Russian title"
            assert "enum" not in sub, f"{path.name}: {field}: enums are oneOf of const/title here"
            for option in sub.get("oneOf", []) + (sub.get("items") or {}).get("oneOf", []):
                # an option's Kazakh and English words sit beside its Russian title (forms/README.md)
                assert set(option) - {"x-i18n"} == {"const", "title"} and re.search(r"[А-Яа-я]", option["title"]), \
                    f"{path.name}: {field}"


def test_child_identity_is_the_same_everywhere():
    for path in sorted(h.FORMS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        child = (schema.get("properties") or {}).get("child")
        if child is None:
            continue
        props = child["properties"]
        assert {"last_name", "first_name", "patronymic", "iin", "no_iin_reason", "birth_date", "sex"} <= set(props)
        assert props["iin"]["format"] == "iin" and props["birth_date"]["format"] == "date"
        assert [o["const"] for o in props["no_iin_reason"]["oneOf"]] == ["foreign_citizen", "undocumented", "unknown"]
        assert [o["const"] for o in props["sex"]["oneOf"]] == ["male", "female"]
        assert child["x-iin"] == {"iin": "iin", "birthDate": "birth_date", "sex": "sex",
                                  "noIinReason": "no_iin_reason"}


# -- data: what conditions, timers, payloads and instructions read exists when they run -------------------
def _names(expr: str) -> set[str]:
    tree = ast.parse(expr.strip(), mode="eval" if "\n" not in expr.strip() or expr.strip().startswith("{")
                     else "exec")
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} \
        - FUNCTIONS - {"True", "False", "None"}


def _form_fields(task) -> tuple[set[str], set[str]]:
    props = {p.get("name"): p.get("value") for p in task.iterfind(".//spiffworkflow:property", NS)}
    schema = json.loads((h.FORMS / props["formJsonSchemaFilename"]).read_text(encoding="utf-8"))
    fields = {k for k, v in (schema.get("properties") or {}).items() if not v.get("readOnly")}
    return fields, set(schema.get("required") or [])


def _payload_keys(diagrams) -> dict[str, set[str]]:
    """message name -> keys every sender puts in its payload."""
    keys: dict[str, set[str]] = {}
    for root in diagrams.values():
        names = {m.get("id"): m.get("name") for m in root.findall("bpmn:message", NS)}
        for md in root.iter(B + "messageEventDefinition"):
            payload = md.find("bpmn:extensionElements/spiffworkflow:messagePayload", NS)
            if payload is None:
                continue
            tree = ast.parse(payload.text.strip(), mode="eval")
            sent = {k.value for k in tree.body.keys}
            name = names[md.get("messageRef")]
            keys[name] = keys[name] & sent if name in keys else sent
    return keys


def _availability(root, payload_keys):
    """For each flow node, the data keys present on every path that reaches it (and the fields it adds)."""
    proc = root.find("bpmn:process", NS)
    nodes = {el.get("id"): el for el in proc if isinstance(el.tag, str) and el.get("id")
             and local(el) not in ("sequenceFlow", "laneSet")}
    names = {m.get("id"): m.get("name") for m in root.findall("bpmn:message", NS)}
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for f in proc.iterfind("bpmn:sequenceFlow", NS):
        preds[f.get("targetRef")].append(f.get("sourceRef"))
    adds: dict[str, set[str]] = {}
    start_keys: dict[str, set[str]] = {}
    for nid, el in nodes.items():
        adds[nid] = set()
        if local(el) == "userTask":
            adds[nid] = _form_fields(el)[1]          # only required fields surely exist after the task
            adds[nid] |= SERVICE_KEYS                 # the service adds these to every completed task
        md = el.find("bpmn:messageEventDefinition", NS)
        if md is not None and local(el) in ("startEvent", "intermediateCatchEvent"):
            adds[nid] = {"msg"}
            if local(el) == "startEvent":
                start_keys[nid] = payload_keys[names[md.get("messageRef")]] | {"case_id", "registration_number",
                                                                                "msg"}
        elif local(el) == "startEvent":
            start_keys[nid] = set(CHAPTER1_START_KEYS)
        if local(el) == "boundaryEvent":
            preds[nid] = list(preds[el.get("attachedToRef")])   # fires while its task is still open
    universe = set().union(*adds.values(), *start_keys.values())
    avail = {n: (set(start_keys[n]) if n in start_keys else set(universe)) for n in nodes}
    changed = True
    while changed:
        changed = False
        for n, el in nodes.items():
            if n in start_keys:
                continue
            incoming = [avail[p] | adds[p] for p in preds[n]]
            if not incoming:
                new = set()
            elif local(el) == "parallelGateway" and len(incoming) > 1:
                new = set().union(*incoming)
            else:
                new = set.intersection(*incoming)
            if new != avail[n]:
                avail[n], changed = new, True
    return nodes, avail, adds


@pytest.mark.parametrize("file", [p.name for p in h.diagram_files()])
def test_conditions_timers_payloads_read_data_that_exists(file, diagrams):
    root = diagrams[file]
    nodes, avail, adds = _availability(root, _payload_keys(diagrams))
    proc = root.find("bpmn:process", NS)
    problems = []
    for f in proc.iterfind("bpmn:sequenceFlow", NS):
        cond = f.find("bpmn:conditionExpression", NS)
        if cond is not None:
            missing = _names(cond.text) - avail[f.get("sourceRef")]
            if missing:
                problems.append(f"{f.get('id')}: condition reads {sorted(missing)}")
    for nid, el in nodes.items():
        for expr in el.iterfind(".//bpmn:timeDate", NS):
            missing = _names(expr.text) - avail[nid]
            if missing:
                problems.append(f"{nid}: timer reads {sorted(missing)}")
        payload = el.find(".//spiffworkflow:messagePayload", NS)
        if payload is not None:
            missing = _names(payload.text) - avail[nid]
            if missing:
                problems.append(f"{nid}: payload reads {sorted(missing)}")
        cond = el.find("bpmn:conditionalEventDefinition/bpmn:condition", NS)
        if cond is not None:
            missing = _names(cond.text) - avail[nid]
            if missing:
                problems.append(f"{nid}: start condition reads {sorted(missing)}")
        text = el.find("bpmn:extensionElements/spiffworkflow:instructionsForEndUser", NS)
        if text is not None:
            used = set(re.findall(r"{{\s*([a-z_]+)", text.text or ""))
            missing = used - avail[nid] - _form_fields(el)[0] if local(el) == "userTask" else used - avail[nid]
            if missing:
                problems.append(f"{nid}: instructions read {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_fields_read_by_gateways_are_required_in_their_forms(diagrams):
    read = set()
    for root in diagrams.values():
        for cond in root.iter(B + "conditionExpression"):
            read |= _names(cond.text)
    for path in sorted(h.FORMS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for key in set(schema.get("properties") or {}) & read:
            assert key in schema.get("required", []), f"{path.name}: {key} is read by a gateway, make it required"
