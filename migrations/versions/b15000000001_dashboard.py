"""issue 15: the message-started instances indexed apart, for the dashboard's notices figure

ix_process_instances_system (id) WHERE started_by = 'system': "is this open task's instance message-started?"
without reading the instances' stored state (the table's bulk). The instance's id and started_by never change,
so updates of an instance's state stay HOT.

Tried and left out (measured at 100,000 cases): a covering index for the open cases per chapter and agency
(state, agency, process_id, case_id) is fast only while the visibility map is fresh (~50 ms vacuumed, ~500 ms
right after the rows changed, as open tasks' pages usually have), and (instance_id, created_at) for the
notices did not change the plan; both would cost every task write. The open cases are counted with enough
work_mem instead (app/dashboard/service.py).

Revision ID: b15000000001
Revises: b14000000001
"""
from alembic import op
import sqlalchemy as sa

revision = "b15000000001"
down_revision = "b14000000001"
branch_labels = None
depends_on = None


def upgrade():
    system = sa.text("started_by = 'system'")
    op.create_index("ix_process_instances_system", "process_instances", ["id"],
                    postgresql_where=system, sqlite_where=system)


def downgrade():
    op.drop_index("ix_process_instances_system", table_name="process_instances")
