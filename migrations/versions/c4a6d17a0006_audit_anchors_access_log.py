"""audit: anchors over every instance's chain, and the access log

Revision ID: c4a6d17a0006
Revises: a7e1c0de0007
"""
from alembic import op
import sqlalchemy as sa

revision = "c4a6d17a0006"
down_revision = "a7e1c0de0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("instance_count", sa.Integer(), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("prev_digest", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
        sa.UniqueConstraint("prev_digest"),      # two workers anchoring at once: one wins, no fork
    )
    op.create_index("ix_audit_anchors_created_at", "audit_anchors", ["created_at"])
    op.create_table(
        "audit_access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_access_log_at", "audit_access_log", ["at"])
    op.create_index("ix_audit_access_log_username", "audit_access_log", ["username"])
    op.create_index("ix_audit_access_log_case_id", "audit_access_log", ["case_id"])


def downgrade():
    op.drop_table("audit_access_log")
    op.drop_table("audit_anchors")
