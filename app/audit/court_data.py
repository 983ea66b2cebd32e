"""An event's data as a court reads it: labelled fields in the forms' own words, not a JSON dump.

A JSON dump escapes every Cyrillic letter (``\\u0423``) and one long line overflows the printed
column; a judge needs "Кратко: синяки на руках". Nested values are flattened into their path so
that every field stays on its own line.
"""
from __future__ import annotations

import json
from typing import Any

from ..forms.i18n import localize, word
from ..i18n import current_language

Scalar = str | int | float | bool | None


class Labels(dict):
    """Field name → title, and ``choices``: field name → {value as text: option label}, in one language."""

    def __init__(self, titles=(), choices: dict[str, dict[str, str]] | None = None):
        super().__init__(titles)
        self.choices = choices or {}


def _choices(prop: dict, lang: str) -> dict[str, str]:
    """A field's option labels by value (``oneOf`` consts or ``enum`` + ``enumNames``), in ``lang``."""
    if not any(k in prop for k in ("oneOf", "anyOf", "enum")):
        return {}
    prop = localize(prop, lang)
    one = prop.get("oneOf") or prop.get("anyOf")
    if isinstance(one, list):
        return {_text(o["const"]): str(o["title"]) for o in one
                if isinstance(o, dict) and "const" in o and isinstance(o.get("title"), str)}
    names = prop.get("enumNames") or prop.get("x-enumNames")
    if isinstance(prop.get("enum"), list) and isinstance(names, list):
        return {_text(v): str(n) for v, n in zip(prop["enum"], names)}
    return {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def field_labels(forms: dict[str, dict], lang: str | None = None, extra: dict[str, str] | None = None) -> Labels:
    """Each field name of the version's forms with its title and its options' labels (the first form that
    titles it wins; ``extra`` names fields no form has), in ``lang`` (default: the request's language;
    Russian where a form lacks the word)."""
    lang = lang or current_language()
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    stack = [schema for name, schema in sorted(forms.items())
             if isinstance(schema, dict) and not name.endswith(".uischema.json")]
    while stack:
        schema = stack.pop()
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                stack.append(schema[key])
        properties = schema.get("properties")
        for name, prop in (properties.items() if isinstance(properties, dict) else ()):
            if isinstance(prop, dict):
                title = word(prop, "title", lang)
                if isinstance(title, str) and title.strip():
                    labels.setdefault(name, title.strip())
                options = _choices(prop.get("items") if isinstance(prop.get("items"), dict) else prop, lang)
                if options:
                    choices.setdefault(name, options)
                stack.append(prop)
    return Labels({**(extra or {}), **labels}, choices)


def readable(data: Any, labels: dict[str, str]) -> list[tuple[str, Scalar]]:
    """(label, value) rows: nested objects as "parent › field", list items numbered from 1; a chosen option
    as its label when ``labels`` knows the field's options (:class:`Labels`), not as its code."""
    rows: list[tuple[str, Scalar]] = []
    choices = getattr(labels, "choices", {})

    def shown(key: str | None, value: Any) -> Any:
        options = choices.get(key) if key is not None else None
        return options.get(_text(value), value) if options and value is not None and not isinstance(value, bool) \
            else value

    def walk(value: Any, path: list[str], key: str | None) -> None:
        if isinstance(value, dict):
            if not value and path:
                rows.append((" › ".join(path), "—"))
            for name, item in value.items():
                walk(item, path + [labels.get(str(name), str(name))], str(name))
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                rows.append((" › ".join(path), ", ".join("—" if v is None else str(shown(key, v)) for v in value)
                             or "—"))
            else:
                for i, item in enumerate(value, 1):
                    walk(item, path[:-1] + [f"{path[-1] if path else ''} {i}".strip()], None)
        else:
            rows.append((" › ".join(path), shown(key, value)))

    walk(data or {}, [], None)
    return rows
