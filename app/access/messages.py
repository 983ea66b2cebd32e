"""Who may post which message into a case (``POST /api/v1/messages``).

A message from a person stands in for a step of a diagram: "the school notified the police" is what a
school's lane throws. So a person's right to send a message is read off the deployed diagrams, never
granted by a role alone: staff and supervisors may send a message that a lane of **their agency**
throws, in a diagram the case runs on (or the newest deployed one), into a case they take part in
(``takes_part``). Otherwise a school's clerk could "notify" the police in the prosecutor's name.

Integrations (service accounts with the ``integration`` role, created by an admin with a token and no
password) stand for a whole external system — a hotline, the police register — whose messages no lane
draws; their right is the role itself, explicitly given, still limited to the cases their
organisation (agency) takes part in. Everyone else (owners, auditors, admins) sends nothing: they are
no party to a child's case.
"""
from __future__ import annotations

from sqlalchemy import select

from ..errors import Forbidden
from ..problems import field
from ..instances.models import ProcessInstance
from ..registry.models import ProcessVersion
from . import WORKING_ROLES, takes_part

INTEGRATION = "integration"
SENDERS = (*WORKING_ROLES, INTEGRATION)


def thrown_by_agency(version: ProcessVersion, agency: str | None) -> set[str]:
    """Names of the messages a lane of ``agency`` throws in one diagram version."""
    if not agency:
        return set()
    lanes = version.lanes or {}
    return {e["message"] for e in version.elements or []
            if e.get("message") and e.get("throws") and lanes.get(e.get("lane")) == agency}


def _versions_of_case(session, case_id: str) -> list[ProcessVersion]:
    """The versions the case's processes run on, and the newest of every deployed process."""
    from ..registry.service import latest_versions
    ran = session.scalars(select(ProcessVersion).where(ProcessVersion.id.in_(
        select(ProcessInstance.version_id).where(ProcessInstance.case_id == case_id))))
    found = {v.id: v for v in ran}
    for v in latest_versions(session):
        found.setdefault(v.id, v)
    return list(found.values())


def sendable(session, user, case_id: str) -> set[str]:
    """The message names a person may send into the case (their agency's throws); empty for the rest."""
    if user is None or not user.has_role(*WORKING_ROLES):
        return set()
    names: set[str] = set()
    for version in _versions_of_case(session, case_id):
        names |= thrown_by_agency(version, user.agency)
    return names


def may_send(session, user, name: str, case_id: str) -> bool:
    if user is None or not user.has_role(*SENDERS) or not takes_part(session, user, case_id):
        return False
    return user.has_role(INTEGRATION) or name in sendable(session, user, case_id)


def require_sender(user) -> None:
    """Raise Forbidden for a principal whose role sends no messages at all (before reading the body)."""
    if user is None or not user.has_role(*SENDERS):
        raise Forbidden("senders_only", errors=[field("name", "role_sends_nothing")])


def require_may_send(session, user, name: str, case_id: str) -> None:
    """Raise Forbidden naming what is wrong: the case (not theirs) or the message (not their agency's)."""
    require_sender(user)
    if not takes_part(session, user, case_id):
        org = bool(getattr(user, "organisation", None))
        raise Forbidden("organisation_not_in_case" if org else "agency_not_in_case",
                        errors=[field("correlation.case_id", "org_no_part" if org else "agency_no_part")])
    if not may_send(session, user, name, case_id):
        raise Forbidden("message_not_agency", {"name": name}, errors=[field("name", "not_agency_message", name=name)])
