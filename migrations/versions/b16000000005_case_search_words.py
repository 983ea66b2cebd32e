"""case search: the distinct words of cases' names, so a typo is matched against words, not every case (issue 13 §1)

On PostgreSQL only (SQLite keeps its qamqor_near function): ``case_search_words`` holds each word that
occurs in some case's ``search_names``, filled by a trigger as cases are written; a surname with a typo is
compared (levenshtein) with these few thousand words, and the cases holding the near words are then read
through a GIN index on the array of each case's words. The earlier way (``%>`` word similarity over every
case's text, then levenshtein per case) cost a similarity recheck per candidate case: 330 ms p95 at 100,000
cases (bench/bench_search.py).

Revision ID: b16000000005
Revises: b16000000004
"""
from alembic import op

revision = "b16000000005"
down_revision = "b16000000004"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE case_search_words (word text PRIMARY KEY)")
    op.execute("CREATE INDEX ix_case_search_words_trgm ON case_search_words USING gin (word gin_trgm_ops)")
    op.execute("""
        CREATE FUNCTION qamqor_note_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.search_names IS NOT NULL THEN
                -- in one order everywhere: two cases written at once with the same new words wait for each
                -- other's key in turn instead of deadlocking
                INSERT INTO case_search_words (word)
                SELECT DISTINCT w FROM unnest(string_to_array(NEW.search_names, ' ')) AS w WHERE w <> ''
                ORDER BY w
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN NEW;
        END
        $$""")
    op.execute("CREATE TRIGGER cases_search_words AFTER INSERT OR UPDATE OF search_names ON cases "
               "FOR EACH ROW EXECUTE FUNCTION qamqor_note_search_words()")
    op.execute("INSERT INTO case_search_words (word) SELECT DISTINCT w FROM cases, "
               "unnest(string_to_array(cases.search_names, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING")
    op.execute("CREATE INDEX ix_cases_search_words ON cases USING gin ((string_to_array(search_names, ' ')))")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_cases_search_words")
    op.execute("DROP TRIGGER IF EXISTS cases_search_words ON cases")
    op.execute("DROP FUNCTION IF EXISTS qamqor_note_search_words()")
    op.execute("DROP TABLE IF EXISTS case_search_words")
