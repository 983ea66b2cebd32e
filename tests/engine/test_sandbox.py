"""Diagram code runs restricted: refused statically, stopped when it runs too long."""
import pytest

from app.engine.sandbox import SandboxEnvironment, ScriptRefused, ScriptTimeout, check_source

HOSTILE = {
    "__import__('os').system('id')": "__import__",
    "open('/etc/passwd').read()": "open",
    "().__class__.__base__.__subclasses__()": "__class__",
    "import os": "import",
    "from subprocess import run": "import",
    "getattr(data, 'x')": "getattr",
    "eval('1')": "Eval",
    "[c for c in ().__class__.__mro__]": "__mro__",
}


@pytest.mark.parametrize("source,word", HOSTILE.items())
def test_hostile_code_is_refused_with_its_reason(source, word):
    reason = check_source(source, "exec")
    assert reason is not None and word in reason


def test_plain_code_passes_the_static_check():
    assert check_source("x = [i * 2 for i in range(3)]\ny = {'a': x}", "exec") is None
    assert check_source("offence_signs == True and age < 4", "eval") is None


def test_scripts_read_and_write_task_data_and_call_injected_functions():
    env = SandboxEnvironment({"double": lambda v: v * 2})
    data = {"n": 4, "items": [1, 2]}
    env.execute("m = double(n)\nitems.append(3)\ntotal = sum(items)\nd = {'k': 1}\nd['j'] = 2\nm += 1", data)
    assert data == {"n": 4, "items": [1, 2, 3], "total": 6, "d": {"k": 1, "j": 2}, "m": 9}
    assert "double" not in data and not any(k.startswith("_") for k in data)
    assert env.evaluate("m > 8 and d['j'] == 2", data) is True


def test_an_infinite_loop_is_stopped_at_the_time_limit():
    env = SandboxEnvironment(time_limit_s=0.2)
    with pytest.raises(ScriptTimeout, match="longer than 0.2 s"):
        env.execute("while True:\n    pass", {})


def test_refused_code_raises_at_run_time_too():
    with pytest.raises(ScriptRefused):
        SandboxEnvironment().execute("__import__('os')", {})
    with pytest.raises(ValueError, match="range"):
        SandboxEnvironment().execute("x = list(range(10**9))", {})
