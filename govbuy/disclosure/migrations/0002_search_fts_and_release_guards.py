"""Database-specific pieces: the search index and the releases' immutability.

SQLite: an FTS5 table over the search tokens (tokenizer unicode61: the tokens are already words,
space-separated), rowid = disclosure_searchdocument.id, kept in sync by disclosure.services.
PostgreSQL: a GIN index on the 'simple' tsvector of the same tokens, and a trigger that refuses
UPDATE and DELETE of published releases (a release id is never republished with other content,
design/reliability.md R9). TRUNCATE stays possible so `flush` works in tests.
Both: the feed head's single row.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION govbuy_disclosure_refuse_release_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published OCDS releases are immutable: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Publish a new release instead.';
END
$$;
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_search_fts USING fts5(tokens, tokenize='unicode61')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS disclosure_search_tokens_gin "
            "ON disclosure_searchdocument USING GIN (to_tsvector('simple', tokens))"
        )
        schema_editor.execute(PG_FUNCTION, params=None)
        schema_editor.execute("DROP TRIGGER IF EXISTS disclosure_release_immutable ON disclosure_release")
        schema_editor.execute(
            "CREATE TRIGGER disclosure_release_immutable BEFORE UPDATE OR DELETE ON disclosure_release "
            "FOR EACH ROW EXECUTE FUNCTION govbuy_disclosure_refuse_release_change()"
        )
    apps.get_model("disclosure", "FeedHead").objects.get_or_create(pk=1, defaults={"last_seq": 0})


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS disclosure_search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS disclosure_search_tokens_gin")
        schema_editor.execute("DROP TRIGGER IF EXISTS disclosure_release_immutable ON disclosure_release")
        schema_editor.execute("DROP FUNCTION IF EXISTS govbuy_disclosure_refuse_release_change()")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_releases_and_search_index")]
    operations = [migrations.RunPython(install, uninstall, elidable=False)]
