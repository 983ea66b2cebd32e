"""Who of an agency has an e-mail address, remembered in each process for a couple of seconds.

Every step that creates a task queues mail for the people who may work it; asking the users table on
every completion cost a statement whose answer changes when an administrator edits a user. The rule is
``remembered.py``'s: another process's change is seen within
``FRESH_SECONDS``, a change committed by this process (any ORM write to ``User``) at once. The records
carry what choosing and wording a mail needs — never a password or token hash.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..remembered import Remembered
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


_remembered = Remembered(User)


def with_address(session, agency: str | None) -> tuple[Recipient, ...]:
    """The agency's active users with an address."""
    def load() -> tuple[Recipient, ...]:
        rows = session.execute(select(User.id, User.username, User.agency, User.organisation, User.roles_csv,
                                      User.email, User.mail_preference, User.language)
                               .where(User.agency == agency, User.active.is_(True), User.email.is_not(None))
                               .order_by(User.id)).all()
        return tuple(Recipient(*row) for row in rows)
    return _remembered.read(session, agency, FRESH_SECONDS, load)
