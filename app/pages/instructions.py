"""A task's instructions (``instructionsForEndUser``): placeholders filled from the task's data, then
Markdown, then sanitised HTML.

Why not a template engine: the instructions come with the diagram, uploaded over HTTP, and are
rendered on every page view; a Jinja expression such as ``{{ ("ab" * 10**9) | length }}`` took
4 s and 2 GB each time. Process owners write ``{{ registration_number }}`` or
``{{ child.last_name }}``, so that is all there is: a placeholder is a name with dotted keys,
looked up in the data (a missing one is empty), HTML-escaped; anything else between braces is
shown as written. Whatever the data or the Markdown contain, nh3 lets only harmless tags
through, so a child's name typed as ``<script>`` is shown, never run.
"""
from __future__ import annotations

import html
import re

import markdown
import nh3

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}")
_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre", "blockquote",
         "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr"}
_MISSING = object()
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _as_people_write(value) -> str:
    """Dates as people write them: 02.12.2026, and instants in Almaty time: 02.12.2026, 08:55."""
    from ..calendar import to_local
    text = str(value)
    if isinstance(value, str) and (_ISO_DAY.match(text) or _ISO_INSTANT.match(text)):
        try:
            local = to_local(text)
        except ValueError:
            return text
        return local.strftime("%d.%m.%Y") if _ISO_DAY.match(text) else local.strftime("%d.%m.%Y, %H:%M")
    return text


def _lookup(data: dict, path: str):
    value = data
    for key in path.split("."):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return _MISSING
    return value


def fill_placeholders(text: str, data: dict | None) -> str:
    """``text`` with each ``{{ name.key }}`` replaced by the escaped value from ``data`` (empty if absent)."""
    def value(match: re.Match) -> str:
        found = _lookup(data or {}, match.group(1))
        return "" if found is _MISSING else html.escape(_as_people_write(found), quote=False)
    return _PLACEHOLDER.sub(value, text)


def render_instructions(text: str | None, data: dict | None) -> str:
    if not text:
        return ""
    html_text = markdown.markdown(fill_placeholders(text, data), extensions=["tables", "sane_lists"])
    return nh3.clean(html_text, tags=_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
