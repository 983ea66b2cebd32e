"""login failures (rate limiting sign-in, shared by every web process)

Revision ID: a7e1c0de0007
Revises: 3b7975eadf07
"""
from alembic import op
import sqlalchemy as sa

revision = "a7e1c0de0007"
down_revision = "3b7975eadf07"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])


def downgrade():
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    op.drop_table("login_failures")
