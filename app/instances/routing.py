"""Where a ready task goes: the one rule, used by the step (``steps.py``) and by migration (``modeler``).

A task in an agency's lane goes to one organisation of that agency:
1. the lane of the agency that registered the case stays with the reporting organisation (the school
   that registered keeps its school tasks);
2. otherwise the active organisation of the agency whose ``serves`` covers the case's territory most
   specifically (a district police department before the oblast's);
3. when none covers it: the agency's organisation in the nearest ancestor territory (the same oblast),
   or, when the agency has no organisation there either, the agency as a whole (its users without an
   organisation, the national level) — never dropped, never everyone; an admin alert names the gap.
An agency with no organisations at all, or a case whose residence is not known yet, keeps the agency-wide
routing of before organisations existed (``organisation`` None: the agency's users without an
organisation), without alert.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import territories
from ..access.models import CaseParticipant
from ..organisations.directory import units_of
from .models import Case


@dataclass(frozen=True)
class Route:
    organisation: str | None
    gap: str | None = None        # why the routing fell back, for the admin alert (names codes, never data)


def route(session, *, agency: str | None, case: Case | None) -> Route:
    if agency is None or case is None:
        return Route(None)
    if case.opened_agency == agency and case.opened_organisation:
        return Route(case.opened_organisation)
    orgs = units_of(session, agency)                  # remembered per process (organisations/directory.py)
    if not orgs:
        return Route(None)
    lineage = territories.lineage(case.territory)
    for code in lineage:                              # nearest first: the most specific cover wins
        if code in orgs.serving:                      # the first in code order that serves it
            return Route(orgs.serving[code])
    if not lineage:                  # residence not known yet (before the registration form): agency level
        return Route(None)
    where = case.territory
    for code in lineage[1:]:                          # the nearest ancestor with a unit of the agency
        near = [o for o in orgs.units if territories.covers(code, o.territory)]
        if near:
            return Route(near[0].code, f"no {agency} organisation serves territory {where}; sent to {near[0].code}")
    return Route(None, f"no {agency} organisation serves territory {where}; left to the agency's national level")


def record_participant(session, case_id: str | None, organisation: str | None) -> None:
    """Remember that ``organisation`` holds work in the case (idempotent; the caller commits)."""
    if not case_id or not organisation:
        return
    pending = any(isinstance(o, CaseParticipant) and (o.case_id, o.organisation) == (case_id, organisation)
                  for o in session.new)             # added in this step, not flushed yet (no_autoflush)
    if not pending and session.get(CaseParticipant, (case_id, organisation)) is None:
        session.add(CaseParticipant(case_id=case_id, organisation=organisation))


def route_task(session, *, instance, case: Case | None, agency: str | None, now) -> str | None:
    """The organisation of a new ready task in ``agency``'s lane; records the participant, raises the
    admin alert (an open ``routing`` incident, one per instance and gap) when routing fell back."""
    found = route(session, agency=agency, case=case)
    record_participant(session, instance.case_id, found.organisation)
    if found.gap:
        from ..incidents.models import Incident
        reason = found.gap[:300]
        known = session.scalar(select(Incident.id).where(Incident.kind == "routing", Incident.status == "open",
                                                         Incident.instance_id == instance.id,
                                                         Incident.reason == reason))
        if known is None:
            session.add(Incident(kind="routing", status="open", instance_id=instance.id, case_id=instance.case_id,
                                 process_id=instance.process_id, reason=reason, attempts=0, opened_at=now,
                                 updated_at=now))
    return found.organisation


def note_residence(case: Case | None, data: dict | None) -> None:
    """The child's residence (``territory`` in the data, a КАТО code the classifier knows) becomes the
    case's, once: a later change of residence is a transfer, not a side effect of a form."""
    if case is None or case.territory:
        return
    code = (data or {}).get("territory")
    if territories.get(code) is not None:
        case.territory = code
