"""What changed between two versions of a process, in the words a process owner uses.

Computed from the plain element descriptions the registry stores for every version, and from the
code and texts the engine runs (conditions, scripts, payloads, instructions, documentation, the
flows' ends), which the engine reads from each version's stored XML: an element is the same
element when its BPMN id is the same. Layout (where a shape is drawn) is deliberately not a
change: moving a box on the canvas changes nothing a case does.
"""
from __future__ import annotations

from typing import Any

from ..engine.behaviour import behaviour_of
from ..problems import english

# Each change has a ``kind`` (what changed), a ``code`` and ``params`` (app/problems.py's CHANGES words it in
# the reader's language) and ``text``, the English line; the API and the pages reword it per language.

# (field of the element, kind of change = the code of its line)
_FIELDS = (
    ("type", "type_changed"), ("name", "renamed"), ("lane", "moved"), ("timer", "timer_changed"),
    ("form", "form_changed"), ("ui_form", "ui_form_changed"), ("message", "message_changed"),
    ("required_role", "role_changed"), ("attached_to", "reattached"),
)


def _label(element: dict) -> str:
    return f"{element.get('type')} {element['id']!r}" + (f" ({element['name']})" if element.get("name") else "")


def diff_elements(before: list[dict], after: list[dict]) -> list[dict[str, Any]]:
    """Changes of flow elements, in the order of the newer diagram (removed ones last)."""
    old = {e["id"]: e for e in before}
    new = {e["id"]: e for e in after}
    changes: list[dict[str, Any]] = []
    for eid, element in new.items():
        if eid not in old:
            changes.append(_change("added", element, None, None,
                                   "element_added_in_lane" if element.get("lane") else "element_added",
                                   {"lane": element["lane"]} if element.get("lane") else {}))
            continue
        previous = old[eid]
        for field, kind in _FIELDS:
            a, b = previous.get(field), element.get(field)
            if a != b:
                changes.append(_change(kind, element, a, b, kind, {"before": a, "after": b}))
    for eid, element in old.items():
        if eid not in new:
            changes.append(_change("removed", element, None, None, "element_removed", {}))
    return changes


def diff_forms(before: dict[str, dict], after: dict[str, dict]) -> list[dict[str, Any]]:
    """Form files whose content differs between the versions (a changed field, a new rule)."""
    changes = []
    for name in sorted(set(before) | set(after)):
        if name in before and name in after and before[name] != after[name]:
            changes.append({"kind": "form_content_changed", "form": name, "element_id": None,
                            "code": "form_content_changed", "params": {"form": name},
                            "text": english("form_content_changed", {"form": name})})
    return changes


# what the engine runs or shows beyond the element description: (aspect, kind of change = the code of its line)
_ASPECTS = (
    ("path", "flow_rewired"), ("condition", "condition_changed"), ("default_flow", "default_flow_changed"),
    ("script", "script_changed"), ("pre_script", "pre_script_changed"), ("post_script", "post_script_changed"),
    ("payload", "payload_changed"), ("message_variable", "message_variable_changed"),
    ("called_element", "called_element_changed"), ("interrupting", "interrupting_changed"),
    ("timer_kind", "timer_kind_changed"), ("loop", "loop_changed"), ("instructions", "instructions_changed"),
    ("documentation", "documentation_changed"),
)


def diff_behaviour(before: dict[str, dict], after: dict[str, dict]) -> list[dict[str, Any]]:
    """Changed code and texts (``app.engine.behaviour.behaviour_of`` of each version's XML).

    A flow that appears, disappears or moves only because an element it touches was added or
    removed is not listed again: that element's own change says it.
    """
    changes: list[dict[str, Any]] = []
    for eid, element in after.items():
        previous = before.get(eid)
        if previous is None:
            if element["ends"] and all(end in before for end in element["ends"]):
                condition = element["aspects"].get("condition")
                changes.append(_change("flow_added", {"id": eid, **element}, None, element["aspects"].get("path"),
                                       "flow_added_if" if condition else "flow_added",
                                       {"path": element["aspects"].get("path"),
                                        **({"condition": condition} if condition else {})}))
            continue
        old, new = previous["aspects"], element["aspects"]
        known = [a for a, _k in _ASPECTS]
        properties = sorted(a for a in set(old) | set(new) if a not in known)
        for aspect, kind in (*_ASPECTS, *((p, "property_changed") for p in properties)):
            a, b = old.get(aspect), new.get(aspect)
            if a == b:
                continue
            if aspect == "path" and not all(end in before and end in after
                                            for end in {*(previous["ends"] or ()), *(element["ends"] or ())}):
                continue
            params = {"before": a, "after": b}
            if kind == "property_changed":
                params["property"] = aspect.replace(":", " ")
            changes.append(_change(kind, {"id": eid, **element}, a, b, kind, params))
    for eid, element in before.items():
        if eid not in after and element["ends"] and all(end in after for end in element["ends"]):
            changes.append(_change("flow_removed", {"id": eid, **element}, element["aspects"].get("path"), None,
                                   "flow_removed", {"path": element["aspects"].get("path")}))
    return changes


def diff_versions(before, after) -> list[dict[str, Any]]:
    """Every change between two ProcessVersion rows (or anything with elements, forms and XML)."""
    return diff_elements(before.elements, after.elements) \
        + diff_behaviour(behaviour_of(before.bpmn_xml), behaviour_of(after.bpmn_xml)) \
        + diff_forms(before.forms or {}, after.forms or {})


def _change(kind: str, element: dict, before, after, code: str, params: dict) -> dict[str, Any]:
    params = {"element": _label(element), **params}
    return {"kind": kind, "element_id": element["id"], "type": element.get("type"), "name": element.get("name"),
            "before": before, "after": after, "code": code, "params": params, "text": english(code, params)}
