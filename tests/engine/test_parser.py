"""Uploaded diagrams are hostile input: refused quickly, precisely, without reading anything."""
import time
from pathlib import Path

import pytest

from app.engine import ModelInvalid, compile_process

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bpmn"
REPORTER = (FIXTURES / "reporter.bpmn").read_text()


def _refusal(xml) -> list:
    with pytest.raises(ModelInvalid) as caught:
        compile_process(xml.encode() if isinstance(xml, str) else xml)
    return caught.value.problems


def test_the_fixture_compiles_with_elements_lanes_and_clauses():
    compiled = compile_process(REPORTER.encode())
    assert compiled.process_id == "reporter"
    assert compiled.lanes == [("lane_police", "Органы внутренних дел (ОВД)")]
    report = next(e for e in compiled.elements if e.id == "report")
    assert (report.form, report.clauses, report.lane) == ("fixture-report.json", ["P4.a"], "Органы внутренних дел (ОВД)")
    deadline = next(e for e in compiled.elements if e.id == "deadline")
    assert deadline.attached_to == "report" and deadline.timer == "add_hours(received_at, 1)"
    assert compiled.forms == {"fixture-report.json", "fixture-ack.json"}


def test_billion_laughs_is_refused_fast():
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(10)) + \
        ']><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol9;</bpmn:definitions>'
    started = time.perf_counter()
    problems = _refusal(bomb)
    assert time.perf_counter() - started < 0.5
    assert "DTD" in problems[0].message


def test_external_dtd_without_doctype_keyword_case_is_refused():
    problems = _refusal('<?xml version="1.0"?>\n<!doctype d SYSTEM "http://example.invalid/x.dtd"><d/>')
    assert "DTD" in problems[0].message


def test_huge_file_is_refused_before_parsing():
    problems = _refusal(b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>")
    assert "larger than" in problems[0].message


def test_deep_nesting_is_refused():
    problems = _refusal("<a>" * 200 + "</a>" * 200)
    assert "deeper" in problems[0].message or "well-formed" in problems[0].message


def test_missing_target_namespace_is_refused():
    problems = _refusal(REPORTER.replace(' targetNamespace="http://qamqor.kz/bpmn"', ""))
    assert "targetNamespace" in problems[0].message


def test_no_or_several_executable_processes_are_refused():
    assert "no executable process" in _refusal(REPORTER.replace('isExecutable="true"', 'isExecutable="false"'))[0].message
    twice = REPORTER.replace("</bpmn:definitions>", '<bpmn:process id="other" isExecutable="true"/></bpmn:definitions>')
    assert "exactly one" in _refusal(twice)[0].message


def test_reserved_ids_are_named():
    problems = _refusal(REPORTER.replace('"esc_end"', '"End"'))
    assert [p.element_id for p in problems] == ["End"]


def test_dangling_references_and_empty_timers_name_their_element():
    call = REPORTER.replace('<bpmn:endEvent id="esc_end"/>',
                            '<bpmn:callActivity id="call_missing" calledElement="nope"/><bpmn:endEvent id="esc_end"/>')
    assert [(p.element_id, "nope" in p.message) for p in _refusal(call)] == [("call_missing", True)]
    undeclared = REPORTER.replace('messageRef="m_notified"', 'messageRef="m_missing"')
    assert [(p.element_id, "not declared" in p.message) for p in _refusal(undeclared)] == [("notify", True)]
    empty_timer = REPORTER.replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">add_hours(received_at, 1)</bpmn:timeDate>', '<bpmn:timeDate/>')
    assert [(p.element_id, "no expression" in p.message) for p in _refusal(empty_timer)] == [("deadline", True)]
