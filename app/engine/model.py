"""Plain descriptions of a deployed process that the rest of the service reads.

The registry, the inbox and the audit need to know, per BPMN element, its name, lane, form,
documentation (the Guide's clause ids) and deadline expression — without touching SpiffWorkflow
objects. The parser fills these from the XML once, at deploy time.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

CLAUSE_RE = re.compile(r"\bP\d+(?:\.(?:\d+|[a-z]))?\b")


@dataclass
class Element:
    id: str
    type: str                      # BPMN tag without namespace: userTask, boundaryEvent, ...
    name: str | None = None
    lane: str | None = None        # the lane's name, as drawn
    documentation: str = ""
    clauses: list[str] = field(default_factory=list)
    form: str | None = None
    ui_form: str | None = None
    required_role: str | None = None
    attached_to: str | None = None
    timer: str | None = None       # the timer expression, for timer events
    message: str | None = None     # the message name, for message events
    throws: bool = False           # a throw (send) rather than a catch
    words: dict = field(default_factory=dict)   # {"kk"|"en": {"name", "instructions"}}: app/engine/words.py

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Problem:
    """What is wrong with one element. ``code`` and ``params`` name it for any language (app/problems.py
    words them); ``message`` is the English sentence. A problem in SpiffWorkflow's own words has the code
    ``engine_refused`` and those words as its reason."""
    element_id: str | None
    message: str
    code: str | None = None
    params: dict | None = None

    @classmethod
    def coded(cls, element_id: str | None, code: str, /, **params: Any) -> "Problem":
        from ..problems import english
        return cls(element_id, english(code, params), code, params)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"element_id": self.element_id, "message": self.message}
        if self.code:
            out.update(code=self.code, params=self.params or {})
        return out


class ModelInvalid(Exception):
    """A diagram that cannot be deployed; ``problems`` names each offending element."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.element_id or '-'}: {p.message}" for p in problems))
        self.problems = problems


def clauses_in(text: str | None) -> list[str]:
    return sorted(set(CLAUSE_RE.findall(text or "")), key=lambda c: (text or "").find(c))
