"""The intake/answer diagrams deliver each reply to its own intake in SpiffWorkflow alone, and the service's
engine (sandboxed scripts, state saved and restored between steps, keys matched on stored data) decides alike."""
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from app.engine import OutgoingMessage, Runner, compile_process, spec_from_json
from app.engine.correlation import matches

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bpmn"
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


# -- SpiffWorkflow alone ---------------------------------------------------------------------------------------
def _spiff(name: str) -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(FIXTURES / f"{name}.bpmn"))
    return BpmnWorkflow(parser.get_spec(name), parser.get_subprocess_specs(name))


def _restored(wf: BpmnWorkflow) -> BpmnWorkflow:
    return SERIALIZER.deserialize_json(SERIALIZER.serialize_json(wf))


def _complete(wf: BpmnWorkflow, data: dict) -> BpmnWorkflow:
    (task,) = wf.get_tasks(state=TaskState.READY, manual=True)
    task.data.update(data)
    task.run()
    wf.do_engine_steps()
    return _restored(wf)


def test_spiffworkflow_alone_delivers_each_reply_to_its_own_intake():
    intakes, notices = {}, {}
    for report_no in ("R-1", "R-2"):
        wf = _spiff("intake")
        wf.do_engine_steps()
        wf = _complete(wf, {"report_no": report_no, "summary": "синяки"})
        (notices[report_no],) = wf.get_events()
        assert notices[report_no].correlations == {"report": {"report_no": report_no}}
        intakes[report_no] = _restored(wf)

    answer = _spiff("answer")
    answer.do_engine_steps()
    answer.catch(notices["R-2"])
    answer.do_engine_steps()
    answer = _complete(_restored(answer), {"note": "ответ"})
    (reply,) = answer.get_events()
    assert reply.payload == {"report_no": "R-2", "note": "ответ"}

    assert not intakes["R-1"].get_tasks(state=TaskState.WAITING, catches_event=reply)
    assert intakes["R-2"].get_tasks(state=TaskState.WAITING, catches_event=reply)
    intakes["R-2"].catch(reply)
    intakes["R-2"].do_engine_steps()
    (read,) = intakes["R-2"].get_tasks(state=TaskState.READY, manual=True)
    assert read.task_spec.bpmn_id == "read_reply" and read.data["answer"]["note"] == "ответ"


# -- the service's engine --------------------------------------------------------------------------------------
def _runner(name: str) -> Runner:
    compiled = compile_process((FIXTURES / f"{name}.bpmn").read_bytes())
    spec, subs = spec_from_json(compiled.spec_json)
    return Runner(spec, subs, lambda: {})


def test_the_service_engine_decides_as_spiffworkflow_does():
    intake, answer = _runner("intake"), _runner("answer")
    waiting, notices = {}, {}
    for report_no in ("R-1", "R-2"):
        started = intake.start({"case_id": "c-1"})
        (task,) = started.ready_tasks
        step = intake.complete(started.state, task.task_id, {"report_no": report_no, "summary": "синяки"})
        (notices[report_no],) = step.outgoing
        assert notices[report_no].correlations == {"report": {"report_no": report_no}}
        assert step.waiting_correlations == {"reply": [{"report": {"report_no": report_no}}]}
        waiting[report_no] = step

    started = answer.start({"case_id": "c-1"}, message=notices["R-2"])
    (respond,) = started.ready_tasks
    assert started.waiting_correlations == {}
    (reply,) = answer.complete(started.state, respond.task_id, {"note": "ответ"}).outgoing
    assert reply.correlations == {"report": {"report_no": "R-2"}}

    # what the worker decides on stored rows is what the engine decides on the loaded workflow
    for report_no, step in waiting.items():
        stored = step.waiting_correlations["reply"]
        delivered = intake.deliver(step.state, reply)
        assert matches(reply.correlations, stored) is (report_no == "R-2") is (delivered is not None)
    got = intake.deliver(waiting["R-2"].state, reply)
    assert got.data["answer"]["note"] == "ответ" and [t.bpmn_id for t in got.ready_tasks] == ["read_reply"]


def test_a_message_without_keys_is_correlated_by_the_receivers_retrieval_expressions():
    intake = _runner("intake")
    started = intake.start({"case_id": "c-1"})
    step = intake.complete(started.state, started.ready_tasks[0].task_id, {"report_no": "R-1", "summary": "синяки"})
    assert intake.deliver(step.state, OutgoingMessage("reply", {"report_no": "R-9"})) is None
    assert intake.deliver(step.state, OutgoingMessage("reply", {"note": "без номера"})) is None
    assert intake.deliver(step.state, OutgoingMessage("reply", {"report_no": "R-1"})) is not None
