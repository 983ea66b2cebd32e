"""Workflow state in and out of JSON, with the spec kept apart.

The spec of a version is stored once (in the registry) and restored once per process; an
instance row holds only its own state. SpiffWorkflow's serializer always writes the spec into
the workflow's dict, so it is swapped for a reference on the way out and the cached objects are
put back on the way in.
"""
from __future__ import annotations

import json
from contextvars import ContextVar

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

_registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
SERIALIZER = BpmnWorkflowSerializer(_registry)
_CACHED = "qamqor.CachedSpec"
_specs_in_flight: ContextVar[dict] = ContextVar("qamqor_specs_in_flight")


class _CachedSpecRef:
    """Stands in for a spec in a serialized workflow; restored from ``_specs_in_flight``."""


_registry.register(_CachedSpecRef, lambda ref: {}, lambda dct: _specs_in_flight.get()[dct["key"]], _CACHED)


def spec_to_json(spec, subprocess_specs: dict) -> str:
    return json.dumps({"spec": SERIALIZER.to_dict(spec),
                       "subprocess_specs": {k: SERIALIZER.to_dict(v) for k, v in subprocess_specs.items()}})


def spec_from_json(text: str):
    dct = json.loads(text)
    spec = SERIALIZER.from_dict(dct["spec"])
    subs = {k: SERIALIZER.from_dict(v) for k, v in dct.get("subprocess_specs", {}).items()}
    return spec, subs


def workflow_to_json(workflow) -> str:
    dct = SERIALIZER.to_dict(workflow)
    dct.pop("spec", None)
    dct.pop("subprocess_specs", None)
    dct[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return json.dumps(dct, default=_json_default)


def _json_default(value):
    raise TypeError(f"{type(value).__name__} cannot be stored in task data")


def workflow_from_json(text: str, spec, subprocess_specs: dict):
    dct = json.loads(text)
    SERIALIZER.migrate(dct)
    dct["spec"] = {"typename": _CACHED, "key": ""}
    dct["subprocess_specs"] = {name: {"typename": _CACHED, "key": name} for name in subprocess_specs}
    token = _specs_in_flight.set({"": spec, **subprocess_specs})
    try:
        return SERIALIZER.from_dict(dct)
    finally:
        _specs_in_flight.reset(token)
