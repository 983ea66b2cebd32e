"""What changed between two versions of a process, in the words a process owner uses.

Computed from the plain element descriptions the registry stores for every version (no engine,
no XML): an element is the same element when its BPMN id is the same. Layout (where a shape is
drawn) is deliberately not a change: moving a box on the canvas changes nothing a case does.
"""
from __future__ import annotations

from typing import Any

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


def diff_versions(before, after) -> list[dict[str, Any]]:
    """Every change between two ProcessVersion rows (or anything with elements and forms)."""
    return diff_elements(before.elements, after.elements) + diff_forms(before.forms or {}, after.forms or {})


def _change(kind: str, element: dict, before, after, text: str) -> dict[str, Any]:
    return {"kind": kind, "element_id": element["id"], "type": element.get("type"), "name": element.get("name"),
            "before": before, "after": after, "text": text}
