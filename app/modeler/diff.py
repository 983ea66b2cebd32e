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

# (field of the element, kind of change, how to say it)
_FIELDS = (
    ("type", "type_changed", "is now a {after} (was a {before})"),
    ("name", "renamed", "renamed from {before!r} to {after!r}"),
    ("lane", "moved", "moved from lane {before!r} to lane {after!r}"),
    ("timer", "timer_changed", "timer changed from {before!r} to {after!r}"),
    ("form", "form_changed", "form changed from {before!r} to {after!r}"),
    ("ui_form", "ui_form_changed", "UI schema changed from {before!r} to {after!r}"),
    ("message", "message_changed", "message changed from {before!r} to {after!r}"),
    ("required_role", "role_changed", "required role changed from {before!r} to {after!r}"),
    ("attached_to", "reattached", "attached to {after!r} (was {before!r})"),
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
            changes.append(_change("added", element, None, None, f"{_label(element)} added"
                                   + (f" in lane {element['lane']!r}" if element.get("lane") else "")))
            continue
        previous = old[eid]
        for field, kind, text in _FIELDS:
            a, b = previous.get(field), element.get(field)
            if a != b:
                changes.append(_change(kind, element, a, b, f"{_label(element)}: " + text.format(before=a, after=b)))
    for eid, element in old.items():
        if eid not in new:
            changes.append(_change("removed", element, None, None, f"{_label(element)} removed"))
    return changes


def diff_forms(before: dict[str, dict], after: dict[str, dict]) -> list[dict[str, Any]]:
    """Form files whose content differs between the versions (a changed field, a new rule)."""
    changes = []
    for name in sorted(set(before) | set(after)):
        if name in before and name in after and before[name] != after[name]:
            changes.append({"kind": "form_content_changed", "form": name, "element_id": None,
                            "text": f"form {name!r}: content changed"})
    return changes


# what the engine runs or shows beyond the element description: (aspect, kind of change, how to say it)
_ASPECTS = (
    ("path", "flow_rewired", "flow"), ("condition", "condition_changed", "condition"),
    ("default_flow", "default_flow_changed", "default flow"), ("script", "script_changed", "script"),
    ("pre_script", "pre_script_changed", "pre-script"), ("post_script", "post_script_changed", "post-script"),
    ("payload", "payload_changed", "message payload"),
    ("message_variable", "message_variable_changed", "message variable"),
    ("called_element", "called_element_changed", "called process"),
    ("interrupting", "interrupting_changed", "interrupts the task"), ("timer_kind", "timer_kind_changed", "timer kind"),
    ("loop", "loop_changed", "repetition"),
    ("instructions", "instructions_changed", "instructions"),
    ("documentation", "documentation_changed", "documentation"),
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
                changes.append(_change("flow_added", {"id": eid, **element}, None, element["aspects"].get("path"),
                                       f"{_label({'id': eid, **element})} added: {element['aspects'].get('path')}"
                                       + (f" if {element['aspects']['condition']}"
                                          if element["aspects"].get("condition") else "")))
            continue
        label = _label({"id": eid, **element})
        old, new = previous["aspects"], element["aspects"]
        known = [a for a, _k, _w in _ASPECTS]
        properties = sorted(a for a in set(old) | set(new) if a not in known)
        for aspect, kind, word in (*_ASPECTS, *((p, "property_changed", p.replace(":", " ")) for p in properties)):
            a, b = old.get(aspect), new.get(aspect)
            if a == b:
                continue
            if aspect == "path" and not all(end in before and end in after
                                            for end in {*(previous["ends"] or ()), *(element["ends"] or ())}):
                continue
            changes.append(_change(kind, {"id": eid, **element}, a, b,
                                   f"{label}: {word} changed: {a if a is not None else '—'} → "
                                   f"{b if b is not None else '—'}"))
    for eid, element in before.items():
        if eid not in after and element["ends"] and all(end in after for end in element["ends"]):
            changes.append(_change("flow_removed", {"id": eid, **element}, element["aspects"].get("path"), None,
                                   f"{_label({'id': eid, **element})} removed: {element['aspects'].get('path')}"))
    return changes


def diff_versions(before, after) -> list[dict[str, Any]]:
    """Every change between two ProcessVersion rows (or anything with elements, forms and XML)."""
    return diff_elements(before.elements, after.elements) \
        + diff_behaviour(behaviour_of(before.bpmn_xml), behaviour_of(after.bpmn_xml)) \
        + diff_forms(before.forms or {}, after.forms or {})


def _change(kind: str, element: dict, before, after, text: str) -> dict[str, Any]:
    return {"kind": kind, "element_id": element["id"], "type": element.get("type"), "name": element.get("name"),
            "before": before, "after": after, "text": text}
