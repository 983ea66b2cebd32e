"""Issue 12: the notices the Guide requires cannot be skipped by a missing tick, and every diagram draws
the agencies it notifies.

A duty (processes/guide.yaml ``inform_duties``) is gated by a conditional flow when, without that flow,
its sending element can no longer be reached from a start event. Such a gate may read only facts —
who reported, what was found, who already heard of the case (the service's ``case_notified_agencies``)
— never a choice staff make in a form.
"""
from __future__ import annotations

import ast

import pytest
import yaml

import process_harness as h
from app.agencies import agency_for_lane

NS = h.NS
FACTS = {
    "case_notified_agencies": "the agencies the case's messages already went to (the service adds it)",
    "reporting_agency": "who received the report (the service sets it at the start)",
    "already_in_work": "a repeated notice of a case this agency already works on: that instance does the duty",
    "offence_signs": "P4.c: the Guide's own condition for telling the police",
    "offence_signs_found": "P4.c: the same, found while writing the primary information",
    "violence_signs": "P13.1: the examination found signs of violence",
    "removal_needed": "P12.2: the prosecutor is told of a removal",
    "child_safe_at_home": "P11.7: a delivery happens only when the child cannot stay at home",
    "child_age_years": "P11.7/P12.3: which organisation takes the child (when no birth date is known)",
    "child": "P13.4: the child's birth date or ИИН decide which organisation takes the child",
    "child_age": "the service's function reading that birth date",
    "now": "the engine's clock",
    "offence_type": "P11.5: an investigation branch that rejoins before the duty",
    "directed_agencies": "P10.1, P10.4: the agencies КДНЗП's decision names; every one named is sent to",
    "to_agency": "the addressee a КДНЗП direction names",
}


@pytest.fixture(scope="module")
def guide():
    return yaml.safe_load((h.PROCESSES / "guide.yaml").read_text(encoding="utf-8"))


def _graph(root):
    proc = root.find("bpmn:process", NS)
    flows = [(f.get("id"), f.get("sourceRef"), f.get("targetRef"), f.find("bpmn:conditionExpression", NS))
             for f in proc.iterfind("bpmn:sequenceFlow", NS)]
    starts = [e.get("id") for e in proc.iterfind("bpmn:startEvent", NS)]
    return flows, starts


def _reachable(flows, starts, without=None) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        n = todo.pop()
        for fid, src, tgt, _ in flows:
            if src == n and fid != without and tgt not in seen:
                seen.add(tgt)
                todo.append(tgt)
    return seen


def _names(expr: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(expr.strip(), mode="eval")) if isinstance(n, ast.Name)}


def test_every_inform_duty_is_listed_and_sent(guide, diagrams):
    duties = guide["inform_duties"]
    clauses = {d["clause"] for d in duties}
    assert {"P4.c", "P5", "P8.4", "P13.3", "P14.1", "P12.2", "P12.6", "P12.7", "P11.7"} <= clauses
    for d in duties:
        root = diagrams[next(f for f, r in diagrams.items()
                             if r.find("bpmn:process", NS).get("id") == d["process"])]
        assert root.find(f".//*[@id='{d['element']}']", NS) is not None, d


def test_no_inform_duty_sits_behind_an_optional_choice(guide, diagrams):
    by_process = {r.find("bpmn:process", NS).get("id"): r for r in diagrams.values()}
    problems = []
    for d in guide["inform_duties"]:
        flows, starts = _graph(by_process[d["process"]])
        for fid, _src, _tgt, cond in flows:
            if cond is None or d["element"] in _reachable(flows, starts, without=fid):
                continue
            choices = _names(cond.text) - set(FACTS)
            if choices:
                problems.append(f"{d['process']}.{d['element']} ({d['clause']}) depends on {sorted(choices)} "
                                f"at {fid}")
    assert not problems, "\n".join(problems)


def test_chapter_2_6_7_have_no_task_asking_who_to_inform(diagrams):
    for file in ("ch2-education.bpmn", "ch6-health.bpmn", "ch7-social-protection.bpmn"):
        ids = {t.get("id") for t in diagrams[file].iterfind(".//bpmn:userTask", NS)}
        assert "inform_agencies" not in ids, file


def test_no_form_asks_staff_whom_to_inform():
    """The ticks chapters 2, 4, 6 and 7 once had (inform_police, inform_kdnzp, inform_guardianship) are gone from
    every form: who is told follows from the case's facts (the duties above), never from a box left unticked."""
    import json
    ticks = {f"{form.name}:{name}" for form in sorted((h.ROOT / "forms").glob("*.schema.json"))
             for name in (json.loads(form.read_text(encoding="utf-8")).get("properties") or {})
             if name.startswith("inform_")}
    assert not ticks


def test_every_diagrams_messages_have_their_participants_drawn(guide, diagrams):
    """Each message a diagram sends or receives names an agency, and guide.yaml's senders and receivers lie
    in lanes of agencies: the notification is visible on the drawing of both sides."""
    to = {}
    for m in guide["messages"]:
        for r in m["received_by"]:
            to.setdefault(m["name"], set()).add(agency_for_lane(r["lane"]) or r["lane"])
        for s in m["sent_by"]:
            assert s["lane"], (m["name"], s)
    for file, root in diagrams.items():
        names = {m.get("id"): m.get("name") for m in root.findall("bpmn:message", NS)}
        for md in root.iter("{%s}messageEventDefinition" % NS["bpmn"]):
            assert names[md.get("messageRef")] in to, (file, md.getparent().get("id"))


def test_the_check_catches_a_duty_behind_a_tick():
    from lxml import etree
    xml = f"""<bpmn:definitions xmlns:bpmn="{NS['bpmn']}"><bpmn:process id="p">
      <bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:intermediateThrowEvent id="t"/>
      <bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
      <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="t"><bpmn:conditionExpression>inform_police == True
      </bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e"/><bpmn:sequenceFlow id="f4" sourceRef="t" targetRef="e"/>
    </bpmn:process></bpmn:definitions>"""
    flows, starts = _graph(etree.fromstring(xml.encode()))
    gates = [c.text for fid, _s, _t, c in flows if c is not None and "t" not in _reachable(flows, starts, fid)]
    assert [_names(g) - set(FACTS) for g in gates] == [{"inform_police"}]
