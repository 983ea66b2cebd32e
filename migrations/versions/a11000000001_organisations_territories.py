"""organisations, territories, routing and access (issue 11)

Revision ID: a11000000001
Revises: f10a00000003
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "a11000000001"
down_revision = "f10a00000003"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
