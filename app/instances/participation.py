"""Who takes part in a case: the one rule for "may this agency's staff act on this child's case".

An agency takes part in a case when it has a lane in one of the case's processes. Staff of any
other agency must not be able to open work on the case: neither by posting a message into it
(a message can start any agency's process) nor by starting a process with its ``case_id``
(the new instance would then receive the case's notifications).
"""
from __future__ import annotations

from sqlalchemy import select

from ..errors import Forbidden
from ..registry.models import ProcessVersion
from .models import ProcessInstance


def agency_takes_part(session, agency: str | None, case_id: str) -> bool:
    if not agency:
        return False
    lanes = session.scalars(select(ProcessVersion.lanes).join(
        ProcessInstance, ProcessInstance.version_id == ProcessVersion.id).where(ProcessInstance.case_id == case_id))
    return any(agency in (mapping or {}).values() for mapping in lanes)


def require_part_in_case(session, user, case_id: str) -> None:
    """Admins act on any case; everyone else only on a case their agency takes part in."""
    if user is not None and user.has_role("admin"):
        return
    if user is None or not agency_takes_part(session, user.agency, case_id):
        raise Forbidden("your agency takes no part in this case")
