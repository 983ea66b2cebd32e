"""Who of an agency has an e-mail address, remembered in each process for a couple of seconds.

Every step that creates a task queues mail for the people who may work it; asking the users table on
every completion cost a statement whose answer changes when an administrator edits a user. The rule is
the organisations' (``organisations/directory.py``): another process's change is seen within
``FRESH_SECONDS``, a change committed by this process (any ORM write to ``User``) at once. The records
carry what choosing and wording a mail needs — never a password or token hash.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from ..users.models import User

FRESH_SECONDS = 2.0


@dataclass(frozen=True)
class Recipient:
    """What ``access.can_work_task`` and the mail's wording read of a user."""
    id: int
    username: str
    agency: str | None
    organisation: str | None
    roles_csv: str
    email: str
    mail_preference: str | None
    language: str | None
    active: bool = True

    @property
    def roles(self) -> set[str]:
        return {r for r in self.roles_csv.split(",") if r}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


_read: dict[tuple, tuple[float, tuple[Recipient, ...]]] = {}
_lock = threading.Lock()


def with_address(session, agency: str | None) -> tuple[Recipient, ...]:
    """The agency's active users with an address."""
    key = (session.get_bind().url, agency)          # one process may use several databases (tests, bench)
    hit = _read.get(key)
    if hit is not None and time.monotonic() - hit[0] <= FRESH_SECONDS:
        return hit[1]
    rows = session.execute(select(User.id, User.username, User.agency, User.organisation, User.roles_csv, User.email,
                                  User.mail_preference, User.language)
                           .where(User.agency == agency, User.active.is_(True), User.email.is_not(None))
                           .order_by(User.id)).all()
    found = tuple(Recipient(*row) for row in rows)
    with _lock:
        _read[key] = (time.monotonic(), found)
    return found


def forget() -> None:
    with _lock:
        _read.clear()


@event.listens_for(User, "after_insert")
@event.listens_for(User, "after_update")
@event.listens_for(User, "after_delete")
def _changed(_mapper, _connection, target) -> None:
    session = object_session(target)
    if session is not None:
        session.info["users_changed"] = True


@event.listens_for(Session, "after_commit")
def _committed(session) -> None:
    if session.info.pop("users_changed", False):    # forgotten once the change is visible to the next read
        forget()
