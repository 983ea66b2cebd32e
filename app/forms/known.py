"""What the service already knows is not asked of the person filling a form (issue 13 §6).

* A person's birth date and sex are in their ИИН (digits 1-6 and 7): an object with ``x-iin`` whose ИИН is
  valid gets its ``birthDate`` and ``sex`` fields filled from it when they were left empty. One typed
  differently is kept, so the validator can still say the two disagree (a typo in one of them).
* A field marked ``"x-from": "user"`` (who acknowledged, who sent) is the signed-in person: their full name,
  or their user name when the account has none. It is filled whatever was typed or sent, as a form cannot
  speak for someone else; the page shows it instead of asking.
* A field marked ``"x-from": "organisation"`` (the school that reports) starts as the name of the signed-in
  person's organisation when left empty; it stays a field, as agency-wide staff have no organisation to take it
  from. The name is read only for a form that has such a field (``organisation_name`` is called lazily).

The same filling runs before validation when a task is completed (pages and API alike) and when the page
is drawn, so what the page shows is what the case will hold.
"""
from __future__ import annotations

from typing import Any, Callable

from .iin import IinError, parse_iin


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def signed_in_name(user: Any) -> str:
    return ((getattr(user, "full_name", None) or "").strip() or getattr(user, "username", "")) if user else ""


def fill_known(schema: Any, data: Any, *, user: Any = None,
               organisation_name: Callable[[], str | None] | None = None) -> Any:
    """``data`` with what the service knows filled in (a copy; ``data`` itself is not changed)."""
    if not isinstance(schema, dict):
        return data
    if isinstance(data, dict):
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        out = dict(data)
        for name, sub in props.items():
            if isinstance(sub, dict) and sub.get("x-from") == "user" and user is not None:
                out[name] = signed_in_name(user)
            elif isinstance(sub, dict) and sub.get("x-from") == "organisation" and _blank(out.get(name)):
                known = organisation_name() if organisation_name else None
                if known:
                    out[name] = known
            elif name in out:
                out[name] = fill_known(sub, out[name], user=user, organisation_name=organisation_name)
        spec = schema.get("x-iin")
        if isinstance(spec, dict) and isinstance(spec.get("iin"), str) and not _blank(out.get(spec["iin"])):
            try:
                info = parse_iin(out[spec["iin"]])
            except (IinError, TypeError, ValueError):
                return out
            birth, sex = spec.get("birthDate"), spec.get("sex")
            if isinstance(birth, str) and birth in props and _blank(out.get(birth)):
                out[birth] = info.birth_date.isoformat()
            if isinstance(sex, str) and sex in props and _blank(out.get(sex)):
                out[sex] = info.sex
        return out
    if isinstance(data, list) and isinstance(schema.get("items"), dict):
        return [fill_known(schema["items"], item, user=user, organisation_name=organisation_name) for item in data]
    return data
