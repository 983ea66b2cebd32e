"""Who may see or do what: the one home of access rules, as pure predicates and the matching SQL filters.

The principal is a user: roles, agency and organisation. The rules:
- auditors and admins see every task and case (admins and process owners see children by initials);
- staff and supervisors **with an organisation** see and work the tasks routed to it, and the cases it
  takes part in (``CaseParticipant``: it holds or held a task or notice there, or it opened the case);
- staff and supervisors **without an organisation** keep the agency-wide rule from before organisations
  (a national or not-yet-assigned user of an agency sees all of that agency's work): tasks of their
  agency, cases their agency has (had) a task in or opened.
Domain services and pages ask these functions instead of repeating conditions; templates get ``can``.
"""
from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import object_session

from .. import territories

from ..instances.models import Case, ProcessInstance, Task
from ..registry.models import ProcessVersion
from .models import CaseParticipant

WORKING_ROLES = ("staff", "supervisor")
SEE_ALL = ("auditor", "admin")


def working(user) -> bool:
    return user is not None and user.has_role(*WORKING_ROLES)


def overseen(user) -> str | None:
    """The territory an auditor oversees (regional oversight), None for national ones and everyone else."""
    if user.has_role("auditor") and not user.has_role("admin"):
        return getattr(user, "territory", None)
    return None


def _in_territory(session, user, case_id: str | None) -> bool:
    scope = overseen(user)
    if scope is None:
        return True
    case = session.get(Case, case_id) if case_id else None
    return case is not None and territories.covers(scope, case.territory)


# -- tasks --------------------------------------------------------------------------------------------------
def task_filter(user):
    """SQL condition on ``Task``: the tasks the user may see."""
    if user.has_role(*SEE_ALL):
        scope = overseen(user)
        if scope is None:
            return true()
        return Task.case_id.in_(select(Case.id).where(Case.territory.in_(territories.within(scope))))
    if not working(user):
        return false()
    clause = Task.agency == user.agency
    if user.organisation:
        clause = and_(clause, Task.organisation == user.organisation)
    return clause


def can_see_task(user, task: Task) -> bool:
    if user.has_role(*SEE_ALL):
        return overseen(user) is None or _in_territory(object_session(task), user, task.case_id)
    return working(user) and task.agency == user.agency and (
        not user.organisation or task.organisation == user.organisation)


def can_work_task(user, task: Task) -> bool:
    if not working(user) or task.agency != user.agency:
        return False
    if user.organisation and task.organisation != user.organisation:
        return False
    return task.required_role is None or user.has_role(task.required_role)


def can_release_task(user, task: Task) -> bool:
    """The holder, or a supervisor of the unit the task is routed to."""
    if task.claimed_by == user.username:
        return True
    return user.has_role("supervisor") and can_see_task(user, task)


# -- handing work over ----------------------------------------------------------------------------------------
def may_hand_over(user, task: Task) -> bool:
    """Who may give a ready task to someone else: whoever may work it, when it is untaken or theirs; a supervisor
    of its unit whoever holds it (the one who shares the unit's work out when someone is ill or overloaded)."""
    if task.state != "ready" or not can_work_task(user, task):
        return False
    return task.claimed_by in (None, user.username) or user.has_role("supervisor")


def may_receive(colleague, task: Task) -> bool:
    """Whom a task may be given to: an active colleague who may work it, so of its unit (a user of another unit
    or agency is refused even when a form names them)."""
    return colleague is not None and bool(colleague.active) and can_work_task(colleague, task)


def manages_unit(user) -> bool:
    """A supervisor with an agency shares out their unit's work: their organisation's, or for an agency-wide
    supervisor (no organisation) their agency's. Auditors and admins open the supervision page but have no unit."""
    return user is not None and user.has_role("supervisor") and bool(user.agency)


def unit_member_filter(user):
    """SQL condition on ``User``: the people of ``user``'s unit, whose workload their supervisor sees (active
    users of the same organisation, or of the agency for an agency-wide supervisor). Roles are checked after."""
    from ..users.models import User
    if not manages_unit(user):
        return false()
    clause = and_(User.active.is_(True), User.agency == user.agency)
    if user.organisation:
        clause = and_(clause, User.organisation == user.organisation)
    return clause


# -- cases --------------------------------------------------------------------------------------------------
def case_agencies(session, case_id: str) -> set[str]:
    """Agencies with a task (open or done) in the case, plus the agency that opened it."""
    found = set(session.scalars(select(Task.agency).where(Task.case_id == case_id, Task.agency.is_not(None))
                                .distinct()))
    case = session.get(Case, case_id)
    if case is not None and case.opened_agency:
        found.add(case.opened_agency)
    return found


def case_organisations(session, case_id: str) -> list[str]:
    return list(session.scalars(select(CaseParticipant.organisation).where(CaseParticipant.case_id == case_id)
                                .order_by(CaseParticipant.organisation)))


def _participates(session, organisation: str, case_id: str) -> bool:
    return session.get(CaseParticipant, (case_id, organisation)) is not None


def may_see_case(session, user, case_id: str | None) -> bool:
    if user.has_role(*SEE_ALL):
        return _in_territory(session, user, case_id)
    if case_id is None or not working(user):
        return False
    if user.organisation:
        return _participates(session, user.organisation, case_id)
    return user.agency in case_agencies(session, case_id)


def case_filter(user):
    """SQL condition on ``Case``: the cases ``may_see_case`` lets the user open (the same rule, for lists)."""
    if user.has_role(*SEE_ALL):
        scope = overseen(user)
        return true() if scope is None else Case.territory.in_(territories.within(scope))
    if not working(user):
        return false()
    if user.organisation:
        return Case.id.in_(select(CaseParticipant.case_id).where(CaseParticipant.organisation == user.organisation))
    return or_(Case.opened_agency == user.agency,
               Case.id.in_(select(Task.case_id).where(Task.agency == user.agency)))


def visible_cases_among(session, user, case_ids) -> set[str]:
    """Of ``case_ids``, those the user may see (one query for organisation members)."""
    ids = {c for c in case_ids if c}
    if user.has_role(*SEE_ALL):
        return {c for c in ids if _in_territory(session, user, c)}
    if not working(user) or not ids:
        return set()
    if user.organisation:
        return set(session.scalars(select(CaseParticipant.case_id).where(
            CaseParticipant.organisation == user.organisation, CaseParticipant.case_id.in_(ids))))
    return {c for c in ids if user.agency in case_agencies(session, c)}


def linked_cases_shown(session, user, case_id: str, other_ids) -> set[str]:
    """Of the cases linked to ``case_id`` (the same child, issue 12 §10), those the reader is shown: only to a
    reader who may see both cases. A link grants no access, and a number one may not open tells nothing to act
    on; guardianship and КДНЗП, told of both reports, see the link from either side."""
    if not may_see_case(session, user, case_id):
        return set()
    return visible_cases_among(session, user, set(other_ids) - {case_id})


def may_see_child_name(session, user, case_id: str | None) -> bool:
    """Auditors see names (their reading is access-logged), of the cases in their territory (all of them when
    national); staff and supervisors see the children of the cases they may open; everyone else (admins, process
    owners) sees initials. That is: who reads personal data at all, and ``may_see_case`` (auditors are SEE_ALL:
    their territory). Lists ask ``child_names_shown_among``, the same rule for many cases at once."""
    return reads_personal_data(user) and may_see_case(session, user, case_id)


def child_names_shown_among(session, user, case_ids) -> set[str]:
    """Of ``case_ids``, the cases whose child ``may_see_child_name`` names to the user, in one query however many
    they are (a page of search results must not cost a query per listed case). The same rule, with
    ``case_filter``, the SQL form of ``may_see_case``."""
    ids = {c for c in case_ids if c}
    if not ids or not reads_personal_data(user):
        return set()
    return set(session.scalars(select(Case.id).where(Case.id.in_(ids), case_filter(user))))


def may_see_report(session, user, case_id: str | None) -> bool:
    """The account of what happened (summary, place, who told) names people as surely as the child's name does:
    the same readers. Everyone who may open the case still sees when the report was received and who registered
    it (an organisation and a staff member, not personal data of the family)."""
    return may_see_child_name(session, user, case_id)


def cases_with_lane(session, agency: str | None, case_ids) -> set[str]:
    """Of ``case_ids``, those with a lane of ``agency`` in one of their processes."""
    ids = {c for c in case_ids if c}
    if not agency or not ids:
        return set()
    rows = session.execute(select(ProcessInstance.case_id, ProcessVersion.lanes).join(
        ProcessVersion, ProcessVersion.id == ProcessInstance.version_id).where(ProcessInstance.case_id.in_(ids)))
    return {case_id for case_id, lanes in rows if agency in (lanes or {}).values()}


def taking_part_among(session, user, case_ids) -> set[str]:
    """Of ``case_ids``, those the user takes part in: the one definition of "takes part in a case".

    Admins: any case. Members of an organisation: a case routed to it (``CaseParticipant``). Users without
    one: a case with a lane of their agency, as before organisations."""
    ids = {c for c in case_ids if c}
    if user is None or not ids:
        return set()
    if user.has_role("admin"):
        return ids
    if user.organisation:
        return set(session.scalars(select(CaseParticipant.case_id).where(
            CaseParticipant.organisation == user.organisation, CaseParticipant.case_id.in_(ids))))
    return cases_with_lane(session, user.agency, ids)


def takes_part(session, user, case_id: str) -> bool:
    """May the user open work on the case (start a process in it, post a message into it)?"""
    return bool(case_id) and case_id in taking_part_among(session, user, {case_id})


# -- oversight: supervisors over their cases, overseers over their territory -----------------------------------
OVERSEE_ALL = ("process_owner", "admin")


def oversees_everything(user) -> bool:
    """Process owners and admins (they fix diagrams and the service, across the country) and national auditors
    see every failed step; a regional auditor only their territory's, a supervisor only their cases'."""
    return user.has_role(*OVERSEE_ALL) or (user.has_role("auditor") and overseen(user) is None)


def overseen_cases_among(session, user, case_ids) -> set[str]:
    """Of ``case_ids``, those whose failed steps and deadlines the user oversees: every case for
    ``oversees_everything``; for a regional auditor the cases of children living in their territory (КАТО, and
    everything under it), nothing else; for a supervisor the cases their unit (agency) takes part in."""
    ids = {c for c in case_ids if c}
    if oversees_everything(user):
        return ids
    found: set[str] = set()
    if user.has_role("auditor") and ids:
        scope = territories.within(overseen(user))
        found |= set(session.scalars(select(Case.id).where(Case.id.in_(ids), Case.territory.in_(scope))))
    if user.has_role("supervisor"):
        found |= taking_part_among(session, user, ids)
    return found


# -- instances ----------------------------------------------------------------------------------------------
def may_read_instance(session, user, instance: ProcessInstance) -> bool:
    """Process owners read instances (the pages mask children for them); staff only those of cases they may
    open — a lane in the process is not enough (it let any police officer read any chapter 1 case)."""
    if user.has_role("auditor", "admin", "process_owner"):
        return _in_territory(session, user, instance.case_id) if instance.case_id else overseen(user) is None
    if not working(user):
        return False
    if instance.case_id is not None:
        return may_see_case(session, user, instance.case_id)
    version = session.get(ProcessVersion, instance.version_id)
    return not user.organisation and user.agency in (version.lanes or {}).values()


def reads_personal_data(user) -> bool:
    """Whether API answers may carry a child's data for this user at all (owners and admins: never)."""
    return user.has_role("auditor", *WORKING_ROLES)


def may_attach(session, user, case_id: str) -> bool:
    """Documents are added by the staff and supervisors who may open the case (auditors and admins read them)."""
    return working(user) and may_see_case(session, user, case_id)


def records_residence(user) -> bool:
    """Who records a change of residence at all: admins, and staff or supervisors of an organisation (a unit
    answers for where the child lives now; an agency-wide user has no unit for the work to move from)."""
    return user is not None and (user.has_role("admin") or (working(user) and bool(user.organisation)))


def may_change_residence(session, user, case_id: str) -> bool:
    """``records_residence``, in a case the user's unit takes part in (admins: any)."""
    return records_residence(user) and (user.has_role("admin") or may_see_case(session, user, case_id))


def may_withdraw_registration(session, user, case_id: str) -> bool:
    """Who may withdraw a registration made in error: the staff member who registered the report (opened the
    case), or a supervisor of the same unit — their organisation, or for a case opened by an agency-wide user,
    an agency-wide supervisor of that agency. Nobody else: not another agency told of the case, not an auditor
    or admin (a withdrawal is the registering unit's own correction, and it cancels every agency's work).
    Whether the case is still open is the service's check (``instances/withdrawal.py``), not a right."""
    if not working(user) or not case_id:
        return False
    case = session.get(Case, case_id)
    if case is None or not case.opened_agency:
        return False
    if case.opened_by and case.opened_by == user.username:
        return may_see_case(session, user, case.id)
    if not user.has_role("supervisor") or user.agency != case.opened_agency:
        return False
    return (user.organisation or None) == (case.opened_organisation or None)


def can(user, action: str, obj=None, session=None) -> bool:
    """For templates, so that none repeats a role list: ``can('work', task)``, ``can('see', task)``,
    ``can('release', task)``; on a case ``can('attach', case)``, ``can('change_residence', case)``,
    ``can('withdraw', case)``; and the parts
    of the service ``can('open', 'supervision')`` (``areas.AREAS``: the menu shows what the page opens)."""
    if isinstance(obj, Task):
        return {"work": can_work_task, "see": can_see_task, "release": can_release_task}[action](user, obj)
    if isinstance(obj, Case):
        rule = {"attach": may_attach, "change_residence": may_change_residence,
                "withdraw": may_withdraw_registration}[action]
        return user is not None and rule(session or object_session(obj), user, obj.id)
    if isinstance(obj, str) and action == "open":
        from .areas import may_open
        return may_open(user, obj)
    raise ValueError(f"no rule for {action!r} on {type(obj).__name__}")


def require_part_in_case(session, user, case_id: str) -> None:
    """Raise Forbidden unless ``takes_part``: joining a case means receiving its notices."""
    from ..errors import Forbidden
    if not takes_part(session, user, case_id):
        raise Forbidden("organisation_not_in_case" if getattr(user, "organisation", None) else "agency_not_in_case")


# -- personal data in API answers -------------------------------------------------------------------------
CASE_FACTS = ("case_id", "registration_number", "received_at", "reporting_agency", "territory")
PERSONAL_EVENTS = frozenset({"instance_started", "task_completed", "message_delivered", "message_received",
                             "message_sent", "registration_withdrawn"})    # a withdrawal's reason is free text


def shown_instance_data(user, data: dict | None) -> dict:
    """The instance data an API answer may carry: all of it for those who read personal data, the case's own
    facts (number, receipt, territory) for process owners and admins — as the pages show them initials only."""
    data = data or {}
    if reads_personal_data(user):
        return data
    return {k: data[k] for k in CASE_FACTS if k in data}


def shown_event_data(user, event_type: str, data: dict | None) -> dict:
    """An event's data likewise: the steps that carry form entries or payloads are withheld from owners and
    admins (their types, times, actors and hashes stay); the service's own notes (migration, incident) are not."""
    if reads_personal_data(user) or event_type not in PERSONAL_EVENTS:
        return data or {}
    return {"withheld": "personal data: shown to the case's staff and to auditors"}
