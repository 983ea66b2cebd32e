"""Deploy refuses a correlation that could never match, naming the element (never a message that waits forever)."""
from pathlib import Path

import pytest

from app.engine import ModelInvalid, compile_process

INTAKE = (Path(__file__).resolve().parent.parent / "fixtures" / "bpmn" / "intake.bpmn").read_text(encoding="utf-8")
RETRIEVE_NOTIFY = """<bpmn:correlationPropertyRetrievalExpression messageRef="m_notify">
      <bpmn:formalExpression>report_no</bpmn:formalExpression>
    </bpmn:correlationPropertyRetrievalExpression>"""
KEY_REF = "<bpmn:correlationPropertyRef>report_no</bpmn:correlationPropertyRef>"
CHILD_PROPERTY = """<bpmn:correlationProperty id="child_iin" name="ИИН ребёнка">
    <bpmn:correlationPropertyRetrievalExpression messageRef="m_notify">
      <bpmn:formalExpression>child_iin</bpmn:formalExpression>
    </bpmn:correlationPropertyRetrievalExpression>
  </bpmn:correlationProperty>
  <bpmn:process id="intake\""""


def _problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ModelInvalid) as refused:
        compile_process(text.encode())
    return [(p.element_id, p.message) for p in refused.value.problems]


def test_the_intake_and_answer_diagrams_deploy():
    assert compile_process(INTAKE.encode()).process_id == "intake"


@pytest.mark.parametrize("expression, says", [
    ("/report/number", "syntax error"),                         # XPath, as some imported diagrams carry
    ("${report_no}", "syntax error"),                           # JUEL
    ("__import__('os').getcwd()", "starts with"),
    ("", "is empty"),
])
def test_a_retrieval_expression_the_sandbox_cannot_run_is_refused_naming_the_property(expression, says):
    text = INTAKE.replace(RETRIEVE_NOTIFY, RETRIEVE_NOTIFY.replace(">report_no<", f">{expression}<"))
    ((element, message),) = _problems(text)
    assert element == "report_no" and "'notify'" in message and says in message


def test_a_key_naming_an_undeclared_property_is_refused_naming_the_key():
    ((element, message),) = _problems(INTAKE.replace(KEY_REF, KEY_REF + KEY_REF.replace("report_no", "report_nr")))
    assert element == "report_key" and "'report_nr'" in message and "not declared" in message


def test_a_property_without_retrieval_for_a_message_of_its_key_is_refused_naming_the_property():
    text = INTAKE.replace('<bpmn:process id="intake"', CHILD_PROPERTY).replace(
        KEY_REF, KEY_REF + KEY_REF.replace("report_no", "child_iin"))
    ((element, message),) = _problems(text)
    assert element == "child_iin" and "'reply'" in message and "could never match" in message


def test_a_property_with_no_retrieval_at_all_or_for_an_undeclared_message_is_refused():
    bare = INTAKE.replace('<bpmn:process id="intake"', '<bpmn:correlationProperty id="orphan"/>\n  '
                                                      '<bpmn:process id="intake"')
    ((element, message),) = _problems(bare)
    assert element == "orphan" and "correlationPropertyRetrievalExpression" in message     # the BPMN schema's words

    unknown = INTAKE.replace('messageRef="m_notify">\n      <bpmn:formalExpression>',
                             'messageRef="m_notice">\n      <bpmn:formalExpression>', 1)
    assert ("report_no", "a retrieval expression refers to message 'm_notice', which is not declared "
                         "(bpmn:message)") in _problems(unknown)


def test_a_process_variable_correlation_is_checked_like_a_retrieval_expression():
    variable = ('<spiffworkflow:messageVariable>answer</spiffworkflow:messageVariable>\n'
                '          <spiffworkflow:processVariableCorrelation><spiffworkflow:propertyId>{pid}'
                '</spiffworkflow:propertyId><spiffworkflow:expression>{expr}</spiffworkflow:expression>'
                '</spiffworkflow:processVariableCorrelation>')
    plain = '<spiffworkflow:messageVariable>answer</spiffworkflow:messageVariable>'
    assert compile_process(INTAKE.replace(plain, variable.format(pid="report_no", expr="report_no")).encode())
    problems = _problems(INTAKE.replace(plain, variable.format(pid="report_nr", expr="open('x')")))
    assert [element for element, _ in problems] == ["wait_reply", "wait_reply"]
    assert "'report_nr', which is not declared" in problems[0][1] and "open is not allowed" in problems[1][1]
