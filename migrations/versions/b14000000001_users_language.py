"""issue 14: each user's remembered UI language (ru, kk or en; NULL: not chosen yet, Russian)

Revision ID: b14000000001
Revises: a13100000001
"""
from alembic import op
import sqlalchemy as sa

revision = "b14000000001"
down_revision = "a13100000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(2), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
