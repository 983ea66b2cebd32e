"""Organisations: create, import, deactivate, and their names for people to read.

Plain functions over a session; the CLI (`flask orgs`) and the admin page call the same ones."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from .. import territories
from ..agencies import BY_CODE
from ..i18n import pick
from ..errors import Conflict, Invalid, NotFound
from ..problems import field
from .models import Organisation


def _codes(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    return [c.strip() for c in value or [] if c and c.strip()]


def check(session, *, code: str, agency: str, name_ru: str, serves, territory: str | None = None,
          parent_code: str | None = None) -> list[dict]:
    errors = []
    if not code or len(code) > 80 or not code.replace(".", "").replace("-", "").replace("_", "").isalnum():
        errors.append(field("code", "org_code_format"))
    if agency not in BY_CODE:
        errors.append(field("agency", "one_of", values=", ".join(sorted(BY_CODE))))
    if not (name_ru or "").strip():
        errors.append(field("name_ru", "missing"))
    serving = _codes(serves)
    if not serving:
        errors.append(field("serves", "kato_code_needed"))
    for c in serving:
        if territories.get(c) is None:
            errors.append(field("serves", "not_in_classifier", code=c))
    if territory and territories.get(territory) is None:
        errors.append(field("territory", "not_in_classifier", code=territory))
    if parent_code and session.get(Organisation, parent_code) is None:
        errors.append(field("parent", "no_organisation", code=parent_code))
    return errors


def create(session, *, code: str, agency: str, name_ru: str, serves, name_kk: str | None = None,
           name_en: str | None = None, territory: str | None = None, parent_code: str | None = None,
           commit: bool = True) -> Organisation:
    errors = check(session, code=code, agency=agency, name_ru=name_ru, serves=serves, territory=territory,
                   parent_code=parent_code)
    if errors:
        raise Invalid("organisation_invalid", errors)
    if session.get(Organisation, code) is not None:
        raise Conflict("organisation_exists", {"code": code})
    serving = _codes(serves)
    org = Organisation(code=code, agency=agency, name_ru=name_ru.strip(), name_kk=(name_kk or "").strip() or None,
                       name_en=(name_en or "").strip() or None,
                       territory=territory or serving[0], serves=serving, parent_code=parent_code or None,
                       active=True)
    session.add(org)
    if commit:
        session.commit()
    return org


def import_csv(session, text: str) -> int:
    """Rows ``code,agency,name_ru,name_kk,territory,serves,parent`` (serves separated by ';'; an optional
    ``name_en`` column too); all or none."""
    rows = list(csv.DictReader(io.StringIO(text)))
    for n, row in enumerate(rows, start=2):
        try:
            create(session, code=(row.get("code") or "").strip(), agency=(row.get("agency") or "").strip(),
                   name_ru=row.get("name_ru") or "", name_kk=row.get("name_kk"), name_en=row.get("name_en"),
                   territory=(row.get("territory") or "").strip() or None, serves=row.get("serves") or "",
                   parent_code=(row.get("parent") or "").strip() or None, commit=False)
            session.flush()
        except (Invalid, Conflict) as exc:
            session.rollback()
            errors = [{**e, "field": f"line {n}: {e['field']}"} for e in getattr(exc, "errors", None) or
                      [{"field": "code", "message": exc.detail}]]
            raise Invalid("import_line_refused", errors, {"line": n}) from None
    session.commit()
    return len(rows)


def set_active(session, code: str, active: bool) -> Organisation:
    org = session.get(Organisation, code)
    if org is None:
        raise NotFound("organisation_not_found", {"code": code})
    org.active = active
    session.commit()
    return org


def listing(session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.agency, Organisation.code)))


def names(session, codes, lang: str | None = None) -> dict[str, str]:
    """Organisations' names by code in ``lang`` (the request's language when omitted) where the organisation has a
    name in it, in Russian otherwise."""
    codes = [c for c in set(codes) if c]
    if not codes:
        return {}
    return {code: pick({"ru": ru, "kk": kk, "en": en}, lang) or ru for code, ru, kk, en in session.execute(
        select(Organisation.code, Organisation.name_ru, Organisation.name_kk, Organisation.name_en)
        .where(Organisation.code.in_(codes)))}


def title(org: Organisation, lang: str | None = None) -> str:
    """One organisation's name for people to read (``names``' rule)."""
    return pick({"ru": org.name_ru, "kk": org.name_kk, "en": org.name_en}, lang) or org.name_ru


def membership(session, *, org_code: str | None, agency: str | None, roles) -> str | None:
    """The agency a new user gets with ``org_code`` (the organisation's), or the faults in the way.

    The organisation's agency must match a given one. Staff and supervisors may go without an
    organisation only while their agency has none registered (agency-wide users, as before)."""
    if org_code:
        org = session.get(Organisation, org_code)
        if org is None or not org.active:
            raise Invalid("unknown_organisation", [field("org", "no_active_organisation", code=org_code)])
        if agency and agency != org.agency:
            raise Invalid("agency_mismatch", [field("agency", "org_of_agency", org=org_code, agency=org.agency)])
        return org.agency
    if agency and set(roles) & {"staff", "supervisor"} and session.scalar(
            select(Organisation.code).where(Organisation.agency == agency).limit(1)):
        raise Invalid("organisation_required", [field("org", "agency_has_orgs", agency=agency)])
    return agency
