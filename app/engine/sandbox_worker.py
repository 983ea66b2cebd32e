"""A sandbox process: runs diagram code sent by the service and sends back what it left.

Started by ``sandbox_pool`` as ``python -I app/engine/sandbox_worker.py`` with an empty
environment (no secrets to read) and its stdin/stdout as the pipe. It loads only
``restricted`` and ``wire`` (not the service, not SpiffWorkflow), then serves requests one at
a time:

* ``("run", mode, source, context, external, function_names, seconds, megabytes)``: before
  running, the address space is capped at what the process holds plus ``megabytes``, and
  CPU time at what it used so far plus the limit; a Python-level overrun stops at the line
  tracer, anything else (one huge C-level operation) is killed by the service or the kernel.
* While the code runs, a call of an engine function (``add_working_days``...) is sent to the
  service as ``("call", name, args, kwargs)`` and answered with ``("ret", ok, value)``: the
  functions and the engine clock stay in the service, so results are the same as in process.
* The answer is ``("done", value, context)`` or ``("fail", class name, args)``. After a
  MemoryError the process exits: the service starts a fresh one.
"""
from __future__ import annotations

import math
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import restricted  # noqa: E402  (loaded on its own: see above)
import wire  # noqa: E402

NOBODY = 65534
_KNOWN = {"ScriptRefused": restricted.ScriptRefused, "ScriptTimeout": restricted.ScriptTimeout,
          "ScriptOutOfMemory": restricted.ScriptOutOfMemory}


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


class _Caller:
    """An engine function as diagram code sees it: a call answered by the service."""

    def __init__(self, name: str, fds: tuple[int, int]):
        self.name, self.fds = name, fds

    def __call__(self, *args, **kwargs):
        wire.send(self.fds[1], ("call", self.name, args, kwargs))
        ok, value = wire.receive(self.fds[0])
        if ok:
            return value
        raise wire.rebuild(*value, _KNOWN, RuntimeError)


def _limit(seconds: float, megabytes: int) -> None:
    # The budget is on top of what the process holds now (the interpreter and this request's data).
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + megabytes * 1024 * 1024, hard))
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(spent + seconds) + 1, hard))


def _run(request, fds):
    _, mode, source, context, external, function_names, seconds, megabytes = request
    code = restricted.compile_code(source, mode)
    functions = {name: _Caller(name, fds) for name in function_names}
    names = restricted.scope(functions, external, context)
    _limit(seconds, megabytes)
    deadline = restricted.Deadline(seconds)
    if mode == "eval":
        return deadline.run(lambda: eval(code, names)), None
    deadline.run(lambda: exec(code, names))
    return True, restricted.kept_after_exec(names, set(functions) | set(external or {}))


def _unlimit() -> None:
    """Between requests the address space is free again, so that the next task data can arrive."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def serve(fds: tuple[int, int]) -> None:
    while True:
        try:
            request = wire.receive(fds[0])
        except wire.Closed:
            return
        try:
            value, context = _run(request, fds)
            answer = ("done", value, context)
            wire.send(fds[1], answer)
        except MemoryError:
            _unlimit()
            wire.send(fds[1], ("fail", "ScriptOutOfMemory", ()))
            return                                       # a fresh process is cheaper than a fragmented one
        except wire.Closed:
            return
        except Exception as exc:                         # the script's own error (or data nested too deep)
            wire.send(fds[1], ("fail", *wire.describe(exc)))
        finally:
            _unlimit()


def _drop_privileges() -> None:
    """Run as nobody when started by root: code that escaped RestrictedPython could otherwise read the
    service's own files and /proc/<service>/environ (its secrets)."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def main() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _drop_privileges()
    fds = (os.dup(0), os.dup(1))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):                                    # nothing a script does can write to the pipe
        os.dup2(devnull, fd)
    serve(fds)


if __name__ == "__main__":
    main()
