"""case search: normalized names, registration number, ИИН; trigram indexes on PostgreSQL (issue 13 §1)

Revision ID: a13100000001
Revises: a13000000001
"""
from alembic import op
import sqlalchemy as sa

revision = "a13100000001"
down_revision = "a13000000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("search_names", sa.Text(), nullable=True))
        batch.add_column(sa.Column("search_iins", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # the test and production servers run migrations as a role that may create extensions
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")     # levenshtein: the typo allowance
        op.execute("CREATE INDEX ix_cases_search_names_trgm ON cases USING gin (search_names gin_trgm_ops)")
        op.execute("CREATE INDEX ix_cases_search_iins_trgm ON cases USING gin (search_iins gin_trgm_ops)")
        op.execute("CREATE INDEX ix_cases_number_trgm ON cases USING gin (registration_number gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in ("ix_cases_number_trgm", "ix_cases_search_iins_trgm", "ix_cases_search_names_trgm"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("search_iins")
        batch.drop_column("search_names")
