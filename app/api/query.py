"""Query parameters the OpenAPI document does not name are refused, on every /api/v1 read.

A misspelt filter (``?agnecy=police``) must not silently widen a list or a compliance report: the
caller would take the whole country's figures for one agency's. The names each operation understands
are the ones ``openapi.SPEC`` documents for it, so the document and the behaviour cannot drift apart.
Registered as a ``before_request`` of each /api/v1 blueprint (core, modeler, audit, dashboard).
"""
from __future__ import annotations

import re
from functools import cache

from flask import request

from ..errors import Invalid
from ..problems import field

_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")      # /tasks/<int:task_id> -> /tasks/{task_id}
_PREFIX = "/api/v1"


@cache                   # per rule and method: the document does not change while the process runs
def _documented(rule: str, method: str) -> frozenset[str] | None:
    """The query names of the operation behind a Flask rule; None when the document lacks it."""
    from .openapi import SPEC
    path = _CONVERTER.sub(r"{\1}", rule)
    if not path.startswith(_PREFIX):
        return None
    operation = SPEC["paths"].get(path[len(_PREFIX):], {}).get(method.lower())
    if operation is None:
        return None
    return frozenset(p["name"] for p in operation.get("parameters", ()) if p.get("in") == "query")


def refuse_unknown_query() -> None:
    if request.url_rule is None or not request.args:
        return
    known = _documented(request.url_rule.rule, "get" if request.method == "HEAD" else request.method)
    if known is None:
        return
    unknown = sorted(set(request.args) - known)
    if unknown:
        if known:
            reason = field(unknown[0], "not_a_parameter_here", names=", ".join(sorted(known)))
        else:
            reason = field(unknown[0], "no_parameters_here")
        raise Invalid("unknown_query_parameter", [reason])
