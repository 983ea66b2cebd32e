"""The restricted environment in which diagram code runs.

A BPMN diagram is code written by process owners and uploaded over HTTP. SpiffWorkflow runs
scripts, gateway conditions, timer and payload expressions with plain ``exec``/``eval`` and full
builtins; here they are compiled with RestrictedPython instead (no imports, no names or
attributes starting with an underscore, no ``open``/``eval``/``getattr``...), run against a
short list of harmless builtins, and stopped when they overrun a time limit.

Two entry points: ``check_source`` is the static check used at deploy time; ``SandboxEnvironment``
is the script environment handed to SpiffWorkflow at run time.
"""
from __future__ import annotations

import ast
import sys
import time
from functools import lru_cache
from typing import Any, Callable, Mapping

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment

DEFAULT_TIME_LIMIT_S = 1.0
MAX_RANGE = 100_000

# Names a script may not even mention: they either leave the sandbox or defeat its checks.
FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "globals", "locals", "vars", "getattr", "setattr",
    "delattr", "input", "breakpoint", "help", "memoryview", "type", "object", "super",
    "classmethod", "staticmethod", "property", "exit", "quit", "dir", "id", "print",
})


class ScriptRefused(Exception):
    """Diagram code that the sandbox will not run (static check)."""


class ScriptTimeout(Exception):
    """Diagram code that ran past its time limit."""


def _bounded_range(*args):
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise ValueError(f"range() of more than {MAX_RANGE} items is not allowed in diagram code")
    return r


def _inplace(op: str, x, y):
    ops = {"+=": lambda a, b: a + b, "-=": lambda a, b: a - b, "*=": lambda a, b: a * b,
           "/=": lambda a, b: a / b, "//=": lambda a, b: a // b, "%=": lambda a, b: a % b}
    if op not in ops:
        raise ScriptRefused(f"operator {op} is not allowed in diagram code")
    return ops[op](x, y)


_BUILTINS: dict[str, Any] = {
    k: v for k, v in safe_builtins.items() if k not in FORBIDDEN_NAMES and not k.startswith("_")
}
_BUILTINS.update({
    "range": _bounded_range, "dict": dict, "list": list, "set": set, "frozenset": frozenset,
    "min": min, "max": max, "sum": sum, "any": any, "all": all, "sorted": sorted,
    "enumerate": enumerate, "zip": zip, "map": map, "filter": filter, "reversed": reversed,
})

_GUARDS: dict[str, Any] = {
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": lambda obj: obj,
    "_inplacevar_": _inplace,
}


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str):
    _refuse_imports(source, mode)
    if mode == "eval":
        result = compile_restricted_eval(source, filename="<diagram>")
    else:
        result = compile_restricted_exec(source, filename="<diagram>")
    if result.errors:
        raise ScriptRefused("; ".join(_humane(e) for e in result.errors))
    names = set(_names(result.code))
    bad = sorted(names & FORBIDDEN_NAMES)
    if bad:
        raise ScriptRefused(f"{', '.join(bad)} is not allowed in diagram code")
    return result.code


def _refuse_imports(source: str, mode: str) -> None:
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptRefused(f"line {exc.lineno}: syntax error: {exc.msg} (diagram expressions are Python, "
                            f"e.g. offence_signs == True; JUEL ${{...}} or XPath is not understood)") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptRefused(f"line {node.lineno}: import is not allowed in diagram code")


def _names(code) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names(const)
    return names


def _humane(error: str) -> str:
    # RestrictedPython says e.g. 'Line 1: "__import__" is an invalid variable name because it starts with "_"'
    return error.replace("Line ", "line ", 1)


def check_source(source: str, mode: str = "exec") -> str | None:
    """The reason the sandbox refuses ``source``, or None when it would run it."""
    try:
        _compile(source, mode)
    except ScriptRefused as exc:
        return str(exc)
    except SyntaxError as exc:  # pragma: no cover - RestrictedPython reports syntax errors itself
        return f"syntax error: {exc.msg}"
    return None


class _Deadline:
    """A line tracer that raises once the wall-clock budget is spent (works in any thread)."""

    def __init__(self, seconds: float):
        self.until = time.monotonic() + seconds
        self.seconds = seconds

    def __call__(self, frame, event, arg):
        if frame.f_code.co_filename != "<diagram>":
            return None
        if time.monotonic() > self.until:
            raise ScriptTimeout(f"diagram code ran longer than {self.seconds:g} s and was stopped")
        return self

    def run(self, fn: Callable[[], Any]):
        previous = sys.gettrace()
        sys.settrace(self)
        try:
            return fn()
        finally:
            sys.settrace(previous)


def _plain(value) -> bool:
    return not callable(value) and not isinstance(value, type(sys))


class SandboxEnvironment(TaskDataEnvironment):
    """SpiffWorkflow script environment that runs diagram code restricted and time-limited."""

    def __init__(self, functions: Mapping[str, Callable] | None = None,
                 time_limit_s: float = DEFAULT_TIME_LIMIT_S):
        super().__init__(dict(functions or {}))
        self.time_limit_s = time_limit_s

    def _globals(self, context: Mapping[str, Any], external_context) -> dict[str, Any]:
        scope: dict[str, Any] = {"__builtins__": _BUILTINS, **_GUARDS}
        scope.update(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return scope

    def evaluate(self, expression, context, external_context=None):
        code = _compile(expression.strip(), "eval")
        scope = self._globals(context, external_context)
        return _Deadline(self.time_limit_s).run(lambda: eval(code, scope))

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        code = _compile(script, "exec")
        scope = self._globals(context, external_context)
        _Deadline(self.time_limit_s).run(lambda: exec(code, scope))
        hidden = set(self.globals) | set(external_context or {}) | set(_GUARDS) | {"__builtins__"}
        for key in list(context):
            if key not in scope:
                del context[key]
        for key, value in scope.items():
            if key not in hidden and not key.startswith("_") and _plain(value):
                context[key] = value
        return True
