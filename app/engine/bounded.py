"""Which diagram expressions may run in the service's own process, because their cost is bounded.

Most expressions in the Guide's diagrams are ``offence_signs == True``, ``priority_agency ==
"police"``, ``add_working_days(received_at, 1)`` or a payload ``{"case_id": case_id, ...}``. A
round trip to a sandbox process for each would double a step's cost, so an expression is run in
process when its syntax alone proves it cannot run long or allocate much:

* its nodes are literals, names, subscripts, comparisons, ``and``/``or``/``not``, unary minus,
  conditional expressions and list/tuple/set/dict displays: each is O(size of the data it
  reads, which is already in memory) or O(size of the source, which the upload limit caps);
* no arithmetic (``7 ** 10**8``, ``'a' * 10**10``), no comprehensions (loops), no attributes
  (methods such as ``str.join`` over data can do anything);
* it calls only functions that promise bounded work: engine functions marked ``bounded = True``
  (they check their own arguments, e.g. at most ten years of days) and ``len``.

Everything else goes to a sandbox process (``sandbox_pool``).
"""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any, Callable, Mapping

from . import restricted

_COMPARISONS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn)
_UNARY = (ast.Not, ast.USub, ast.UAdd)
_CONSTANT_TIME_BUILTINS = frozenset({"len"})


@lru_cache(maxsize=4096)
def calls_if_bounded(source: str) -> frozenset[str] | None:
    """The names an expression calls when its shape is bounded; None when it is not (or is refused)."""
    try:
        tree = restricted.parse(source, "eval")
    except restricted.ScriptRefused:
        return None
    calls: set[str] = set()
    return frozenset(calls) if _bounded(tree.body, calls) else None


def _bounded(node: ast.AST, calls: set[str]) -> bool:
    def every(nodes) -> bool:
        return all(n is not None and _bounded(n, calls) for n in nodes)

    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.BoolOp):
        return every(node.values)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, _UNARY) and _bounded(node.operand, calls)
    if isinstance(node, ast.Compare):
        return all(isinstance(op, _COMPARISONS) for op in node.ops) and every([node.left, *node.comparators])
    if isinstance(node, ast.IfExp):
        return every([node.test, node.body, node.orelse])
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return every(node.elts)                   # a Starred element is not in the list above
    if isinstance(node, ast.Dict):
        return every(node.keys) and every(node.values)      # a None key is a ** unpacking
    if isinstance(node, ast.Subscript):
        return not isinstance(node.slice, ast.Slice) and every([node.value, node.slice])
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or any(k.arg is None for k in node.keywords):
            return False
        calls.add(node.func.id)
        return every(node.args) and every(k.value for k in node.keywords)
    return False


def runs_in_process(source: str, functions: Mapping[str, Callable], *data: Mapping[str, Any] | None) -> bool:
    """True when ``source`` is bounded with these functions, none of its calls shadowed by ``data``."""
    calls = calls_if_bounded(source)
    if calls is None:
        return False
    for name in calls:
        if any(name in (d or {}) for d in data):
            return False
        function = functions.get(name)
        if function is None and name not in _CONSTANT_TIME_BUILTINS:
            return False
        if function is not None and getattr(function, "bounded", False) is not True:
            return False
    return True
