"""Running the Guide's diagrams with raw SpiffWorkflow, the way the service does, without the service.

Why here and not through the HTTP API: these tests pin the diagrams themselves (paths, gateways,
timers, the messages thrown and their payloads) independently of the engine adapter. The few
things the service does around the library are imitated in a few lines each:

* a process starts with data (``case_id``, ``registration_number``, and for chapter 1
  ``reporting_agency`` and ``received_at``); a message-started one gets the payload's keys;
* a message advances an instance of the same case that waits for it, otherwise it starts every
  process with a message start event of that name (``Router``);
* scripts, conditions, timer and payload expressions run in the service's sandbox with the
  service's timer functions when ``app`` provides them (stand-ins otherwise, see ``functions``).

Module name is unique on purpose (sibling ``conftest`` modules share a name).
"""
from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from lxml import etree
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
FORMS = ROOT / "forms"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC",
      "di": "http://www.omg.org/spec/DD/20100524/DI",
      "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}
ALMATY = timezone(timedelta(hours=5))
RECIPIENT = {"police_notified": "police", "kdnzp_notified": "kdnzp", "guardianship_notified": "education_authority",
             "parental_rights_petition": "education_authority", "education_org_notified": "education_org",
             "health_notified": "health", "infant_placement_requested": "health",
             "social_protection_notified": "social_protection", "centre_placement_requested": "center",
             "prosecutor_notified": "prosecutor", "mes_committee_notified": "mes_committee"}


# -- the diagrams -----------------------------------------------------------------------------------------
def diagram_files() -> list[Path]:
    return sorted(PROCESSES.glob("*.bpmn"))


def process_id(path: Path) -> str:
    root = etree.parse(str(path)).getroot()
    return root.find("bpmn:process", NS).get("id")


@lru_cache(maxsize=None)
def spec_of(file: str):
    parser = SpiffBpmnParser(validator=VALIDATOR)
    path = PROCESSES / file
    parser.add_bpmn_str(path.read_bytes(), filename=file)
    return parser.get_spec(process_id(path))


@lru_cache(maxsize=None)
def form(name: str) -> dict:
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


# -- the functions timer expressions, scripts and conditions may call -----------------------------------
def _standin_functions(now):
    """Stand-ins for app.calendar.timer_functions: weekends only, end of day in Almaty."""
    def local(v):
        d = datetime.fromisoformat(v) if isinstance(v, str) else v
        return (d if d.tzinfo else d.replace(tzinfo=ALMATY)).astimezone(ALMATY)

    def end_of(day: date) -> datetime:
        return datetime.combine(day + timedelta(days=1), datetime.min.time(), ALMATY)

    def is_working_day(d):
        d = local(d).date() if not isinstance(d, date) or isinstance(d, datetime) else d
        return d.weekday() < 5

    def next_working(day: date) -> date:          # a term ending on a day off ends on the next working day
        while not is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(start, n):
        day = local(start).date()
        while n > 0:
            day += timedelta(days=1)
            n -= is_working_day(day)
        return end_of(day).isoformat()

    return {
        "now": lambda: now().astimezone(ALMATY).isoformat(),
        "add_working_days": add_working_days,
        "add_days": lambda start, n: end_of(next_working(local(start).date() + timedelta(days=n))).isoformat(),
        "add_hours": lambda start, n: (local(start) + timedelta(hours=n)).isoformat(),
        "ack_deadline": lambda start=None: ((local(start) if start else now().astimezone(ALMATY))
                                            + timedelta(hours=1)).isoformat(),
        "is_working_day": is_working_day,
        "child_age": lambda child, on: None,          # the service's reads child.birth_date or the ИИН
    }


def functions(now):
    """The service's timer functions over its Kazakhstan calendar when available, else stand-ins."""
    try:
        from app.calendar import default_calendar, timer_functions
    except ImportError:  # pragma: no cover - the calendar is part of the project now
        return _standin_functions(now)
    return timer_functions(default_calendar(), 1.0, now=now)


def script_engine(now):
    try:
        from app.engine.sandbox import SandboxEnvironment
    except ImportError:  # pragma: no cover
        return PythonScriptEngine(environment=TaskDataEnvironment(functions(now)))
    return PythonScriptEngine(environment=SandboxEnvironment(functions(now)))


def check_form(name: str, data: dict, report_date: date | None = None) -> list:
    """Errors of ``data`` against the form, with the service's validator (format iin, x-iin) if present."""
    try:
        from app.forms.validation import validate_form
    except ImportError:  # pragma: no cover
        from jsonschema import Draft202012Validator
        return [e.message for e in Draft202012Validator(form(name)).iter_errors(data)]
    return validate_form(form(name), data, report_date=report_date)


# -- one instance -------------------------------------------------------------------------------------------
@dataclass
class Sent:
    name: str
    payload: dict
    source: str


@dataclass
class Instance:
    file: str
    now: object
    wf: BpmnWorkflow = None
    sent: list = field(default_factory=list)
    # the agencies the case's messages went to: the service adds them to every completed task's data
    # (case_notified_agencies); a test sets them, the Router adds what it routes
    notified: set = field(default_factory=set)

    @property
    def case_id(self):
        return self.wf.task_tree.data.get("case_id")

    def _collect(self):
        for ev in self.wf.get_events():
            self.sent.append(Sent(ev.event_definition.name, ev.payload, self.file))

    def start(self, data: dict) -> "Instance":
        self.wf = BpmnWorkflow(spec_of(self.file), script_engine=script_engine(self.now))
        self.wf.task_tree.data.update(deepcopy(data))
        self.wf.do_engine_steps()
        self._collect()
        return self

    def start_on(self, name: str, payload: dict) -> "Instance":
        data = {**deepcopy(payload)}
        self.start(data)
        event = message_event(name, payload)
        assert self.wf.get_tasks(state=TaskState.WAITING, catches_event=event), f"{self.file} does not start on {name}"
        self.wf.catch(event)
        self.wf.do_engine_steps()
        self._collect()
        return self

    def waits_for(self, name: str, payload: dict | None = None) -> bool:
        return bool(self.wf.get_tasks(state=TaskState.WAITING, catches_event=message_event(name, payload or {})))

    def deliver(self, name: str, payload: dict) -> None:
        self.wf.catch(message_event(name, payload))
        self.wf.do_engine_steps()
        self._collect()

    def ready(self) -> list[str]:
        return sorted(t.task_spec.bpmn_id for t in self.wf.get_tasks(state=TaskState.READY, manual=True))

    def ready_task(self, bpmn_id: str):
        found = [t for t in self.wf.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == bpmn_id]
        assert found, f"{bpmn_id} is not ready; ready: {self.ready()}"
        return found[0]

    def lane_of(self, bpmn_id: str) -> str | None:
        return self.ready_task(bpmn_id).task_spec.lane

    def complete(self, bpmn_id: str, data: dict | None = None, **overrides) -> "Instance":
        task = self.ready_task(bpmn_id)
        props = task.task_spec.extensions.get("properties", {})
        name = props["formJsonSchemaFilename"]
        submitted = {**deepcopy(sample(name)), **deepcopy(data or {}), **overrides}
        errors = check_form(name, submitted)
        assert not errors, f"sample data for {name} does not pass the form: {errors}"
        submitted.setdefault("case_notified_agencies", sorted(self.notified))
        task.data.update(submitted)
        task.run()
        self.wf.do_engine_steps()
        self._collect()
        return self

    def fire_timers(self) -> None:
        self.wf.refresh_timers()
        self.wf.do_engine_steps()
        self._collect()

    def due(self, timer_id: str) -> str | None:
        """The computed due instant of the latest boundary timer of that id (waiting or already fired)."""
        found = [t for t in self.wf.get_tasks() if t.task_spec.bpmn_id == timer_id
                 and t._get_internal_data("event_value")]
        return found[-1]._get_internal_data("event_value") if found else None

    def properties(self, bpmn_id: str) -> dict:
        return dict(self.ready_task(bpmn_id).task_spec.extensions.get("properties", {}))

    def take_sent(self) -> list[Sent]:
        out, self.sent = self.sent, []
        return out

    @property
    def completed(self) -> bool:
        return self.wf.is_completed()


def message_event(name: str, payload: dict) -> BpmnEvent:
    return BpmnEvent(MessageEventDefinition(name), payload=deepcopy(payload))


def message_starts() -> dict[str, list[str]]:
    """message name -> the diagram files a message start event of that name starts."""
    out: dict[str, list[str]] = {}
    for path in diagram_files():
        root = etree.parse(str(path)).getroot()
        names = {m.get("id"): m.get("name") for m in root.findall("bpmn:message", NS)}
        for start in root.iterfind(".//bpmn:process/bpmn:startEvent", NS):
            md = start.find("bpmn:messageEventDefinition", NS)
            if md is not None:
                out.setdefault(names[md.get("messageRef")], []).append(path.name)
    return out


class Router:
    """The service's message routing, in memory: advance a waiting instance of the case, else start."""

    def __init__(self, now):
        self.now = now
        self.instances: list[Instance] = []
        self.log: list[tuple[str, str, str]] = []     # (message, from file, "started x" / "delivered to x")
        self.starts = message_starts()
        self.case_notified: dict[str, set] = {}       # case -> agencies its messages went to

    def _share_notified(self) -> None:
        for i in self.instances:
            i.notified |= self.case_notified.get(i.case_id, set())

    def add(self, instance: Instance) -> Instance:
        self.instances.append(instance)
        return instance

    def of(self, file: str) -> list[Instance]:
        return [i for i in self.instances if i.file == file]

    def route(self) -> None:
        """Route until no message is pending."""
        while True:
            pending = [(i, s) for i in self.instances for s in i.take_sent()]
            if not pending:
                self._share_notified()
                return
            for source, msg in pending:
                case = msg.payload.get("case_id")
                if msg.name in RECIPIENT:
                    self.case_notified.setdefault(case, set()).add(RECIPIENT[msg.name])
                waiting = [i for i in self.instances if i is not source and not i.completed
                           and i.case_id == case and i.waits_for(msg.name, msg.payload)]
                if waiting:
                    for target in waiting:
                        target.deliver(msg.name, msg.payload)
                        self.log.append((msg.name, source.file, f"delivered to {target.file}"))
                    continue
                assert self.starts.get(msg.name), f"nobody receives {msg.name} (sent by {source.file})"
                for file in self.starts.get(msg.name, []):
                    self.add(Instance(file, self.now).start_on(msg.name, msg.payload))
                    self.log.append((msg.name, source.file, f"started {file}"))


# -- sample form data (valid against each form; tests override the keys gateways read) ------------------
CHILD = {"last_name": "Сериков", "first_name": "Алихан", "iin": None, "no_iin_reason": "unknown",
         "birth_date": "2015-04-12", "sex": "male"}
ADDRESS = {"region": "Карагандинская область", "locality": "Караганда", "street": "ул. Ерубаева", "house": "10",
           "apartment": "5"}
PERSON = {"full_name": "Ахметова Гульнара Сериковна", "position": "социальный педагог"}
TODAY = "2024-03-01"
NOW = "2024-03-01T10:00:00+05:00"

SAMPLES: dict[str, dict] = {
    "ack.schema.json": {"acknowledged": True, "acknowledged_by": "Иванов И. И., дежурный",
                        "already_in_work": False},
    "escalation.schema.json": {"escalation_action": "reminded", "escalation_comment": "Исполнителю напомнено."},
    "special-social-services.schema.json": {"services": ["social_psychological"], "provider": "Центр поддержки",
                                            "period_from": TODAY},
    "maladjustment-assessment.schema.json": {"cruel_treatment_confirmed": True, "social_maladjustment": True,
                                             "social_deprivation": False, "assessment_conclusion": "Дезадаптация.",
                                             "special_services_needed": True},
    "ch1-registration.schema.json": {"received_at": NOW, "detected_by": "education",
                                     "detection_context": "appeal_review", "channel": "oral_or_remote",
                                     "reporter": {"anonymous": False, "full_name": "Соседка"},
                                     "child": {"last_name": "Сериков", "first_name": "Алихан",
                                               "no_iin_reason": "unknown"},
                                     "event_place": "Караганда", "case_summary": "Соседи слышат крики ребёнка.",
                                     "offence_signs": True},
    "ch1-primary-info.schema.json": {"child": CHILD, "family_members": [
        {"last_name": "Серикова", "first_name": "Айгуль", "relation": "mother", "lives_with_child": True}],
        "address": ADDRESS, "general_description": "Семья из трёх человек.", "priority_agency": "education_org",
        "priority_reason": "Ребёнок учится в школе № 5.", "education_emergency": False,
        "offence_signs_found": False},
    "ch1-mio-assignment.schema.json": {"mio_specialist": PERSON, "priority_agency": "education_org",
                                       "assignment_note": "Организовать сопровождение."},
    "ch1-emergency-report.schema.json": {"emergency_report": {
        "organisation": "Школа № 5", "occurred_at": NOW, "incident_type": "physical_violence",
        "description": "Избиение ученика.", "measures_taken": "Вызваны родители.", "reported_by": PERSON}},
    "ch2-review.schema.json": {"facts_identified": "Следы побоев.", "measures_to_stop": "Беседа с родителями.",
                               "responsible": PERSON},
    "ch2-assessment.schema.json": {"situation_assessment": "Оценка.", "child_needs": "Поддержка.",
                                   "risk_level": "medium", "legal_education_done": True,
                                   "special_services_informed": True, "psychologist": PERSON},
    "ch2-housing-inspection.schema.json": {"inspection_act": {
        "inspected_on": TODAY, "address": ADDRESS,
        "commission": [{"full_name": "Ахметова Г. С.", "position": "социальный педагог", "agency": "education_org"},
                       {"full_name": "Омарова Д. К.", "position": "специалист", "agency": "education_authority"}],
        "housing": "own", "living_conditions": "Удовлетворительные.", "child_place": "Есть место для занятий.",
        "conclusion": "Условия удовлетворительные."}, "parental_rights_abuse": False},
    "ch2-parental-abuse-notice.schema.json": {"notice_number": "15-2/301", "notice_date": TODAY,
                                              "abuse_description": "Ребёнка не пускают в школу.", "signed_by": PERSON},
    "ch2-family-plan.schema.json": {"family_plan": {"measures": [
        {"measure": "home_visits", "details": "Еженедельно.", "responsible": "Ахметова Г. С.", "due_date": TODAY}],
        "review_date": TODAY}},
    "ch2-child-plan.schema.json": {"child_plan": {"measures": [
        {"measure": "consultations", "details": "Психолог.", "responsible": "Ахметова Г. С.", "due_date": TODAY}],
        "review_date": TODAY}},
    "ch2-involve-agencies.schema.json": {"involve_health": False, "involve_social_protection": False,
                                         "involve_note": "Консультация педиатра."},
    "ch2-support-report.schema.json": {"period_from": TODAY, "period_to": TODAY, "plan_progress": "Выполняется.",
                                       "prevention_activities": "Классный час.", "child_state": "Лучше."},
    "ch2-closure.schema.json": {"causes_removed": True, "basic_needs_met": True, "closure_decision": "close",
                                "closure_grounds": "Причины устранены."},
    "ch3-analysis.schema.json": {"family_analysis": "Семья на учёте не состояла.", "previous_cases": False},
    "ch3-referral.schema.json": {"refer_police": False, "refer_health": False, "refer_education": False,
                                 "referral_note": "Принять меры."},
    "ch3-decision.schema.json": {"meeting_date": TODAY, "decision_number": "12", "violation_established": True,
                                 "parents_failing_duties": True, "individual_prevention_work": True,
                                 "decision_text": "Предупредить родителей.", "directed_agencies": [],
                                 "direction_kind": "recommendation", "direction_text": "Провести беседу.",
                                 "direction_due_days": 5},
    "kdnzp-direction-report.schema.json": {"direction_answer": "Беседа проведена.",
                                           "answered_by": "Иванов И. И., инспектор"},
    "ch3-coordination.schema.json": {"services_plan": "Психолог центра.", "rehabilitation_measures": "Санаторий.",
                                     "social_services_needed": False},
    "ch3-monitoring.schema.json": {"measures_status": "Выполняются.", "child_needs_assessment": "Удовлетворены.",
                                   "child_in_centre": False, "monitoring_outcome": "close"},
    "ch3-centre-visit.schema.json": {"visit_date": TODAY, "centre_name": "Центр адаптации",
                                     "conditions_findings": "Нормальные.", "rights_violations_found": False},
    "ch4-review.schema.json": {"kui_number": "КУИ-123", "review_result": "Факт подтверждён.",
                               "offence_type": "none", "sexual_violence": False, "child_safe_at_home": True,
                               "documents_help_needed": False},
    "ch4-investigation.schema.json": {"erdr_number": "241234567890", "urgent_actions": "Осмотр места.",
                                      "child_attended_by": "psychologist", "lawyer_right_explained": True,
                                      "representative_absence_reason": "Интересы матери противоречат интересам.",
                                      "lawyer_petition": False},
    "ch4-placement.schema.json": {"decided_with": ["education_authority"], "child_age_years": 8,
                                  "placement_reason": "Отец в состоянии опьянения."},
    "ch4-prevention.schema.json": {"prevention_measures": "Беседа.", "legal_measures": ["protective_order"]},
    "ch4-notify.schema.json": {"parental_rights_petition_needed": False, "notify_note": "Сведения."},
    "ch4-petition.schema.json": {"petition_measure": "deprivation", "petition_grounds": "Систематическое насилие.",
                                 "petition_number": "7/1", "petition_date": TODAY},
    "ch4-documents-help.schema.json": {"documents_issue": "no_documents", "help_provided": "Консультация."},
    "ch4-closure.schema.json": {"outcome": "sent_to_court", "outcome_details": "Дело в суде."},
    "ch5-measures.schema.json": {"measures_taken": "Посещение семьи.", "threat_to_life_or_health": False,
                                 "removal_needed": False, "parental_rights_case": False},
    "ch5-removal.schema.json": {"removal_act": {"act_number": "1", "removed_at": NOW, "removed_from": "both_parents",
                                                "grounds": "Угроза жизни.", "participants": "Инспектор, педагог."}},
    "ch5-temporary-placement.schema.json": {"child_age_years": 8, "placement_organisation": "Центр",
                                            "placement_note": "Аллергия."},
    "ch5-court-materials.schema.json": {"petition_measure": "restriction", "materials": ["inspection_act"],
                                        "reasoned_conclusion": "Заключение.", "court_name": "Суд района",
                                        "court_application_date": TODAY},
    "ch5-court.schema.json": {"hearing_dates": [TODAY], "court_decision": "restricted", "decision_date": TODAY},
    "ch5-placement-control.schema.json": {"placement_form": "family", "living_conditions_check": "Нормально."},
    "ch5-additional-education.schema.json": {"activities": [{"activity_type": "sports", "organisation": "ДЮСШ"}]},
    "ch6-examination.schema.json": {"examined_at": NOW, "examiner": PERSON, "injuries_found": "Гематомы.",
                                    "violence_signs": True, "examination_conclusion": "Следы побоев."},
    "ch6-infant-admission.schema.json": {"admitted_at": NOW, "organisation": "Дом ребёнка",
                                         "admission_basis": "removal_threat", "health_state": "Удовлетворительное."},
    "ch6-medical-care.schema.json": {"care_type": "outpatient", "care_provided": "Перевязка.", "sop_followed": True,
                                     "special_services_needed": False},
    "ch8-admission.schema.json": {"admitted_at": NOW, "admission_basis": "police_delivery",
                                  "delivered_by": "Инспектор ОВД", "health_check_done": True},
    "ch8-conflict-help.schema.json": {"help_types": ["mediation"], "help_description": "Медиация."},
    "ch8-family-work.schema.json": {"family_work_plan": "Консультации."},
    "ch8-discharge.schema.json": {"discharged_at": NOW, "discharge_outcome": "returned_to_family"},
}


def sample(form_name: str) -> dict:
    assert form_name in SAMPLES, f"no sample data for {form_name}"
    return SAMPLES[form_name]


def notice_payload(**extra) -> dict:
    """A payload as a chapter's throw event builds it."""
    p = {"case_id": "case-1", "registration_number": "2024-000001", "received_at": NOW,
         "notified_by": "education_org", "notified_by_name": "Организация образования", "clause": "P8.4",
         "child": {"last_name": "Сериков", "first_name": "Алихан", "no_iin_reason": "unknown"},
         "case_summary": "Соседи слышат крики ребёнка.", "note": "Сведения."}
    p.update(extra)
    return p


STANDARD_PAYLOAD = ("case_id", "registration_number", "received_at", "notified_by", "notified_by_name", "clause",
                    "child", "case_summary")


def fresh() -> str:
    """The current instant in Almaty: deadlines counted from it lie in the future (no escalation)."""
    return datetime.now(timezone.utc).astimezone(ALMATY).isoformat()


def real_now() -> datetime:
    return datetime.now(timezone.utc)


def past_now() -> datetime:
    """Friday 1 March 2024, 10:00 in Almaty: deadlines counted from it have passed (timers fire)."""
    return datetime(2024, 3, 1, 5, 0, tzinfo=timezone.utc)
