"""waiting catches keyed by the diagram's correlation properties (issue 10, correlations)

Revision ID: f10a00000003
Revises: f10a00000002
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "f10a00000003"
down_revision = "f10a00000002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
