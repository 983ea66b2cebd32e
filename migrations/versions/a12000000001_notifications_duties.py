"""notifications the Guide requires, case links (issue 12)

Revision ID: a12000000001
Revises: a11000000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "a12000000001"
down_revision = "a11000000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
