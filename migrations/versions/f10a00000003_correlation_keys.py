"""waiting catches keyed by the diagram's correlation properties (issue 10, correlations)

A waiting catch stores the correlation key values it expects and a message the values computed
from its payload, so the worker matches them without loading workflows; a message that found
receivers but none with its keys says so (``waiting_reason``) instead of waiting without a word.

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
    op.add_column("waiting_messages", sa.Column("correlation_keys", sa.JSON(), nullable=True))
    op.add_column("messages", sa.Column("correlation_keys", sa.JSON(), nullable=True))
    op.add_column("messages", sa.Column("waiting_reason", sa.String(300), nullable=True))


def downgrade():
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("waiting_reason")
        batch.drop_column("correlation_keys")
    with op.batch_alter_table("waiting_messages") as batch:
        batch.drop_column("correlation_keys")
