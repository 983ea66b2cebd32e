"""failed messages and timers become incidents with a retry time (issue 10, worker)

Revision ID: f10a00000001
Revises: e7b10a7d0007
"""
from alembic import op
import sqlalchemy as sa

revision = "f10a00000001"
down_revision = "e7b10a7d0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("process_id", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incidents_message_id", "incidents", ["message_id"])
    op.create_index("ix_incidents_instance_id", "incidents", ["instance_id"])
    op.create_index("ix_incidents_case_id", "incidents", ["case_id"])
    op.create_index("ix_incidents_status_opened", "incidents", ["status", "opened_at"])
    # the worker's own schedule on the rows it picks: a failed message waits until next_attempt_at;
    # a failed timer's instance keeps its attempts and error, its next_timer_at moved to the retry time
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
    with op.batch_alter_table("process_instances") as batch_op:
        batch_op.add_column(sa.Column("timer_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("timer_error", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("process_instances") as batch_op:
        batch_op.drop_column("timer_error")
        batch_op.drop_column("timer_attempts")
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("next_attempt_at")
    op.drop_index("ix_incidents_status_opened", table_name="incidents")
    op.drop_index("ix_incidents_case_id", table_name="incidents")
    op.drop_index("ix_incidents_instance_id", table_name="incidents")
    op.drop_index("ix_incidents_message_id", table_name="incidents")
    op.drop_table("incidents")
