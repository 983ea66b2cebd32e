"""Rows that every step reads but that change a few times a year, remembered in each process.

Routing asks which organisation serves a territory and mail asks who of an agency has an address on
every completion; reading them each time cost statements whose answers change only when an
administrator edits something. One rule for all of them: another process's change is seen within the
caller's time-to-live; a change this process commits through the ORM to the model is seen at once —
forgotten at commit, not at flush, since a read in between would remember the old rows again.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

T = TypeVar("T")
_everything: list["Remembered"] = []


class Remembered:
    """What was read of one model, per database and key, with the moment it was read."""

    def __init__(self, model) -> None:
        self._read: dict[tuple, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self._flag = f"remembered:{model.__tablename__}:changed"
        for name in ("after_insert", "after_update", "after_delete"):
            event.listen(model, name, self._changed)
        event.listen(Session, "after_commit", self._committed)
        _everything.append(self)

    def read(self, session, key, fresh_seconds: float, load: Callable[[], T]) -> T:
        remembered_as = (session.get_bind().url, key)    # one process may use several databases (tests, bench)
        hit = self._read.get(remembered_as)
        if hit is not None and time.monotonic() - hit[0] <= fresh_seconds:
            return hit[1]
        found = load()
        with self._lock:
            self._read[remembered_as] = (time.monotonic(), found)
        return found

    def forget(self) -> None:
        with self._lock:
            self._read.clear()

    def _changed(self, _mapper, _connection, target) -> None:
        session = object_session(target)
        if session is not None:
            session.info[self._flag] = True

    def _committed(self, session) -> None:
        if session.info.pop(self._flag, False):
            self.forget()


def forget_everything() -> None:
    """After a change made beside the ORM (a table emptied, a bulk UPDATE), read everything again."""
    for remembered in _everything:
        remembered.forget()
