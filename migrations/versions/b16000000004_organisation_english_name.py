"""issue 14: an organisation's English name beside its Russian and Kazakh ones

organisations.name_en (optional, like name_kk): pages and the API show an organisation in the reader's language,
falling back to Russian. A plain column like its two siblings rather than a JSON map: the three names are read
together in one query per page (``organisations.service.names``) and an admin edits them as three fields.

Revision ID: b16000000004
Revises: b16000000001
"""
from alembic import op
import sqlalchemy as sa

revision = "b16000000004"
down_revision = "b16000000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("name_en", sa.String(300), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("name_en")
