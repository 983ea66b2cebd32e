"""notifications the Guide requires, case links (issue 12)

§10: ``case_children`` (the ИИН each case's forms gave) finds a second report about the same child;
``case_links`` holds staff's decision (linked / kept separate, with its reason), one row per direction.

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
    op.create_table(
        "case_children",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("iin", sa.String(12), primary_key=True),
    )
    op.create_index("ix_case_children_iin", "case_children", ["iin"])
    op.create_table(
        "case_links",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("other_case_id", sa.String(36), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("decided_by", sa.String(80), nullable=False),
        sa.Column("decided_agency", sa.String(40)),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("case_links")
    op.drop_index("ix_case_children_iin", table_name="case_children")
    op.drop_table("case_children")
