"""auditors' reports and dashboards (issue 15)

Revision ID: a15000000001
Revises: a12000000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "a15000000001"
down_revision = "a12000000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
