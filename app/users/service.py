"""Users, passwords and API tokens. Tokens are stored hashed: a stolen table opens nothing."""
from __future__ import annotations

import secrets

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..agencies import BY_CODE
from ..errors import Conflict, Invalid, NotFound
from ..problems import field
from ..i18n import LANGUAGES
from ..notify.addresses import valid_address
from .callers import token_hash as _token_hash
from .models import ROLES, User
from .passwords import password_faults


def create_user(session, *, username: str, agency: str | None, roles: list[str],
                password: str | None = None, full_name: str | None = None,
                email: str | None = None) -> tuple[User, str]:
    """Create a user; returns the user and their API token (shown once, stored hashed)."""
    errors = []
    if agency is not None and agency not in BY_CODE:
        errors.append(field("agency", "unknown_agency", agency=agency, values=", ".join(BY_CODE)))
    bad = [r for r in roles if r not in ROLES]
    if bad or not roles:
        errors.append(field("role", "roles_among", values=", ".join(ROLES)))
    if not username or len(username) > 80:
        errors.append(field("username", "username_length"))
    if email and not valid_address(email):
        errors.append(field("email", "email_address"))
    if password is not None:
        errors += [{"field": "password", "code": code, "message": message}
                   for code, message in password_faults(password, username=username)]
    if errors:
        raise Invalid("user_invalid", errors)
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict("user_exists", {"username": username})
    token = secrets.token_urlsafe(32)
    user = User(username=username, agency=agency, roles_csv=",".join(sorted(set(roles))), full_name=full_name,
                email=email or None, password_hash=generate_password_hash(password) if password else None, token_hash=_token_hash(token))
    session.add(user)
    session.commit()
    return user, token


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    """A hash made the way real ones are, to check against when there is no real one."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def authenticate(session, username: str, password: str) -> User | None:
    """The user, if the password is theirs. An unknown name, an inactive user or one without a password
    costs the same hash check as a wrong password, so the time taken does not tell which names exist."""
    user = session.scalar(select(User).where(User.username == username))
    usable = user is not None and user.active and user.password_hash
    ok = check_password_hash(user.password_hash if usable else _dummy_hash(), password)
    return user if usable and ok else None


def find_user(session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user_not_found", {"username": username})
    return user


def set_password(session, *, user: User, password: str) -> int:
    """Give ``user`` a new password (under the policy) and sign them out everywhere: whoever knew the
    old one may hold a session. Returns how many sessions ended; commits."""
    from .passwords import check_password
    from .sessions import revoke_sessions
    check_password(password, username=user.username)
    user.password_hash = generate_password_hash(password)
    return revoke_sessions(session, user=user)       # commits both


def remember_language(session, user: User, lang: str) -> None:
    """Keep ``lang`` (ru, kk or en) as the user's UI language: their pages and e-mails use it from now on."""
    if lang not in LANGUAGES:
        raise Invalid("unsupported_language", [field("lang", "one_of", values=", ".join(LANGUAGES))])
    if user.language != lang:
        user.language = lang
        session.commit()
