"""BPMN correlation: which waiting catch a message is meant for, and the diagrams that cannot say.

A diagram declares ``bpmn:correlationProperty`` elements, each with a retrieval expression per
message; a ``bpmn:correlationKey`` groups properties. SpiffWorkflow computes a message's keys from
its payload when it is thrown (``{key: {property: value}}``), remembers the keys of what an
instance sent or received in ``workflow.correlations``, and lets a catch with correlation
properties take a message only when one of the message's keys equals the instance's. This module
reads those facts out as plain data — so that the service can store what a waiting catch expects
and match messages without loading workflows — and refuses at deploy time the diagrams whose
correlation could never match, instead of letting their messages wait forever.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from .model import Problem
from .restricted import refusal

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}
IMPLICIT_KEY = "MainCorrelationKey"       # what SpiffWorkflow calls the key of properties no key lists

Keys = dict[str, dict[str, Any]]


def _plain(value):
    return json.loads(json.dumps(value, default=str))


# -- run time ------------------------------------------------------------------------------------------
def waiting_expectations(pending_events: Iterable) -> dict[str, list[Keys] | None]:
    """For each message name waited for, the keys a matching message must carry (any one of them).

    None means the catch takes any message of that name: it declares no correlation property, or
    the instance has no keys yet (SpiffWorkflow then lets the first message set them)."""
    expected: dict[str, list[Keys] | None] = {}
    for pending in pending_events:
        if pending.event_type != "MessageEventDefinition":
            continue
        keys = _plain(pending.correlations) if pending.value and pending.correlations else None
        if keys is None or expected.get(pending.name, []) is None:
            expected[pending.name] = None
        elif keys not in expected.setdefault(pending.name, []):
            expected[pending.name].append(keys)
    return expected


def matches(message_keys: Keys | None, expected: list[Keys] | None) -> bool:
    """SpiffWorkflow's rule, on stored data: one of the message's keys equals the instance's.

    A message whose keys are unknown (from outside, or from a sender that declares none) is a
    candidate for every catch; the receiver's own retrieval expressions decide on delivery."""
    if expected is None or not message_keys:
        return True
    return any(message_keys.get(key) == alternative.get(key) for alternative in expected for key in message_keys)


def receiver_keys(wf, name: str, payload: dict) -> Keys:
    """A message's keys as the waiting catches of ``wf`` read them from its payload.

    For messages whose sender computed none. The catches' retrieval expressions run in the
    workflow's script environment (the sandbox); one that fails on this payload yields no key."""
    keys: Keys = {}
    for task in wf.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, MessageEventDefinition) or definition.name != name:
            continue
        for prop in definition.correlation_properties:
            try:
                value = wf.script_engine.environment.evaluate(prop.retrieval_expression, dict(payload))
            except Exception:    # noqa: BLE001 - any failure of diagram code on foreign data means "no key"
                continue
            for key in prop.correlation_keys:
                keys.setdefault(key, {})[prop.name] = value
    return _plain(keys)


# -- deploy time ------------------------------------------------------------------------------------------
def correlation_problems(root) -> list[Problem]:
    """What would make a message of this file wait forever or be refused by SpiffWorkflow anonymously:
    a property without retrievals, a retrieval without a message or expression, an expression the
    sandbox refuses, a key naming an undeclared property, and a message that retrieves only some of
    a key's properties (its key could never equal the instance's)."""
    problems: list[Problem] = []
    messages = {m.get("id"): m.get("name") or m.get("id") for m in root.iterfind(".//bpmn:message", NS)}
    retrieved: dict[str, set[str]] = {}              # property id -> message ids it has a retrieval for
    for prop in root.iterfind(".//bpmn:correlationProperty", NS):
        pid = prop.get("id")
        if not pid:
            problems.append(Problem.coded(prop.get("name"), "correlation_property_without_id"))
            continue
        retrieved[pid] = set()
        retrievals = prop.findall("bpmn:correlationPropertyRetrievalExpression", NS)
        if not retrievals:
            problems.append(Problem.coded(pid, "correlation_property_without_retrieval"))
        for retrieval in retrievals:
            ref = retrieval.get("messageRef")
            if not ref or ref not in messages:
                problems.append(Problem.coded(pid, "retrieval_message_not_declared", message=ref) if ref else
                                Problem.coded(pid, "retrieval_without_message"))
                continue
            expression = _expression(retrieval)
            if not expression:
                problems.append(Problem.coded(pid, "retrieval_empty", message=messages[ref]))
                continue
            refused = refusal(expression, "eval")
            if refused:
                problems.append(Problem.coded(pid, "retrieval_refused", message=messages[ref], **refused))
                continue
            retrieved[pid].add(ref)

    keys: dict[str, list[str]] = {}
    listed: set[str] = set()
    for key in root.iterfind(".//bpmn:correlationKey", NS):
        name = key.get("name") or key.get("id")
        for ref in key.iterfind("bpmn:correlationPropertyRef", NS):
            pid = (ref.text or "").strip()
            if pid not in retrieved:
                problems.append(Problem.coded(key.get("id") or name, "correlation_key_unknown_property",
                                                    key=name, property=pid))
                continue
            keys.setdefault(name, []).append(pid)
            listed.add(pid)
    unlisted = [pid for pid in retrieved if pid not in listed]
    if unlisted:
        keys[IMPLICIT_KEY] = unlisted
    for name, pids in keys.items():
        for ref in sorted(set().union(*(retrieved[p] for p in pids))):
            for pid in pids:
                if ref not in retrieved[pid]:
                    problems.append(Problem.coded(pid, "correlation_key_never_matches", message=messages[ref], key=name))

    for owner in root.iter():
        for var in owner.findall("bpmn:messageEventDefinition//spiffworkflow:processVariableCorrelation", NS):
            pid = (var.findtext("spiffworkflow:propertyId", default="", namespaces=NS) or "").strip()
            expression = (var.findtext("spiffworkflow:expression", default="", namespaces=NS) or "").strip()
            if pid not in retrieved:
                problems.append(Problem.coded(owner.get("id"), "correlates_by_unknown_property", property=pid))
            refused = refusal(expression, "eval") if expression else {
                "reason": "the expression is empty", "reason_code": "expression_empty", "reason_params": {}}
            if refused:
                problems.append(Problem.coded(owner.get("id"), "correlation_expression_refused", property=pid,
                                                  **refused))
    return problems


def _expression(retrieval) -> str | None:
    # bpmn-js writes bpmn:formalExpression, the BPMN schema bpmn:messagePath; SpiffWorkflow reads the first child.
    for child in retrieval:
        if isinstance(child.tag, str) and etree.QName(child).localname in ("formalExpression", "messagePath"):
            return (child.text or "").strip() or None
    return None
