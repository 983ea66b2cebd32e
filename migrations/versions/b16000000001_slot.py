"""issue 16 slot: PostgreSQL hot path

Revision ID: b16000000001
Revises: b14000000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "b16000000001"
down_revision = "b14000000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
