"""e-mail outbox, preferences, documents (issue 13)

Revision ID: a13000000001
Revises: a15000000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "a13000000001"
down_revision = "a15000000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
