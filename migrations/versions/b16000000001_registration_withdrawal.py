"""issue 13 §6: a registration withdrawn as made in error is recorded on its case

cases.withdrawn_at / withdrawn_by / withdrawal_reason: who withdrew it, when and why (the instances are
cancelled and the event ``registration_withdrawn`` is in each one's hash chain; these columns let the case
page, the lists and the compliance counts read it without the log). Nothing is deleted.
ix_cases_withdrawn (id) WHERE withdrawn_at IS NOT NULL: the few withdrawn cases the counts leave out
(``models.not_withdrawn``), found without reading the cases table.

Revision ID: b16000000001
Revises: b15000000001
"""
from alembic import op
import sqlalchemy as sa

revision = "b16000000001"
down_revision = "b15000000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
    withdrawn = sa.text("withdrawn_at IS NOT NULL")
    op.create_index("ix_cases_withdrawn", "cases", ["id"], postgresql_where=withdrawn, sqlite_where=withdrawn)


def downgrade():
    op.drop_index("ix_cases_withdrawn", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("withdrawal_reason")
        batch.drop_column("withdrawn_by")
        batch.drop_column("withdrawn_at")
