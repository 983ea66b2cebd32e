"""Which field an error is about, in the form's own words: the error summary says «Ребёнок — Фамилия:
обязательное поле», not six times «Обязательное поле»."""
from __future__ import annotations


def field_title(schema: dict, path: str | None) -> str | None:
    """The titles along ``path`` (dotted, list items by index) joined with « — », or None if it has none."""
    if not path:
        return None
    node, titles = schema or {}, []
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        if node.get("type") == "array" or "items" in node:
            node = node.get("items") or {}
            if key.isdigit():
                titles.append(f"№ {int(key) + 1}")
                continue
        node = (node.get("properties") or {}).get(key)
        if not isinstance(node, dict):
            return None
        titles.append(str(node.get("title") or key))
    return " — ".join(titles) or None


def summary_line(title: str | None, message: str) -> str:
    """«Фамилия: обязательное поле» — the message's first letter lowered unless it starts an abbreviation."""
    if not title:
        return message
    if len(message) > 1 and message[0].isupper() and not message[1].isupper():
        message = message[0].lower() + message[1:]
    return f"{title}: {message}"
