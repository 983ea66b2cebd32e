"""Compiling diagram code with RestrictedPython, and the names it may use.

A BPMN diagram is code written by process owners and uploaded over HTTP. Here it is compiled with
RestrictedPython (no imports, no names or attributes starting with an underscore, no
``open``/``eval``/``getattr``...) and run against a short list of harmless builtins.

This module imports nothing from the service or SpiffWorkflow: the sandbox processes
(``sandbox_worker.py``) load it on its own, so that they start quickly and small.
"""
from __future__ import annotations

import ast
import re
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

FILENAME = "<diagram>"
MAX_RANGE = 100_000

# Names a script may not even mention: they either leave the sandbox or defeat its checks.
FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "globals", "locals", "vars", "getattr", "setattr",
    "delattr", "input", "breakpoint", "help", "memoryview", "type", "object", "super",
    "classmethod", "staticmethod", "property", "exit", "quit", "dir", "id", "print",
})


class ScriptRefused(Exception):
    """Diagram code that the sandbox will not run (static check). ``code`` and ``params`` name the reason for any
    language (app/problems.py's REASONS) when it is one of the usual ones; the message is the English detail."""

    def __init__(self, message: str, code: str | None = None, params: dict | None = None, **more):
        super().__init__(message)
        self.code, self.params = code, {**(params or {}), **more}


class ScriptStopped(Exception):
    """Diagram code that the sandbox stopped while it ran."""


class ScriptTimeout(ScriptStopped):
    """Diagram code that ran past its time limit."""

    def __init__(self, seconds: float):
        super().__init__(f"diagram code ran longer than {seconds:g} s and was stopped")


class ScriptOutOfMemory(ScriptStopped):
    """Diagram code that asked for more memory than its limit."""

    def __init__(self, megabytes: int):
        super().__init__(f"diagram code needed more than {megabytes} MB of memory and was stopped")


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


BUILTINS: dict[str, Any] = {
    k: v for k, v in safe_builtins.items() if k not in FORBIDDEN_NAMES and not k.startswith("_")
}
BUILTINS.update({
    "range": _bounded_range, "dict": dict, "list": list, "set": set, "frozenset": frozenset,
    "min": min, "max": max, "sum": sum, "any": any, "all": all, "sorted": sorted,
    "enumerate": enumerate, "zip": zip, "map": map, "filter": filter, "reversed": reversed,
})

GUARDS: dict[str, Any] = {
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": lambda obj: obj,
    "_inplacevar_": _inplace,
}


@lru_cache(maxsize=4096)
def compile_code(source: str, mode: str):
    """The restricted code object for ``source`` (``mode`` "eval" or "exec"), or ``ScriptRefused``."""
    refuse_imports(source, mode)
    if mode == "eval":
        result = compile_restricted_eval(source, filename=FILENAME)
    else:
        result = compile_restricted_exec(source, filename=FILENAME)
    if result.errors:
        raise ScriptRefused("; ".join(_humane(e) for e in result.errors), *_coded(result.errors[0]))
    bad = sorted(_names(result.code) & FORBIDDEN_NAMES)
    if bad:
        raise ScriptRefused(f"{', '.join(bad)} is not allowed in diagram code", "script_names", names=", ".join(bad))
    return result.code


def parse(source: str, mode: str) -> ast.AST:
    try:
        return ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptRefused(f"line {exc.lineno}: syntax error: {exc.msg} (diagram expressions are Python, "
                            f"e.g. offence_signs == True; JUEL ${{...}} or XPath is not understood)",
                            "script_syntax", line=exc.lineno) from None


def refuse_imports(source: str, mode: str) -> None:
    for node in ast.walk(parse(source, mode)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptRefused(f"line {node.lineno}: import is not allowed in diagram code", "script_import",
                                line=node.lineno)


def _names(code) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names(const)
    return names


_UNDERSCORE = re.compile(r'^Line (\d+): "([^"]+)" is an invalid (?:variable|attribute) name because it starts with "_"')


_CALLS = re.compile(r"^Line \d+: (\w+) calls are not allowed")


def _coded(error: str) -> tuple:
    """RestrictedPython's first error as (code, params) of app/problems.py's REASONS, () when not a usual one."""
    found = _UNDERSCORE.match(error)
    if found:
        return "script_underscore", {"line": int(found.group(1)), "name": found.group(2)}
    found = _CALLS.match(error)
    if found:
        return "script_names", {"names": found.group(1).lower()}
    return ()


def _humane(error: str) -> str:
    # RestrictedPython says e.g. 'Line 1: "__import__" is an invalid variable name because it starts with "_"'
    return error.replace("Line ", "line ", 1)


def refusal(source: str, mode: str = "exec") -> dict | None:
    """Why the sandbox refuses ``source`` as a problem's params (``reason``: the English detail; ``reason_code`` and
    ``reason_params`` when the reason is one app/problems.py words), or None when it would run it."""
    try:
        compile_code(source, mode)
    except ScriptRefused as exc:
        return {"reason": str(exc), **({"reason_code": exc.code, "reason_params": exc.params} if exc.code else {})}
    except SyntaxError as exc:  # pragma: no cover - RestrictedPython reports syntax errors itself
        return {"reason": f"syntax error: {exc.msg}"}
    return None


def check_source(source: str, mode: str = "exec") -> str | None:
    """The reason the sandbox refuses ``source``, or None when it would run it."""
    try:
        compile_code(source, mode)
    except ScriptRefused as exc:
        return str(exc)
    except SyntaxError as exc:  # pragma: no cover - RestrictedPython reports syntax errors itself
        return f"syntax error: {exc.msg}"
    return None


def scope(functions: Mapping[str, Any], external: Mapping[str, Any] | None,
          context: Mapping[str, Any]) -> dict[str, Any]:
    """The globals diagram code runs with: builtins and guards, functions, data objects, task data."""
    names: dict[str, Any] = {"__builtins__": BUILTINS, **GUARDS}
    names.update(functions)
    names.update(external or {})
    names.update(context)
    return names


def kept_after_exec(names: Mapping[str, Any], hidden) -> dict[str, Any]:
    """What a script leaves in task data: its variables, not the functions, guards or modules it saw."""
    hidden = set(hidden) | set(GUARDS) | {"__builtins__"}
    return {k: v for k, v in names.items()
            if k not in hidden and not k.startswith("_") and not callable(v) and not isinstance(v, type(sys))}


class Deadline:
    """A line tracer that raises once the wall-clock budget is spent.

    It stops Python-level loops cheaply, without losing the process; a single long C-level
    operation never reaches a line event, which is why diagram code runs in a process that the
    service can kill (``sandbox_pool``)."""

    def __init__(self, seconds: float):
        self.until = time.monotonic() + seconds
        self.seconds = seconds

    def __call__(self, frame, event, arg):
        if frame.f_code.co_filename != FILENAME:
            return None
        if time.monotonic() > self.until:
            raise ScriptTimeout(self.seconds)
        return self

    def run(self, fn: Callable[[], Any]):
        previous = sys.gettrace()
        sys.settrace(self)
        try:
            return fn()
        finally:
            sys.settrace(previous)
