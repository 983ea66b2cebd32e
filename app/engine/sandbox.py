"""The restricted, limited environment in which diagram code runs.

SpiffWorkflow runs scripts, gateway conditions, timer and payload expressions with plain
``exec``/``eval`` and full builtins. Here they are compiled with RestrictedPython
(``restricted``), and run where the operating system enforces a wall-clock and a memory limit:
a warm sandbox process (``sandbox_pool``), killed and replaced when it overruns. Only an
expression whose syntax proves its cost bounded (``bounded``) is evaluated in process.

Two entry points: ``check_source`` is the static check used at deploy time; ``SandboxEnvironment``
is the script environment handed to SpiffWorkflow at run time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment

from . import bounded, restricted
from .restricted import (FORBIDDEN_NAMES, MAX_RANGE, ScriptOutOfMemory, ScriptRefused,  # noqa: F401 (public)
                         ScriptStopped, ScriptTimeout, check_source)
from .sandbox_pool import ScriptFailed, pool

DEFAULT_TIME_LIMIT_S = 1.0
DEFAULT_MEMORY_MB = 256


@dataclass(frozen=True)
class ScriptLimits:
    """How long diagram code may run per script or expression, and how much memory it may take."""
    seconds: float = DEFAULT_TIME_LIMIT_S
    memory_mb: int = DEFAULT_MEMORY_MB

    def __post_init__(self):
        if not self.seconds > 0 or not self.memory_mb > 0:
            raise ValueError(f"script limits must be positive, got {self.seconds} s and {self.memory_mb} MB")


@dataclass(frozen=True)
class DiagramFunctions:
    """The engine functions diagram code may call, and the limits it runs under (the service's settings)."""
    make: Callable[[], Mapping[str, Callable]]
    limits: ScriptLimits = ScriptLimits()

    def __call__(self) -> Mapping[str, Callable]:
        return self.make()


class SandboxEnvironment(TaskDataEnvironment):
    """SpiffWorkflow script environment that runs diagram code restricted and limited."""

    def __init__(self, functions: Mapping[str, Callable] | None = None,
                 time_limit_s: float = DEFAULT_TIME_LIMIT_S, memory_mb: int = DEFAULT_MEMORY_MB):
        super().__init__(dict(functions or {}))
        self.limits = ScriptLimits(time_limit_s, memory_mb)

    def evaluate(self, expression, context, external_context=None):
        source = expression.strip()
        code = restricted.compile_code(source, "eval")
        if bounded.runs_in_process(source, self.globals, context, external_context):
            return eval(code, restricted.scope(self.globals, external_context, context))
        value, _ = self._pooled("eval", source, context, external_context)
        return value

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        restricted.compile_code(script, "exec")          # refused here, without a round trip
        _, kept = self._pooled("exec", script, context, external_context)
        context.clear()
        context.update(kept)
        return True

    def _pooled(self, mode: str, source: str, context, external_context):
        return pool().run(mode, source, context, external_context, self.globals,
                          seconds=self.limits.seconds, megabytes=self.limits.memory_mb)


__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIME_LIMIT_S", "DiagramFunctions", "SandboxEnvironment", "ScriptFailed",
           "ScriptLimits", "ScriptOutOfMemory", "ScriptRefused", "ScriptStopped", "ScriptTimeout", "check_source"]
