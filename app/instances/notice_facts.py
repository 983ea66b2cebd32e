"""What a notice tells the chapter it starts about the child, when its sender left that out.

Every notice a diagram throws names the child and the report's summary (``child``, ``case_summary``), and the
chapters it starts read both again in the notices they throw in turn (chapters 4 and 5: P11.3, P11.9, P12.7...).
A notice posted through ``POST /api/v1/messages`` by a person or an integration may carry neither; the chapter
it started then stopped at its first notice with a NameError (an incident), however well staff did their work.
So the receiving start is given the case's own knowledge: the child and summary as the case's chapters last
recorded them (chapter 1's registration), else nothing known (``None``, an empty summary). What the sender did
send always wins: the service only fills gaps, never corrects a notice.
"""
from __future__ import annotations

from sqlalchemy import select

from .models import ProcessInstance

#: fact -> what the chapter is told when the case does not know it either
NOTICE_FACTS = {"child": None, "case_summary": ""}


def _known(value) -> bool:
    return value not in (None, "", {}, [])


def case_facts(session, case_id: str | None) -> dict:
    """The case's child and summary, from its most recently updated instance that knows each."""
    facts = dict(NOTICE_FACTS)
    if not case_id:
        return facts
    missing = set(facts)
    for data in session.scalars(select(ProcessInstance.data).where(ProcessInstance.case_id == case_id)
                                .order_by(ProcessInstance.updated_at.desc(), ProcessInstance.created_at.desc())):
        for key in list(missing):
            value = (data or {}).get(key)
            if _known(value) and isinstance(value, (dict if key == "child" else str)):
                facts[key] = value
                missing.discard(key)
        if not missing:
            break
    return facts


def with_case_facts(session, case_id: str | None, data: dict) -> dict:
    """``data`` (a notice's payload) with the facts it lacks taken from the case."""
    lacking = [k for k in NOTICE_FACTS if not _known(data.get(k))]
    if not lacking:
        return data
    facts = case_facts(session, case_id)
    return {**data, **{k: facts[k] for k in lacking}}
