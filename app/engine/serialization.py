"""Workflow state in and out of JSON, with the spec kept apart.

The spec of a version is stored once (in the registry) and restored once per process; an
instance row holds only its own state. SpiffWorkflow's serializer always writes the spec into
the workflow's dict, so it is swapped for a reference on the way out and the cached objects are
put back on the way in.
"""
from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import datetime, timedelta
from types import ModuleType
from uuid import UUID

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


class Unstorable(TypeError):
    """A value in task data that JSON cannot hold (a generator, a set, bytes, a class, ...)."""

    def __init__(self, kind: str):
        super().__init__(f"{kind} cannot be stored in task data")
        self.kind = kind


def _json_default(value):
    raise Unstorable(type(value).__name__)


_STORABLE = (str, int, float, bool, type(None), datetime, timedelta, UUID)   # the last three: Spiff's registry


def find_unstorable(workflow) -> tuple[str | None, str, str] | None:
    """(bpmn id, variable, type name) of the first task-data variable JSON cannot hold, in tree order.

    Only called once serialization has failed, to say which variable of which task was to blame;
    top-level callables are skipped because the serializer drops them (as it does classes)."""
    places = [(getattr(t.task_spec, "bpmn_id", None), t.data) for t in workflow.get_tasks()]
    for bpmn_id, data in [*places, (None, workflow.data)]:
        for name, value in (data or {}).items():
            if callable(value) or isinstance(value, ModuleType):
                continue
            kind = _first_unstorable(value)
            if kind is not None:
                return bpmn_id, str(name), kind
    return None


def _first_unstorable(value, depth: int = 0) -> str | None:
    if isinstance(value, _STORABLE):
        return None
    if depth > 100:
        return "a structure nested too deep"
    if isinstance(value, dict):
        items = list(value.values()) + [k for k in value if not isinstance(k, (str, int, float, bool, type(None)))]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        return type(value).__name__
    for item in items:
        kind = _first_unstorable(item, depth + 1)
        if kind is not None:
            return kind
    return None


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
