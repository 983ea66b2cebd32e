"""server-side sessions, login throttle, password policy, TOTP (issue 10, sign-in)

Revision ID: f10a00000002
Revises: f10a00000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "f10a00000002"
down_revision = "f10a00000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
