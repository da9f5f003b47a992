"""Search at scale (docs/benchmarks.md, N = 100,000): on PostgreSQL the tsvector is stored in a
generated column with its own GIN index (matching no longer recomputes `to_tsvector` for every
candidate row), and a btree index follows the result order, so a common word's first page is
read along the index instead of sorting every match. SQLite keeps its FTS5 table (and cannot
index NULLS LAST)."""

from django.db import migrations


def no_statement_timeout(apps, schema_editor):
    """Rewriting a large table outlasts the application's statement timeout (settings): lift it
    for this migration's transaction only."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL statement_timeout = 0")


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE disclosure_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS disclosure_search_vector_gin ON disclosure_searchdocument USING GIN (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS disclosure_search_tokens_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS disclosure_search_order "
        "ON disclosure_searchdocument (kind, year DESC NULLS LAST, title_zh, id)"
    )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS disclosure_search_tokens_gin "
        "ON disclosure_searchdocument USING GIN (to_tsvector('simple', tokens))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS disclosure_search_vector_gin")
    schema_editor.execute("DROP INDEX IF EXISTS disclosure_search_order")
    schema_editor.execute("ALTER TABLE disclosure_searchdocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_project_feedback")]

    operations = [
        migrations.RunPython(no_statement_timeout, no_statement_timeout, elidable=False),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
