"""issue 11 slot: sender rights and oversight by territory

Revision ID: b11000000002
Revises: b16000000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "b11000000002"
down_revision = "b16000000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
