"""A task's instructions (``instructionsForEndUser``): a template over the task's data, then Markdown,
then sanitised HTML.

Why three steps: process owners write Markdown with ``{{ registration_number }}``-style
placeholders; the template runs sandboxed (no attribute tricks), and whatever the data or the
Markdown contain, nh3 lets only harmless tags through, so a child's name typed as ``<script>``
is shown, never run.
"""
from __future__ import annotations

import markdown
import nh3
from jinja2 import ChainableUndefined
from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

_env = SandboxedEnvironment(undefined=ChainableUndefined, autoescape=False)
_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre", "blockquote",
         "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render_instructions(text: str | None, data: dict | None) -> str:
    if not text:
        return ""
    try:
        filled = _env.from_string(text).render(**(data or {}))
    except (TemplateError, TypeError, ValueError):
        filled = text                        # a broken placeholder shows as written, not as an error page
    html = markdown.markdown(filled, extensions=["tables", "sane_lists"])
    return nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
