"""issue 14 slot: Kazakh (users' remembered language)

Revision ID: b14000000001
Revises: a13100000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "b14000000001"
down_revision = "a13100000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
