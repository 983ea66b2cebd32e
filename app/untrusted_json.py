"""JSON from outside (request bodies, uploaded forms), read into what the service can keep.

Python's parser accepts what the rest of the service cannot hold: nesting deep enough to exhaust the
interpreter's recursion (in the parser itself, or later in validation, deepcopy and the engine), and
``"\\ud800"``, a lone UTF-16 surrogate, which no UTF-8 column, hash or response can encode. Both are
refused here, once, naming where they are, instead of failing somewhere downstream as a 500.
"""
from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32          # task data and message payloads are a handful of levels deep; forms nest further


class Refused(ValueError):
    """``field`` is the dotted path of the value at fault (``body`` for the document as a whole)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


class Malformed(Refused):
    """Not JSON at all (syntax, or bytes in no UTF encoding)."""


def _path(parts: tuple) -> str:
    return ".".join(str(p) for p in parts) or "body"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Raise ``Refused`` for nesting deeper than ``max_depth`` or a string holding a lone surrogate."""
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, (dict, list)) and len(where) >= max_depth:      # the top container is level 1
            raise Refused(f"the JSON is nested deeper than {max_depth} levels", "body")
        if isinstance(node, str):
            if not _encodable(node):
                raise Refused("a string holds a lone UTF-16 surrogate (such as \\ud800), which is not a character",
                              _path(where))
        elif isinstance(node, dict):
            for key, item in node.items():
                if not _encodable(key):
                    raise Refused("a key holds a lone UTF-16 surrogate (such as \\ud800), which is not a character",
                                  _path(where))
                stack.append((item, where + (key,)))
        elif isinstance(node, list):
            stack.extend((item, where + (i,)) for i, item in enumerate(node))


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse and ``check``; malformed JSON is ``Refused`` too (field ``body``)."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise Refused(f"the JSON is nested deeper than {max_depth} levels", "body") from None
    except ValueError as exc:          # JSONDecodeError and UnicodeDecodeError alike
        raise Malformed(f"malformed JSON: {exc}", "body") from None
    check(value, max_depth=max_depth)
    return value
