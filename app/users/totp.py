"""A second factor for the roles that need one (``QAMQOR_TOTP_ROLES``): time-based codes (RFC 6238)
from an authenticator app.

Enrolment happens at the first sign-in after the role starts needing it: a new secret is shown once
(a reload shows a fresh one and forgets the old), and the first correct code confirms it. A code
is accepted once: the step it belongs to is remembered, so a code seen over a shoulder cannot open
a second session.
"""
from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

from ..timeutil import utcnow
from .models import User

ISSUER = "Qamqor"
STEP_SECONDS = 30


def required(user: User, roles) -> bool:
    return bool(roles) and user.has_role(*roles)


def enrolled(user: User) -> bool:
    return user.totp_secret is not None and user.totp_enrolled_at is not None


def start_enrolment(session, *, user: User) -> tuple[str, str]:
    """A new secret for ``user`` (replacing an unconfirmed one); returns it and its otpauth:// URI. Commits."""
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enrolled_at, user.totp_last_step = secret, None, None
    session.commit()
    return secret, pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def accept_code(session, *, user: User, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` is the user's current one (a step either side allowed for clock drift) and not
    used before; a first correct code confirms the enrolment. Commits when accepted."""
    code = (code or "").strip().replace(" ", "")
    if not user.totp_secret or not (code.isdigit() and len(code) == 6):
        return False
    now = now or utcnow()
    totp = pyotp.TOTP(user.totp_secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            user.totp_last_step = step
            if user.totp_enrolled_at is None:
                user.totp_enrolled_at = now
            session.commit()
            return True
    return False


def reset(session, *, user: User) -> None:
    """Forget the user's authenticator (a lost phone): they enrol again at their next sign-in. Commits."""
    user.totp_secret, user.totp_enrolled_at, user.totp_last_step = None, None, None
    session.commit()
