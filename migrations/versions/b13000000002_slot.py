"""issue 13 slot: the case page's story

Revision ID: b13000000002
Revises: b11000000002
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "b13000000002"
down_revision = "b11000000002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
