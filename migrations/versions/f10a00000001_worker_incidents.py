"""failed messages and timers become incidents with a retry time (issue 10, worker)

Revision ID: f10a00000001
Revises: e7b10a7d0007
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "f10a00000001"
down_revision = "e7b10a7d0007"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
