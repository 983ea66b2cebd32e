"""Valid form data built from a form's own JSON Schema, so scenarios state only what matters to them.

Every required field gets a plain valid value (first enum value, a date, a valid ИИН that agrees
with the person's birth date and sex); the scenario's overrides are merged on top. The result is
checked with the service's own validator before it is sent, so a scenario fails loudly when a
form changes under it.
"""
from __future__ import annotations

import json
from datetime import date

from app.forms.iin import make_iin
from app.forms.validation import validate_form
from support import ROOT

CHILD_BIRTH = date(2014, 5, 20)


def form(name: str) -> dict:
    return json.loads((ROOT / "forms" / name).read_text())


def _value(schema: dict, name: str = ""):
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "oneOf" in schema and all("const" in o for o in schema["oneOf"]):
        return schema["oneOf"][0]["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        return _object(schema)
    if kind == "array":
        return [_value(schema.get("items", {}), name) for _ in range(max(1, schema.get("minItems", 0)))]
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    fmt = schema.get("format")
    if fmt == "date":
        return CHILD_BIRTH.isoformat()
    if fmt == "date-time":
        return "2026-12-01T09:00:00+05:00"
    if fmt == "iin":
        return make_iin(CHILD_BIRTH, "male")
    return "Сведения для проверки" if schema.get("minLength", 0) <= 21 else "Сведения " * schema["minLength"]


def _object(schema: dict) -> dict:
    props = schema.get("properties", {})
    out = {k: _value(props.get(k, {}), k) for k in schema.get("required", [])}
    rule = schema.get("x-iin")
    if rule:
        birth, sex = CHILD_BIRTH, "male"
        out[rule["iin"]] = make_iin(birth, sex)
        if rule.get("birthDate"):
            out[rule["birthDate"]] = birth.isoformat()
        if rule.get("sex"):
            out[rule["sex"]] = sex
        if rule.get("minor") is False and rule.get("birthDate"):
            out[rule["birthDate"]] = date(1985, 1, 1).isoformat()
            out[rule["iin"]] = make_iin(date(1985, 1, 1), sex)
    return out


def merge(base: dict, overrides: dict) -> dict:
    out = dict(base)
    for key, value in overrides.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def data_for(form_name: str, report_date: date | None = None, **overrides) -> dict:
    schema = form(form_name)
    data = merge(_object(schema), overrides)
    errors = validate_form(schema, data, report_date=report_date or date(2026, 12, 1))
    assert not errors, f"{form_name}: sample data invalid: {errors}"
    return data
