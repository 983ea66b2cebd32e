"""Rows that every step reads but that change a few times a year, remembered in each process.

Routing asks which organisation serves a territory, mail asks who of an agency has an address on every
completion, and every API call asks whose bearer token it carries; reading them each time cost statements
whose answers change only when an administrator edits something. One rule for all of them: another process's
change is seen within the caller's time-to-live; a change this process commits through the ORM to the model —
a changed object, or a bulk ``update``/``delete``/``insert`` statement on it — is seen at once: forgotten at
commit, not at flush, since a read in between would remember the old rows again. A read that began before
such a forgetting is answered but not remembered (a thread of a gthread worker may have loaded the old row
just before another thread committed the change). What is remembered must be plain immutable values: the
threads of a process share it.
"""
from __future__ import annotations

import threading
from time import monotonic          # a module name of its own: tests move it to see the time-to-live run out
from typing import Callable, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

T = TypeVar("T")
_everything: list["Remembered"] = []
_by_table: dict[str, list["Remembered"]] = {}


class Remembered:
    """What was read of one model, per database and key, with the moment it was read."""

    def __init__(self, model) -> None:
        self._read: dict[tuple, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self._generation = 0                 # one more at each forgetting: a read older than that is not kept
        self._flag = f"remembered:{model.__tablename__}:changed"
        for name in ("after_insert", "after_update", "after_delete"):
            event.listen(model, name, self._changed)
        event.listen(Session, "after_commit", self._committed)
        _everything.append(self)
        _by_table.setdefault(model.__tablename__, []).append(self)

    def read(self, session, key, fresh_seconds: float, load: Callable[[], T],
             keep: Callable[[T], bool] | None = None) -> T:
        """``load()``'s answer, remembered for ``fresh_seconds``; with ``keep``, only an answer it approves is
        remembered (a token that opens nothing is not: unknown tokens by the million must not fill memory)."""
        # one process may use several databases (tests, bench): per engine, which hashes by identity (its URL
        # would be rendered to text at every lookup)
        remembered_as = (session.get_bind(), key)
        hit = self._read.get(remembered_as)
        if hit is not None and monotonic() - hit[0] <= fresh_seconds:
            return hit[1]
        generation = self._generation
        read_at = monotonic()
        found = load()
        with self._lock:
            if keep is not None and not keep(found):
                self._read.pop(remembered_as, None)
            elif generation == self._generation:
                self._read[remembered_as] = (read_at, found)
        return found

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._read.clear()

    def _changed(self, _mapper, _connection, target) -> None:
        session = object_session(target)
        if session is not None:
            session.info[self._flag] = True

    def _committed(self, session) -> None:
        if session.info.pop(self._flag, False):
            self.forget()


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state) -> None:
    """``session.execute(update(User)...)`` or ``query(User).update(...)`` change rows without the mapper's
    events: flag them the same way, so that the commit forgets what was remembered of the model."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    for remembered in _by_table.get(table, ()):
        state.session.info[remembered._flag] = True


def forget_everything() -> None:
    """After a change made beside the ORM (raw SQL, a table emptied), read everything again."""
    for remembered in _everything:
        remembered.forget()
