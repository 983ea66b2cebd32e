"""A task's JSON Schema drawn as an HTML form on the server, and the posted form read back as JSON.

Why on the server: the same schema validates on the server (``app.forms.validation``), the page
works without JavaScript, and a redrawn form keeps exactly what was typed next to its errors.
Inputs are named by the dotted path the validator reports (``child.iin``,
``family_members.1.full_name``), so an error lands beside its field without any mapping.

Lists of objects grow and shrink by submit buttons (``__action=add:path`` / ``remove:path.i``):
the server redraws the form with one item more or less, keyboard- and JavaScript-free.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field as dc_field
from typing import Any

ALMATY_OFFSET = "+05:00"
RADIO_MAX = 4            # required enums with at most this many choices are radios, others a select
TEXTAREA_MIN_LENGTH = 500


@dataclass
class Node:
    kind: str                      # text textarea number integer date datetime select radio checkbox
    path: str                      # checkboxes object array readonly
    label: str
    required: bool = False
    value: Any = None
    hint: str | None = None
    options: list[tuple[str, str]] = dc_field(default_factory=list)   # (value, label)
    children: list["Node"] = dc_field(default_factory=list)
    errors: list[str] = dc_field(default_factory=list)
    attrs: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.path.replace(".", "__")) if self.path else "f-root"


def _types(schema: dict) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return [x for x in t if x != "null"]
    if isinstance(t, str):
        return [t]
    if "enum" in schema or "oneOf" in schema:
        return ["enum"]
    if "properties" in schema:
        return ["object"]
    return ["string"]


def _enum(schema: dict) -> list[tuple[Any, str]] | None:
    """(value, label) choices from ``enum`` (+ ``x-enumNames``/``enumNames``) or ``oneOf`` of consts."""
    if isinstance(schema.get("enum"), list):
        names = schema.get("x-enumNames") or schema.get("enumNames") or []
        return [(v, str(names[i]) if i < len(names) else str(v)) for i, v in enumerate(schema["enum"]) if v is not None]
    one = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(one, list) and one and all(isinstance(o, dict) and "const" in o for o in one):
        return [(o["const"], str(o.get("title", o["const"]))) for o in one if o["const"] is not None]
    return None


def _key(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _get(data: Any, key: str | int) -> Any:
    if isinstance(data, dict):
        return data.get(key)
    if isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
        return data[key]
    return None


def _join(base: str, key: Any) -> str:
    return f"{base}.{key}" if base else str(key)


# -- drawing ---------------------------------------------------------------------------------------------------
def build(schema: dict, data: Any, errors: dict[str, list[str]], ui: dict | None = None) -> Node:
    """The form's node tree; errors on paths no field shows stay in ``errors`` for the summary."""
    shown: set[str] = set()
    root = _node(schema, "", data if isinstance(data, dict) else {}, errors, ui or {}, False, shown)
    root.attrs["unplaced"] = [(p, m) for p, msgs in errors.items() if p not in shown for m in msgs]
    return root


def _node(schema: dict, path: str, value: Any, errors, ui: dict, required: bool, shown: set) -> Node:
    schema = schema if isinstance(schema, dict) else {}
    label = str(schema.get("title") or path.rsplit(".", 1)[-1] or "")
    node = Node(kind="text", path=path, label=label, required=required, hint=schema.get("description"))
    node.errors = list(errors.get(path, []))
    shown.add(path)
    widget = (ui or {}).get("ui:widget") or schema.get("x-widget")
    types = _types(schema)
    choices = _enum(schema)
    if schema.get("readOnly") or schema.get("x-from") == "user":      # the signed-in person: shown, not asked
        node.kind, node.value = "readonly", value
        if choices:
            node.value = dict((_key(v), lbl) for v, lbl in choices).get(_key(value), value) if value is not None else None
        return node
    if choices is not None:
        node.options = [(_key(v), lbl) for v, lbl in choices]
        node.value = _key(value) if value is not None else None
        # a picked radio cannot be unpicked: an optional choice is a list whose empty entry clears it
        # (else "ИИН неизвестен" would stay next to an ИИН typed later)
        short = len(choices) <= RADIO_MAX and required
        node.kind = widget if widget in ("radio", "select") else ("radio" if short else "select")
        return node
    kind = types[0] if types else "string"
    if kind == "object":
        node.kind = "object"
        req = set(schema.get("required") or [])
        for name, sub in (schema.get("properties") or {}).items():
            node.children.append(_node(sub, _join(path, name), _get(value, name), errors, (ui or {}).get(name, {}),
                                       name in req, shown))
        spec = schema.get("x-iin") if isinstance(schema.get("x-iin"), dict) else {}
        from_iin = {_join(path, spec[k]) for k in ("birthDate", "sex") if isinstance(spec.get(k), str)}
        for child in node.children:
            if child.path in from_iin:          # left empty, the service takes it from the ИИН (app/forms/known.py)
                child.attrs["from_iin"] = True
        return node
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        item_choices = _enum(items)
        if item_choices is not None:
            node.kind = "checkboxes"
            node.options = [(_key(v), lbl) for v, lbl in item_choices]
            node.value = [_key(v) for v in value] if isinstance(value, list) else []
            return node
        node.kind = "array"
        node.attrs["item_label"] = str(items.get("title") or label)
        # «Добавить члена семьи»: a noun after a verb takes its case, so the form words its own button
        # (x-addLabel); without one the button says «Добавить» inside the list's fieldset, never «Добавить: Член семьи»
        node.attrs["add_label"] = schema.get("x-addLabel") if isinstance(schema.get("x-addLabel"), str) else None
        node.attrs["min"] = schema.get("minItems", 0)
        node.attrs["max"] = schema.get("maxItems")
        for i, item in enumerate(value if isinstance(value, list) else []):
            child = _node(items, _join(path, i), item, errors, (ui or {}).get("items", {}), False, shown)
            child.label = f"{node.attrs['item_label']} {i + 1}"
            node.children.append(child)
        return node
    if kind == "boolean":
        # an unticked box is an answer ("no"): only a box that must be ticked (const true) is marked required
        node.kind, node.value = "checkbox", value is True
        node.required = required and schema.get("const") is True
        return node
    if kind in ("integer", "number"):
        node.kind = kind
        node.value = "" if value is None else (str(value).replace(".", ",") if isinstance(value, float) else str(value))
        for k in ("minimum", "maximum"):
            if k in schema:
                node.attrs[k[:3]] = schema[k]
        return node
    fmt = schema.get("format")
    if fmt == "date":
        node.kind, node.value = "date", value if isinstance(value, str) else ""
    elif fmt == "date-time":
        node.kind, node.value = "datetime", _local_input(value)
    elif widget == "textarea" or fmt == "textarea" or (schema.get("maxLength") or 0) >= TEXTAREA_MIN_LENGTH:
        node.kind, node.value = "textarea", "" if value is None else str(value)
    else:
        node.kind, node.value = "text", "" if value is None else str(value)
        if fmt == "iin":
            node.attrs.update(inputmode="numeric", autocomplete="off", maxlength=12)
        elif schema.get("maxLength"):
            node.attrs["maxlength"] = schema["maxLength"]
        if fmt == "email":
            node.attrs["type"] = "email"
        elif fmt == "phone" or path.rsplit(".", 1)[-1].endswith("phone"):
            node.attrs.update(type="tel", autocomplete="off")      # a phone's keypad: digits, +, spaces
    return node


def _local_input(value: Any) -> str:
    """An ISO instant as the ``datetime-local`` value in Almaty time (what the person typed)."""
    if not isinstance(value, str) or not value:
        return ""
    from datetime import datetime, timedelta, timezone
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone(timedelta(hours=5)))
    return parsed.strftime("%Y-%m-%dT%H:%M")


# -- reading a posted form ------------------------------------------------------------------------------------
def parse(schema: dict, form) -> dict:
    """The posted form (a MultiDict) as the JSON the schema describes; empty fields are left out.

    What cannot be converted (``"abc"`` in a number) is kept as typed, so the validator reports
    it and the redrawn form shows it.
    """
    value = _parse(schema, "", form)
    return value if isinstance(value, dict) else {}


def _parse(schema: dict, path: str, form) -> Any:
    schema = schema if isinstance(schema, dict) else {}
    if schema.get("readOnly"):
        return None
    choices = _enum(schema)
    types = _types(schema)
    kind = types[0] if types else "string"
    if choices is not None:
        raw = form.get(path, "")
        return next((v for v, _ in choices if _key(v) == raw), raw or None)
    if kind == "object":
        out = {}
        for name, sub in (schema.get("properties") or {}).items():
            v = _parse(sub, _join(path, name), form)
            if v is not None:
                out[name] = v
        return out if (out or not path) else None
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        item_choices = _enum(items)
        if item_choices is not None:
            picked = form.getlist(path)
            return [v for v, _ in item_choices if _key(v) in picked] or None
        count = _count(form, path)
        out = []
        for i in range(count):
            v = _parse(items, _join(path, i), form)
            out.append(v if v is not None else ({} if _types(items)[:1] == ["object"] else None))
        out = [v for v in out if v is not None]
        return out if (out or f"__n:{path}" in form) else None
    if kind == "boolean":
        if f"__b:{path}" not in form and path not in form:
            return None
        return form.get(path) in ("on", "true", "1")
    raw = form.get(path)
    if raw is None:
        return None
    raw = raw.strip() if kind != "string" or schema.get("format") in ("iin", "date", "date-time") else raw
    if raw.strip() == "":
        return None
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    if kind == "number":
        try:
            n = float(raw.replace(",", ".").replace(" ", ""))
            return int(n) if n.is_integer() and "." not in raw and "," not in raw else n
        except ValueError:
            return raw
    if schema.get("format") == "date-time" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", raw):
        return f"{raw}:00{ALMATY_OFFSET}"
    return raw


def _count(form, path: str) -> int:
    try:
        declared = int(form.get(f"__n:{path}", 0))
    except ValueError:
        declared = 0
    return max(0, min(declared, 200))


def apply_action(schema: dict, data: dict, action: str) -> dict:
    """``add:path`` appends an empty item to the list at path; ``remove:path.i`` drops item i."""
    verb, _, target = action.partition(":")
    if verb == "remove":
        target, _, index = target.rpartition(".")
    parent, key = _locate(data, target)
    if parent is None:
        return data
    items = parent.get(key) if isinstance(parent.get(key), list) else []
    if verb == "add":
        sub = _schema_at(schema, target)
        max_items = sub.get("maxItems") if isinstance(sub, dict) else None
        if max_items is None or len(items) < max_items:
            item_schema = (sub or {}).get("items") or {}
            items = items + [{} if _types(item_schema)[:1] == ["object"] else ""]
    elif verb == "remove" and index.isdigit() and int(index) < len(items):
        items = items[:int(index)] + items[int(index) + 1:]
    parent[key] = items
    return data


def _locate(data: dict, path: str):
    parts = path.split(".") if path else []
    if not parts:
        return None, None
    node: Any = data
    for p in parts[:-1]:
        nxt = _get(node, int(p) if p.isdigit() and isinstance(node, list) else p)
        if nxt is None and isinstance(node, dict):
            nxt = node[p] = {}
        node = nxt
    return (node, parts[-1]) if isinstance(node, dict) else (None, None)


def _schema_at(schema: dict, path: str) -> dict | None:
    node: Any = schema
    for p in path.split("."):
        if not isinstance(node, dict):
            return None
        if p.isdigit() and "items" in node:
            node = node["items"]
        else:
            node = (node.get("properties") or {}).get(p)
    return node if isinstance(node, dict) else None


def form_fields(schema: dict) -> set[str]:
    """Top-level property names the form owns (a draft or a completion sends only these)."""
    return set((schema.get("properties") or {}).keys()) if isinstance(schema, dict) else set()
