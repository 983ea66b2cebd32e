"""A case told as people read it: what was reported, who holds which duty now, and what happened so far.

The event log records everything the engine did — gateways passed, timers armed and cancelled, end events —
because an auditor must be able to replay it. A social worker opening the case wants the other half: which
steps people took (and in which organisation), which notices went between agencies and whether they were
acknowledged, which deadlines were missed and what was escalated, which documents came in, where work was
handed over. This module is that choice and its wording, as pure functions over events and the diagrams'
element metadata; the page only fetches rows and draws the result.

Names of steps come from the caller's ``names`` mapping ((instance id, element id) → the name in the reader's
language), so naming stays in one place; an element without a name is told without one, never by its id.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from ..agencies import agency_for_lane, agency_title
from ..i18n import gettext_in
from .deadlines import outcome

# The acknowledgement of a notice has the same form in every chapter: completing it *is* the acknowledgement.
ACK_FORM = "ack.schema.json"
# A step only a supervisor may take is the escalation of a missed deadline (the Guide's "контроль руководителя").
ESCALATION_ROLE = "supervisor"


@dataclass(frozen=True)
class Chapter:
    """What the story needs of one process instance of the case: its diagram's elements and its name."""
    name: str
    elements: Mapping[str, dict] = field(default_factory=dict)     # element id → element metadata


@dataclass(frozen=True)
class Line:
    """One line of the timeline: ``text`` is the whole sentence in the reader's language."""
    at: datetime
    kind: str
    text: str
    agency: str | None = None           # the agency's name, in the reader's language
    organisation: str | None = None     # the organisation's name, when routing named one
    who: str | None = None              # the person who acted; None for what the service did on its own
    detail: str | None = None
    document_id: str | None = None
    tone: str | None = None             # "late" for missed deadlines, "warn" for escalations


# -- what was reported --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """The account chapter 1's registration gives: masked parts are None when the reader may not see them."""
    received_at: str | None
    summary: str | None
    place: str | None
    reporter: str | None                # who told (a person or an organisation), as the registrant wrote it
    reporter_relation: str | None
    anonymous: bool
    masked: bool


def reported(data: Mapping[str, Any] | None, *, visible: bool) -> Report:
    """What was reported, from the case's data (registration form, ch1-registration.schema.json).

    The summary, the place and the reporter's name describe people as surely as the child's name does, so a
    reader who may not see the child (``visible`` False) gets only when it was received."""
    data = data or {}
    reporter = data.get("reporter") if isinstance(data.get("reporter"), dict) else {}
    anonymous = bool(reporter.get("anonymous"))

    def text(value) -> str | None:
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else None
    received = data.get("received_at") or data.get("report_received_at")
    if not visible:
        return Report(received if isinstance(received, str) else None, None, None, None, None, anonymous, True)
    return Report(received_at=received if isinstance(received, str) else None,
                  summary=text(data.get("case_summary")), place=text(data.get("event_place")),
                  reporter=None if anonymous else text(reporter.get("full_name")),
                  reporter_relation=None if anonymous else text(reporter.get("relation_to_child")),
                  anonymous=anonymous, masked=False)


# -- who holds which duty now ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Duty:
    task: Any                           # the open Task row (its id, due_at, claimed_by, ...)
    step: str | None
    agency: str | None
    organisation: str | None
    kind: str                           # notice (awaiting acknowledgement) | escalation | task
    late: bool


def duties(tasks: Iterable[Any], *, now: datetime, names: Mapping[tuple[str, str], str],
           units: Mapping[str, str], lang: str | None = None) -> list[Duty]:
    """The case's open tasks as duties: which agency and organisation must do what, by when; the late first.

    ``units``: organisation code → its name. Lateness is ``deadlines.outcome``'s rule (one home of "late")."""
    rows = []
    for t in tasks:
        late = t.overdue_since is not None if t.due_at is None else outcome(t, now) == "open_overdue"
        kind = "notice" if t.form == ACK_FORM else "escalation" if t.required_role == ESCALATION_ROLE else "task"
        step = names.get((t.instance_id, t.bpmn_id))
        rows.append(Duty(task=t, step=step if step and step != t.bpmn_id else t.name,
                         agency=agency_title(t.agency, lang) if t.agency else None,
                         organisation=units.get(t.organisation) if t.organisation else None, kind=kind, late=late))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(rows, key=lambda d: (not d.late, d.task.due_at is None, d.task.due_at or far))


# -- the timeline ---------------------------------------------------------------------------------------------
# Event types a person reads; everything else (activity_completed of gateways, scripts and end events,
# timer_fired, task_ready of ordinary tasks, message_delivered — told by its message_received — incidents,
# migrations) is the engine's bookkeeping and stays in the audit's replay.
PERSON_STEPS = {"task_completed", "task_claimed", "task_unclaimed", "task_assigned", "task_cancelled"}
NOTICES = {"message_sent", "message_received"}
DEADLINES = {"overdue", "task_ready"}          # task_ready only for an escalation
HANDOVERS = {"task_transferred", "case_transferred", "residence_changed", "case_linked", "case_kept_separate"}
TOLD = PERSON_STEPS | NOTICES | DEADLINES | HANDOVERS | {"document_attached", "instance_started",
                                                        "instance_completed", "registration_withdrawn"}


def timeline(events: Iterable[Any], *, chapters: Mapping[str, Chapter], names: Mapping[tuple[str, str], str],
             task_orgs: Mapping[str, str | None] | None = None, units: Mapping[str, str] | None = None,
             documents: Mapping[str, str] | None = None, people: Mapping[str, str] | None = None,
             lang: str | None = None, reasons_shown: bool = True) -> list[Line]:
    """The lines a person reads, in the order things happened.

    ``events``: the case's events (``instance_id``, ``seq``, ``type``, ``at``, ``actor``, ``task_id``,
    ``bpmn_id``, ``lane``, ``data``) of every chapter; ``chapters``: instance id → Chapter, in the order the
    chapters began; ``task_orgs``: task
    id → the organisation it was routed to, ``units``: organisation code → its name; ``documents``: document
    id → file name (leave it out when the reader may not see it: people name files after the child);
    ``people``: user name → how to show them; ``reasons_shown``: whether free-text reasons people wrote (a
    withdrawal's) are told — False for a reader who may not see what was reported.
    """
    ctx = _Context(names=names, task_orgs=task_orgs or {}, units=units or {}, documents=documents or {},
                   people=people or {}, lang=lang, reasons_shown=reasons_shown)
    lines: list[Line] = []
    seen: set[tuple] = set()
    order = {instance_id: n for n, instance_id in enumerate(chapters)}      # chapters in the order they began
    for e in sorted(events, key=lambda e: (e.at, order.get(e.instance_id, len(order)), e.seq)):
        chapter = chapters.get(e.instance_id) or Chapter(name="")
        element = chapter.elements.get(e.bpmn_id or "") or {}
        if e.type == "activity_completed" and element.get("throws") and element.get("message"):
            ctx.thrown.setdefault(e.instance_id, []).append(e.bpmn_id)
        if e.type == "message_delivered":
            payload = (e.data or {}).get("payload")
            ctx.delivered[e.instance_id] = payload if isinstance(payload, dict) else {}
        if e.type not in TOLD:
            continue
        line = _line(e, chapter, element, ctx)
        if line is None:
            continue
        key = (line.kind, line.at, line.text, line.who)    # residence_changed is written in every chapter
        if key not in seen:
            seen.add(key)
            lines.append(line)
    return lines


@dataclass
class _Context:
    names: Mapping[tuple[str, str], str]
    task_orgs: Mapping[str, str | None]
    units: Mapping[str, str]
    documents: Mapping[str, str]
    people: Mapping[str, str]
    lang: str | None
    reasons_shown: bool = True
    thrown: dict[str, list[str]] = field(default_factory=dict)       # instance → its throw events done so far
    delivered: dict[str, dict] = field(default_factory=dict)         # instance → the last payload delivered

    def step(self, instance_id: str, bpmn_id: str | None, element: dict) -> str | None:
        if not bpmn_id:
            return None
        name = self.names.get((instance_id, bpmn_id)) or element.get("name")
        return name if name and name != bpmn_id else None         # an element without a name: no id instead

    def unit(self, code: str | None) -> str | None:
        return self.units.get(code, code) if code else None

    def say(self, with_step: str, without: str, step: str | None, **params) -> str:
        if step:
            return gettext_in(self.lang, with_step, step=step, **params)
        return gettext_in(self.lang, without, **params)


def _line(e, chapter: Chapter, element: dict, ctx: _Context) -> Line | None:
    data, lang = e.data or {}, ctx.lang
    person = None if e.actor in (None, "", "system") else ctx.people.get(e.actor, e.actor)
    agency_code = agency_for_lane(e.lane)
    base = dict(at=e.at, kind=e.type, who=person, agency=agency_title(agency_code, lang) if agency_code else None,
                organisation=ctx.unit(ctx.task_orgs.get(e.task_id)) if e.task_id else None)
    step = ctx.step(e.instance_id, e.bpmn_id, element)
    say = ctx.say

    if e.type == "task_completed":
        if element.get("form") == ACK_FORM:
            return Line(text=gettext_in(lang, "Receipt of the notice acknowledged"), **{**base, "kind": "acknowledged"})
        return Line(text=say("Done: %(step)s", "A step was done", step), **base)
    if e.type == "task_claimed":
        return Line(text=say("Taken into work: %(step)s", "A task was taken into work", step), **base)
    if e.type == "task_unclaimed":
        return Line(text=say("Returned to the queue: %(step)s", "A task was returned to the queue", step), **base)
    if e.type == "task_assigned":
        to = data.get("to")
        return Line(text=say("Handed to a colleague: %(step)s", "A task was handed to a colleague", step),
                    detail=gettext_in(lang, "to: %(whom)s", whom=ctx.people.get(to, to)) if to else None, **base)
    if e.type == "task_cancelled":
        if element.get("type") != "userTask":          # a deadline timer disarmed when its task was done
            return None
        return Line(text=say("No longer needed: %(step)s", "A task is no longer needed", step), **base)
    if e.type == "task_ready":
        if element.get("required_role") != ESCALATION_ROLE:     # new work is in the duties, not the story
            return None
        return Line(text=say("Passed to the supervisor: %(step)s", "Passed to the supervisor", step), tone="warn",
                    **{**base, "kind": "escalated"})
    if e.type == "overdue":
        return Line(text=say("Deadline missed: %(step)s", "A deadline was missed", step), tone="late", **base)
    if e.type == "message_sent":
        # the message names no element: the throw event of that message completed last in this chapter sent it
        sender = next((b for b in reversed(ctx.thrown.get(e.instance_id, []))
                       if chapter.elements.get(b, {}).get("message") == data.get("name")), None)
        thrower = chapter.elements.get(sender or "", {})
        agency = agency_for_lane(thrower.get("lane"))
        return Line(text=say("Notice sent: %(step)s", "A notice was sent", ctx.step(e.instance_id, sender, thrower)),
                    **{**base, "agency": agency_title(agency, lang) if agency else base["agency"]})
    if e.type == "message_received":
        sender = ctx.delivered.get(e.instance_id, {}).get("notified_by")
        return Line(text=say("Notice delivered: %(step)s", "A notice was delivered", step),
                    detail=gettext_in(lang, "from: %(sender)s", sender=agency_title(sender, lang))
                    if isinstance(sender, str) and sender else None, **base)
    if e.type == "document_attached":
        name = ctx.documents.get(data.get("document_id"))
        return Line(text=gettext_in(lang, "Document attached: %(file)s", file=name) if name
                    else gettext_in(lang, "A document was attached"), document_id=data.get("document_id"), **base)
    if e.type in ("task_transferred", "case_transferred"):
        words = ("Task handed to another organisation: %(step)s", "A task was handed to another organisation") \
            if e.type == "task_transferred" else \
            ("Case work handed to another organisation: %(step)s", "Case work was handed to another organisation")
        to = ctx.unit(data.get("to"))
        return Line(text=say(*words, step), detail=gettext_in(lang, "to: %(whom)s", whom=to) if to else None,
                    **{**base, "organisation": ctx.unit(data.get("from"))})
    if e.type == "residence_changed":
        return Line(text=gettext_in(lang, "The child's residence changed"), **{**base, "agency": None})
    if e.type in ("case_linked", "case_kept_separate"):
        words = "Linked to another case of the child: %(number)s" if e.type == "case_linked" \
            else "Kept apart from another case of the child: %(number)s"
        return Line(text=gettext_in(lang, words, number=data.get("case") or "—"), **{**base, "agency": None})
    if e.type == "registration_withdrawn":        # written in every chapter still open: told once
        reason = data.get("reason") if ctx.reasons_shown else None
        return Line(text=gettext_in(lang, "Registration withdrawn as made in error"), tone="warn",
                    detail=gettext_in(lang, "reason: %(reason)s", reason=reason) if reason else None,
                    **{**base, "agency": None})
    if e.type == "instance_started":
        if person is None:                 # a chapter a notice started: its "notice delivered" line tells it
            return None
        return Line(text=gettext_in(lang, "Work started: %(chapter)s", chapter=chapter.name), **base)
    if e.type == "instance_completed":
        return Line(text=gettext_in(lang, "Work finished: %(chapter)s", chapter=chapter.name), **{**base, "who": None})
    return None
