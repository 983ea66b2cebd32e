"""Who is calling the API: what the views and the services they call read of a user, as plain values.

Every API request with a bearer token asked the users table whose token it was, loading an ORM ``User`` for
it: a statement and object loading on each call (a tenth of a task completion's CPU, issue 16). The answer
changes only when an administrator changes the user, so it is remembered per process
(``app/remembered.py``): a deactivation, a changed or revoked token, changed roles, agency or organisation
are refused or applied at once by the process that committed them and within ``FRESH_SECONDS`` by the
others (the README's production section says so). An unknown or inactive token is never remembered: it is
looked up again on every request, and a stranger's guesses cannot fill the memory.

What is remembered is a frozen ``Caller`` — never an ORM object, which belongs to one session and one
thread while a gthread worker's threads share what is remembered. A view that must change the user loads
the row itself (``Caller.row``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from ..remembered import Remembered
from .models import User

FRESH_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Caller:
    """A user as the API's views, access rules and services read them; no password, token or second-factor
    secret. ``roles`` is a frozenset; ``has_role`` is the model's."""
    id: int
    username: str
    full_name: str | None
    agency: str | None
    organisation: str | None
    territory: str | None
    roles: frozenset[str]
    language: str | None
    email: str | None
    mail_preference: str | None
    active: bool = True

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def roles_csv(self) -> str:
        return ",".join(sorted(self.roles))

    def row(self, session) -> User | None:
        """The user's ORM row in ``session``, for the rare view that changes the user."""
        return session.get(User, self.id)

    @classmethod
    def of(cls, user: User) -> "Caller":
        return cls(user.id, user.username, user.full_name, user.agency, user.organisation, user.territory,
                   frozenset(user.roles), user.language, user.email, user.mail_preference, bool(user.active))


_COLUMNS = (User.id, User.username, User.full_name, User.agency, User.organisation, User.territory,
            User.roles_csv, User.language, User.email, User.mail_preference)
_remembered = Remembered(User)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def caller_for_token(session, token: str) -> Caller | None:
    """The active user whose API token this is, or None."""
    if not token:
        return None
    digest = token_hash(token)

    def load() -> Caller | None:
        row = session.execute(select(*_COLUMNS).where(User.token_hash == digest, User.active.is_(True))).first()
        if row is None:
            return None
        (id_, username, full_name, agency, organisation, territory, roles_csv, language, email,
         mail_preference) = row
        return Caller(id_, username, full_name, agency, organisation, territory,
                      frozenset(r for r in roles_csv.split(",") if r), language, email, mail_preference)
    return _remembered.read(session, digest, FRESH_SECONDS, load, keep=_opens_something)


def _opens_something(caller: Caller | None) -> bool:
    return caller is not None
