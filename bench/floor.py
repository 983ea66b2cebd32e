"""SpiffWorkflow's own cost of the step the service performs: completing the `report` user task of
the fixture `reporter` process (a user task with a deadline timer, then a message end event).

Measured three ways, in the calling benchmark's run so that ratios compare like with like:
in memory; with SpiffWorkflow's own serializer (deserialize, step, serialize — the spec travels
inside the JSON, as SpiffWorkflow does by default); and through the service's Runner (the spec
kept apart, our sandbox), still without database or HTTP.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from ._support import FIXTURES

# received now, so that the one-hour deadline timer is not already due (a fixed date made the step escalate instead
# of completing once that date had passed)
DATA = {"received_at": datetime.now(timezone.utc).isoformat(), "case_id": "c", "registration_number": "2026-000001"}
SUBMIT = {"summary": "синяки на руках"}


def _spiff():
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
    from SpiffWorkflow.spiff.parser import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
    from SpiffWorkflow.util.task import TaskState

    from app.calendar import default_calendar, timer_functions
    parser = SpiffBpmnParser()
    parser.add_bpmn_str((FIXTURES / "bpmn" / "reporter.bpmn").read_bytes())
    spec, subs = parser.get_spec("reporter"), parser.get_subprocess_specs("reporter")
    functions = timer_functions(default_calendar(), 1.0)
    engine = PythonScriptEngine(environment=TaskDataEnvironment(dict(functions)))
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def fresh():
        wf = BpmnWorkflow(spec, subs, script_engine=engine)
        wf.task_tree.data.update(DATA)
        wf.do_engine_steps()
        return wf

    def step(wf):
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update(SUBMIT)
        task.run()
        wf.do_engine_steps()
        assert wf.is_completed()
    return fresh, step, serializer, engine


def measure(n: int = 400) -> dict[str, float]:
    """Seconds per completion: spiff_memory, spiff_serialized, runner."""
    fresh, step, serializer, engine = _spiff()
    out = {}
    workflows = [fresh() for _ in range(n)]
    t0 = time.perf_counter()
    for wf in workflows:
        step(wf)
    out["spiff_memory"] = (time.perf_counter() - t0) / n

    state = serializer.serialize_json(fresh())
    t0 = time.perf_counter()
    for _ in range(n):
        wf = serializer.deserialize_json(state)
        wf.script_engine = engine
        step(wf)
        serializer.serialize_json(wf)
    out["spiff_serialized"] = (time.perf_counter() - t0) / n

    from app.calendar import default_calendar, timer_functions
    from app.engine import clock, compile_process
    from app.engine.runtime import Runner
    compiled = compile_process((FIXTURES / "bpmn" / "reporter.bpmn").read_bytes())
    calendar = default_calendar()
    runner = Runner(compiled.spec, compiled.subprocess_specs, lambda: timer_functions(calendar, 1.0, now=clock.now))
    started = runner.start(DATA)
    task_id = started.ready_tasks[0].task_id
    t0 = time.perf_counter()
    for _ in range(n):
        runner.complete(started.state, task_id, SUBMIT)
    out["runner"] = (time.perf_counter() - t0) / n
    return out


def rows(floor: dict[str, float], prefix: str = "") -> list[dict]:
    return [
        {"name": f"{prefix}SpiffWorkflow step in memory", "value": round(floor["spiff_memory"] * 1000, 3), "unit": "ms",
         "note": "complete `report`, run engine steps to the message end"},
        {"name": f"{prefix}SpiffWorkflow step with deserialize + serialize", "value": round(floor["spiff_serialized"] * 1000, 3),
         "unit": "ms", "note": "the floor: SpiffWorkflow's own serializer, spec inside the JSON"},
        {"name": f"{prefix}service Runner.complete (no DB, no HTTP)", "value": round(floor["runner"] * 1000, 3), "unit": "ms",
         "note": "spec kept apart, sandboxed scripts, step events diffed"},
    ]
