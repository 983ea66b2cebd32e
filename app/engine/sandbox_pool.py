"""Warm sandbox processes that run diagram code under limits the operating system enforces.

Why processes: a line tracer cannot stop one long C-level operation (``7 ** (3*10**7)`` held the
web process for 47 s) and nothing in process caps memory (``'a'*10**10`` took 10 GB). Here the
code runs in a separate process whose address space and CPU time the kernel caps
(``sandbox_worker.py``), while the service waits for the answer with a wall-clock deadline and
kills the process when it passes. A killed process is replaced in the background, so the next
step finds a warm one: a normal step pays one pipe round trip, not a process start.

The engine functions (``add_working_days``...) stay here: the sandbox calls back for them, each
call answered only while the deadline has not passed, and their own arguments are bounded.
"""
from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from . import wire
from .restricted import ScriptOutOfMemory, ScriptRefused, ScriptStopped, ScriptTimeout

WORKER = Path(__file__).with_name("sandbox_worker.py")
GRACE_S = 0.25           # past the limit, the tracer had its chance: the process is killed
SIZE = max(4, 2 * (os.cpu_count() or 2))   # started on demand; two hostile scripts must not hold them all


class ScriptFailed(Exception):
    """Diagram code raised an exception that is not one of Python's plain ones."""


_KNOWN = {"ScriptRefused": ScriptRefused, "ScriptTimeout": ScriptTimeout}


class _Process:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-I", str(WORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={}, cwd="/",
                                     close_fds=True)
        self.to, self.fro = self.proc.stdin.fileno(), self.proc.stdout.fileno()

    def kill(self) -> int:
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return code


class Pool:
    """Up to ``size`` sandbox processes, each serving one request at a time."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._idle: list[_Process] = []
        self._count = 0
        self._cond = threading.Condition()

    def run(self, mode: str, source: str, context: Mapping[str, Any], external: Mapping[str, Any] | None,
            functions: Mapping[str, Callable], *, seconds: float, megabytes: int) -> tuple[Any, dict | None]:
        """Run ``source`` in a sandbox process; (value, task data after a script) or the script's exception."""
        request = wire.frame(("run", mode, source, dict(context), dict(external or {}),
                              sorted(k for k, v in functions.items() if callable(v)), seconds, megabytes))
        for attempt in (1, 2):
            process = self._take()
            try:
                wire.write(process.to, request)
            except wire.Closed:                   # it died idle (killed from outside): try a fresh one
                self._discard(process)
                if attempt == 2:
                    raise ScriptStopped("the sandbox process could not be reached") from None
                continue
            try:
                answer = self._exchange(process, functions, seconds, megabytes)
            except BaseException:
                self._discard(process)
                raise
            if answer[0] == "done":
                self._give(process)
                return answer[1], answer[2]
            if answer[1] == "ScriptOutOfMemory":          # the process exits after a MemoryError
                self._discard(process)
                raise ScriptOutOfMemory(megabytes)
            self._give(process)
            raise wire.rebuild(answer[1], answer[2], _KNOWN, ScriptFailed)
        raise AssertionError("unreachable")

    def _exchange(self, process: _Process, functions, seconds: float, megabytes: int) -> tuple:
        """The process's last word, ("done", value, data) or ("fail", class name, args); whatever
        else happens (overrun, death, garbage on the pipe) raises, and the process is not reused."""
        limit_s = time.monotonic() + seconds
        deadline = limit_s + GRACE_S
        while True:
            try:
                message = wire.receive(process.fro, deadline=deadline, limit=megabytes * 1024 * 1024)
            except wire.Late:
                raise ScriptTimeout(seconds) from None
            except wire.TooLarge:
                raise ScriptOutOfMemory(megabytes) from None
            except wire.Closed:
                code = process.kill()
                if code == -signal.SIGXCPU:
                    raise ScriptTimeout(seconds) from None
                raise ScriptStopped("diagram code stopped its sandbox process") from None
            except Exception:                          # a forged or broken frame
                raise ScriptStopped("the sandbox process sent what may not cross to the service") from None
            kind = message[0] if isinstance(message, tuple) and message else None
            if kind == "done" and len(message) == 3:
                if time.monotonic() > limit_s:              # one C-level operation the tracer never saw end
                    return "fail", "ScriptTimeout", ScriptTimeout(seconds).args
                return message
            if kind == "fail" and len(message) == 3 and isinstance(message[1], str) and isinstance(message[2], tuple):
                return message
            if kind != "call" or len(message) != 4:
                raise ScriptStopped("the sandbox process sent what may not cross to the service")
            if time.monotonic() > limit_s:
                raise ScriptTimeout(seconds)
            self._answer(process, functions, *message[1:])

    @staticmethod
    def _answer(process: _Process, functions, name, args, kwargs) -> None:
        function = functions.get(name)
        try:
            if not callable(function) or not isinstance(args, tuple) or not isinstance(kwargs, dict):
                raise NameError(f"name {name!r} is not defined")
            reply = (True, function(*args, **kwargs))
        except Exception as exc:
            reply = (False, wire.describe(exc))
        try:
            wire.send(process.to, reply)
        except wire.Closed:
            pass                                   # the next receive says what became of it

    # -- the processes -------------------------------------------------------------------------
    def _take(self) -> _Process:
        with self._cond:
            while not self._idle and self._count >= self.size:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Process()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _give(self, process: _Process) -> None:
        with self._cond:
            self._idle.append(process)
            self._cond.notify()

    def _discard(self, process: _Process) -> None:
        process.kill()
        with self._cond:
            self._count -= 1
            self._cond.notify()
            warm = not self._idle
        if warm:
            threading.Thread(target=self._prestart, daemon=True, name="sandbox-prestart").start()

    def _prestart(self) -> None:
        with self._cond:
            if self._count >= self.size:
                return
            self._count += 1
        try:
            process = _Process()
        except OSError:
            with self._cond:
                self._count -= 1
            return
        self._give(process)

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for process in idle:
            process.kill()


_pool: Pool | None = None
_pool_pid = 0
_lock = threading.Lock()


def pool() -> Pool:
    """This process's pool (a forked web worker gets its own, never its parent's pipes)."""
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool, _pool_pid = Pool(), os.getpid()
            atexit.register(_pool.close)
        return _pool
