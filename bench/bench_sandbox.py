"""What running diagram code in sandbox processes costs a step, through the engine alone.

Each round starts an instance of a test fixture and completes its user task (two engine steps,
the state saved and restored in between, as the service does). ``reporter`` evaluates a timer
expression and a message payload; ``scripted`` evaluates a gateway condition and runs a script
task, which always goes to a sandbox process. No database, no HTTP: only the engine's share.

    .venv/bin/python -m bench sandbox
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from app.calendar import default_calendar, timer_functions
from app.engine import Runner, clock, compile_process, spec_from_json

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "bpmn"
ROUNDS = 200


def _runner(name: str) -> Runner:
    spec, subs = spec_from_json(compile_process((FIXTURES / f"{name}.bpmn").read_bytes()).spec_json)
    calendar = default_calendar()
    return Runner(spec, subs, lambda: timer_functions(calendar, 1.0, now=clock.now))


def _round(runner: Runner, data: dict, form: dict) -> float:
    began = time.perf_counter()
    started = runner.start(data)
    done = runner.complete(started.state, started.ready_tasks[0].task_id, form)
    assert done.status in ("running", "waiting", "completed"), done.error
    return time.perf_counter() - began


def measure(rounds: int = ROUNDS) -> dict[str, float]:
    cases = {"reporter": ({"received_at": "2026-12-01T09:00:00+05:00", "case_id": "c-1"}, {"summary": "синяки"}),
             "scripted": ({"x": 1}, {"summary": "abcd"})}
    out = {}
    for name, (data, form) in cases.items():
        runner = _runner(name)
        for _ in range(10):                                   # warm the caches and the sandbox pool
            _round(runner, data, form)
        out[name] = statistics.median(_round(runner, data, form) for _ in range(rounds))
    return out


def run() -> list[dict]:
    return [{"name": f"start + complete, {name} fixture (median of {ROUNDS})", "value": round(s * 1000, 3),
             "unit": "ms", "note": "engine only, state saved and restored between the two steps"}
            for name, s in measure().items()]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: {row['value']} {row['unit']}")
