from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow

# integration: a service account (an external system's token) that may post messages into the cases its
# organisation (agency) takes part in — an explicit right, as no lane of a diagram draws such a sender;
# overseer: counts only (the dashboard), for the ministry's committee (the country) or a region (``territory``)
ROLES = ("staff", "supervisor", "process_owner", "auditor", "admin", "integration", "overseer")


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    agency: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    # the unit they work for (organisations.code); None: national roles, or agency-wide as before issue 11
    organisation: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    # an auditor's oversight territory (КАТО): they read only the cases of the children living there; None: all
    territory: Mapped[str | None] = mapped_column(sa.String(12))
    roles_csv: Mapped[str] = mapped_column("roles", sa.String(200), default="staff")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # second factor (QAMQOR_TOTP_ROLES): the authenticator app's secret, when it was confirmed with a first
    # code, and the last 30-second step accepted (a code opens one sign-in, not two)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # where new work is announced (app/notify/), and how: immediate | digest (once a day) | off; escalations
    # and missed deadlines are sent at once whatever this says
    email: Mapped[str | None] = mapped_column(sa.String(254))
    mail_preference: Mapped[str] = mapped_column(sa.String(10), default="immediate", server_default="immediate")
    # the UI language they chose with the header's switch (ru | kk | en): their pages and e-mails use it on any
    # browser; None until they choose (Russian, or what the browser asks for)
    language: Mapped[str | None] = mapped_column(sa.String(2))

    @property
    def roles(self) -> set[str]:
        return {r for r in self.roles_csv.split(",") if r}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


class UserSession(db.Model):
    """A signed-in browser. The cookie carries a random id and this row only its hash, so a copied table
    signs nobody in; signing out, idling past the limit or an admin's revocation ends the row, and with
    it every copy of the cookie."""
    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    address_hash: Mapped[str | None] = mapped_column(sa.String(64))   # which address signed in, not readable back
    # the password was right but the second factor is still to come: the session opens nothing yet
    awaiting_code: Mapped[bool] = mapped_column(default=False)
