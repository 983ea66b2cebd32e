"""The one package that talks to SpiffWorkflow.

Parsing and validating diagrams (``compile_process``), the script sandbox, the engine clock,
serialization, and running steps (``Runner``) — behind an interface that returns plain data.
It imports neither Flask nor the database: the domain services call it and persist what it
returns.
"""
from . import clock
from .model import Element, ModelInvalid, Problem
from .parser import CompiledProcess, compile_process, parse_xml
from .runtime import (EngineEvent, OutgoingMessage, ReadyTask, Runner, StepResult, TaskNotReady,
                      UnknownTask, UnstorableData, state_hash)
from .sandbox import DiagramFunctions, ScriptLimits, check_source
from .serialization import spec_from_json

__all__ = [
    "clock", "Element", "ModelInvalid", "Problem", "CompiledProcess", "compile_process", "parse_xml",
    "EngineEvent", "OutgoingMessage", "ReadyTask", "Runner", "StepResult", "TaskNotReady", "UnknownTask",
    "UnstorableData", "state_hash", "check_source", "spec_from_json", "DiagramFunctions", "ScriptLimits",
]
