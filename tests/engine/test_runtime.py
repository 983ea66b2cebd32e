"""Steps on real diagrams, with the instance saved and restored between every step."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.calendar import default_calendar, timer_functions
from app.engine import OutgoingMessage, Runner, clock, compile_process, spec_from_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bpmn"
RECEIVED = "2026-12-01T09:00:00+05:00"


def _runner(name: str) -> Runner:
    compiled = compile_process((FIXTURES / f"{name}.bpmn").read_bytes())
    spec, subs = spec_from_json(compiled.spec_json)           # as the registry restores it
    calendar = default_calendar()
    return Runner(spec, subs, lambda: timer_functions(calendar, 1.0, now=clock.now))


def test_user_task_deadline_and_message_survive_save_and_restore():
    runner = _runner("reporter")
    started = runner.start({"received_at": RECEIVED, "case_id": "c-1"})
    assert [e.type for e in started.events] == ["instance_started", "activity_completed", "task_ready"]
    (task,) = started.ready_tasks
    assert task.bpmn_id == "report" and task.lane == "Органы внутренних дел (ОВД)"
    assert task.properties["formJsonSchemaFilename"] == "fixture-report.json"
    assert task.due_at == datetime(2026, 12, 1, 5, 0, tzinfo=timezone.utc)
    assert started.next_timer_at == task.due_at and started.status == "running"

    early = runner.fire_timers(started.state, at=task.due_at - timedelta(seconds=1))
    assert [e.type for e in early.events] == []
    late = runner.fire_timers(early.state, at=task.due_at + timedelta(seconds=1))
    assert [e.type for e in late.events] == ["timer_fired", "overdue", "task_ready"]
    assert {t.bpmn_id for t in late.ready_tasks} == {"report", "escalate"}
    assert late.next_timer_at is None

    done = runner.complete(late.state, task.task_id, {"summary": "синяки"})
    assert done.events[0].type == "task_completed" and done.events[0].data == {"summary": "синяки"}
    assert [(m.name, m.payload["case_id"], m.payload["summary_len"]) for m in done.outgoing] == [
        ("case_notified", "c-1", 6)]
    assert done.data["summary"] == "синяки" and done.status == "running"       # the escalation still waits
    assert runner.describe(done.state).state_hash == done.state_hash


def test_message_start_and_intermediate_catch():
    receiver = _runner("receiver")
    result = receiver.start({"case_id": "c-2"}, message=OutgoingMessage("case_notified", {"case_id": "c-2", "x": 1}))
    assert [t.bpmn_id for t in result.ready_tasks] == ["ack"]
    assert result.ready_tasks[0].data["msg"] == {"case_id": "c-2", "x": 1}

    waiter = _runner("waiter")
    waiting = waiter.start({"case_id": "c-3"})
    assert waiting.status == "waiting" and waiting.waiting_messages == ["reply"]
    assert waiter.deliver(waiting.state, OutgoingMessage("other", {})) is None
    got = waiter.deliver(waiting.state, OutgoingMessage("reply", {"ok": True}))
    assert [e.type for e in got.events] == ["message_received", "task_ready"]
    assert got.data["reply"] == {"ok": True}


def test_a_failing_script_is_an_incident_not_an_exception():
    runner = _runner("scripted")
    started = runner.start({"case_id": "c-4"})
    result = runner.complete(started.state, started.ready_tasks[0].task_id, {"summary": "abc"})
    assert result.status == "error" and "calc" in result.error and "division by zero" in result.error
    assert result.events[-1].type == "incident" and result.data["summary"] == "abc"
