"""Which form a task is filled with: the one rule that the API, the pages and completion share.

The schema is what a client needs to draw the form and what completion checks the data against;
both come from the version the instance runs on (forms are part of a deployed version).
"""
from __future__ import annotations

from ..forms.i18n import localize
from ..i18n import normalize
from ..registry.models import ProcessVersion
from .models import ProcessInstance, Task

# A user task without a form is a confirmation task (as in other BPMN tools): its instructions, and a
# button that says it is done. Nothing may be entered through it, so its data must be empty.
CONFIRMATION = {"type": "object", "properties": {}, "additionalProperties": False}


def task_form(session, task: Task, lang: str | None = None) -> tuple[dict | None, dict | None]:
    """(JSON Schema, UI schema) of the task's form, as deployed with its instance's version."""
    instance = session.get(ProcessInstance, task.instance_id)
    return form_of(session.get(ProcessVersion, instance.version_id), task, lang)


def form_of(version: ProcessVersion, task: Task, lang: str | None = None) -> tuple[dict | None, dict | None]:
    """With ``lang``, worded for a reader of that language (``app.forms.i18n.localize``: same fields,
    values and rules); without, the form as deployed, ``x-i18n`` included (what completion checks)."""
    schema = version.form(task.form) if task.form else {**CONFIRMATION, "properties": {}}
    ui = version.form(task.ui_form)
    if lang is not None:
        schema, ui = localize(schema, lang), localize(ui, lang)
    return with_classifiers(schema, normalize(lang)), ui


def with_classifiers(schema: dict | None, lang: str = "ru") -> dict | None:
    """A top-level field marked ``"x-classifier": "kato"`` becomes a choice among the classifier's units
    (code, full name): the form file stays small and the classifier, shipped with the code, stays the source."""
    props = (schema or {}).get("properties")
    if not isinstance(props, dict) or not any(isinstance(p, dict) and p.get("x-classifier") == "kato"
                                              for p in props.values()):
        return schema
    from .. import territories
    units = territories.every()
    choices = {"enum": [t.code for t in units], "x-enumNames": [territories.full_name(t.code, lang) for t in units]}
    return {**schema, "properties": {k: ({**p, **choices} if isinstance(p, dict) and p.get("x-classifier") == "kato"
                                         else p) for k, p in props.items()}}
