"""organisations, territories, routing and access (issue 11)

Revision ID: a11000000001
Revises: f10a00000003
"""
from alembic import op
import sqlalchemy as sa

revision = "a11000000001"
down_revision = "f10a00000003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisations",
        sa.Column("code", sa.String(80), primary_key=True),
        sa.Column("agency", sa.String(40), nullable=False),
        sa.Column("name_ru", sa.String(300), nullable=False),
        sa.Column("name_kk", sa.String(300)),
        sa.Column("territory", sa.String(12)),
        sa.Column("serves", sa.JSON(), nullable=False),
        sa.Column("parent_code", sa.String(80)),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_index("ix_organisations_agency", "organisations", ["agency"])
    op.create_table(
        "case_participants",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("organisation", sa.String(80), primary_key=True),
    )
    op.create_index("ix_case_participants_organisation", "case_participants", ["organisation"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("organisation", sa.String(80)))
        batch.add_column(sa.Column("territory", sa.String(12)))
        batch.create_index("ix_users_organisation", ["organisation"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("opened_organisation", sa.String(80)))
        batch.add_column(sa.Column("territory", sa.String(12)))
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("organisation", sa.String(80)))
        batch.create_index("ix_tasks_org_inbox", ["organisation", "state", "due_at"])
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("sender_organisation", sa.String(80)))


def downgrade():
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("sender_organisation")
    # not a batch: on SQLite a batch would rebuild ``tasks`` and lose its expression index ix_tasks_inbox_order
    op.drop_index("ix_tasks_org_inbox", "tasks")
    op.drop_column("tasks", "organisation")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("territory")
        batch.drop_column("opened_organisation")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_organisation")
        batch.drop_column("territory")
        batch.drop_column("organisation")
    op.drop_index("ix_case_participants_organisation", "case_participants")
    op.drop_table("case_participants")
    op.drop_index("ix_organisations_agency", "organisations")
    op.drop_table("organisations")
