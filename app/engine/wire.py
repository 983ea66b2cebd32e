"""What crosses the pipe between the service and a sandbox process, and how.

Frames are a 4-byte length and a pickle. Pickle because task data holds datetimes next to JSON
values; never plain ``pickle.loads`` because the other end runs untrusted code: the unpickler
here resolves only the few classes task data may hold, so a forged frame cannot make the
service import or call anything. Values that are not plain data (a generator, an object of a
class a script defined) travel as ``Opaque`` stand-ins named after their type, so the step can
still say which variable holds what, and nothing of them is shipped.

Imports nothing from the service: the sandbox process loads this module on its own.
"""
from __future__ import annotations

import builtins
import datetime as dt
import io
import os
import pickle
import re
import select
import struct
import time
import uuid
import zoneinfo

HEADER = struct.Struct(">I")
_PLAIN = (dict, list, tuple, set, frozenset, str, bytes, bytearray, int, float, bool, type(None),
          dt.datetime, dt.date, dt.time, dt.timedelta, dt.timezone, uuid.UUID)
_DATETIMES = (dt.datetime, dt.date, dt.time)


class Opaque:
    """Stands for a value that is not plain data; its class is named after the value's type."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


_OPAQUE: dict[str, type] = {}


def opaque(kind: str) -> Opaque:
    kind = kind if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", kind or "") else "object"
    if kind not in _OPAQUE:
        _OPAQUE[kind] = type(kind, (Opaque,), {"__module__": __name__})
    return _OPAQUE[kind]()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        kind = type(obj)
        if kind in _PLAIN or _is_allowed_global(obj):
            return NotImplemented
        if isinstance(obj, Opaque):
            return opaque, (kind.__name__,)
        if isinstance(obj, zoneinfo.ZoneInfo) and obj.key:
            return zoneinfo.ZoneInfo, (obj.key,)
        if isinstance(obj, _DATETIMES):                  # e.g. the engine clock's datetime subclass
            base = next(t for t in _DATETIMES if isinstance(obj, t))
            return base, tuple(getattr(obj, f) for f in _FIELDS[base])
        return opaque, (kind.__name__,)


def _is_allowed_global(obj) -> bool:
    """The classes and functions the frames of plain data refer to by name."""
    if not callable(obj):
        return False
    try:
        return any(obj == allowed for allowed in _ALLOWED.values())
    except Exception:
        return False


_FIELDS = {dt.datetime: ("year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"),
           dt.date: ("year", "month", "day"),
           dt.time: ("hour", "minute", "second", "microsecond", "tzinfo")}

_ALLOWED = {("datetime", n): getattr(dt, n) for n in ("datetime", "date", "time", "timedelta", "timezone")}
_ALLOWED.update({("uuid", "UUID"): uuid.UUID, ("uuid", "SafeUUID"): uuid.SafeUUID,
                 ("zoneinfo", "ZoneInfo"): zoneinfo.ZoneInfo})
for _module in ("wire", __name__):                      # the sandbox process loads this file as "wire"
    _ALLOWED[(_module, "opaque")] = opaque


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        if module == "builtins" and name in ("set", "frozenset", "bytearray"):
            return getattr(builtins, name)
        raise pickle.UnpicklingError(f"{module}.{name} may not cross the sandbox boundary")


def dumps(value) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def loads(data: bytes):
    return _Unpickler(io.BytesIO(data)).load()


class Closed(Exception):
    """The other end went away (it exited or was killed)."""


class TooLarge(Exception):
    """A frame longer than the receiver accepts."""


class Late(Exception):
    """No whole frame before the deadline."""


def frame(value) -> bytes:
    """``value`` ready to write; pickling fails here, before a byte reaches the pipe."""
    data = dumps(value)
    return HEADER.pack(len(data)) + data


def send(fd: int, value) -> None:
    write(fd, frame(value))


def write(fd: int, framed: bytes) -> None:
    view = memoryview(framed)
    while view:
        try:
            written = os.write(fd, view)
        except (BrokenPipeError, OSError) as exc:
            raise Closed(str(exc)) from None
        view = view[written:]


def receive(fd: int, *, deadline: float | None = None, limit: int | None = None):
    """The next value on ``fd``; ``deadline`` is a ``time.monotonic()`` instant."""
    (length,) = HEADER.unpack(_read(fd, HEADER.size, deadline))
    if limit is not None and length > limit:
        raise TooLarge(f"{length} bytes")
    return loads(_read(fd, length, deadline))


def _read(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, missing = [], n
    while missing:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise Late()
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise Closed("end of file")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


# Exceptions cross as (class name, message). Only these builtins come back as themselves (the
# message of an incident must read the same whichever side raised it); others become ScriptFailed.
_SIMPLE = {n: getattr(builtins, n) for n in (
    "Exception", "ArithmeticError", "ZeroDivisionError", "OverflowError", "FloatingPointError", "AssertionError",
    "AttributeError", "IndexError", "KeyError", "LookupError", "NameError", "UnboundLocalError",
    "NotImplementedError", "RecursionError", "RuntimeError", "StopIteration", "TypeError", "ValueError",
    "MemoryError")}


def describe(exc: BaseException) -> tuple[str, tuple]:
    args = exc.args if all(isinstance(a, (str, int, float)) for a in exc.args) else (str(exc),)
    return type(exc).__name__, args


def rebuild(name: str, args: tuple, known: dict[str, type], fallback: type) -> BaseException:
    cls = known.get(name) or _SIMPLE.get(name)
    if cls is None:
        return fallback(f"{name}: {', '.join(map(str, args))}")
    exc = cls.__new__(cls)
    exc.args = tuple(args)
    return exc
