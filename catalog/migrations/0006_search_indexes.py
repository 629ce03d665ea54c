"""The databases' own search indexes over the analysed tokens.

PostgreSQL: a stored tsvector column generated from `search_document` ('simple' configuration:
the tokens are already analysed in Python) with a GIN index, and a trigram index on the
vocabulary for spelling correction (pg_trgm).
SQLite: an FTS5 table over `search_document`, and a trigram FTS5 table over the vocabulary,
both kept in step with their tables by triggers.
"""

from django.db import migrations

from catalog.search.sqlite_schema import PRODUCT_FTS_TABLE, PRODUCT_TRIGGERS

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE catalog_product ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED",
    "CREATE INDEX catalog_product_search_vector_gin ON catalog_product USING GIN (search_vector)",
    "CREATE INDEX catalog_searchterm_term_trgm ON catalog_searchterm USING GIN (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchterm_term_trgm",
    "DROP INDEX IF EXISTS catalog_product_search_vector_gin",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    PRODUCT_FTS_TABLE,
    *PRODUCT_TRIGGERS.values(),
    "CREATE VIRTUAL TABLE catalog_searchterm_trigram USING fts5("
    "term, content='catalog_searchterm', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER catalog_searchterm_trigram_insert AFTER INSERT ON catalog_searchterm BEGIN "
    "INSERT INTO catalog_searchterm_trigram(rowid, term) VALUES (new.id, new.term); END",
    "CREATE TRIGGER catalog_searchterm_trigram_delete AFTER DELETE ON catalog_searchterm BEGIN "
    "INSERT INTO catalog_searchterm_trigram(catalog_searchterm_trigram, rowid, term) "
    "VALUES ('delete', old.id, old.term); END",
    "CREATE TRIGGER catalog_searchterm_trigram_update AFTER UPDATE OF term ON catalog_searchterm "
    "BEGIN INSERT INTO catalog_searchterm_trigram(catalog_searchterm_trigram, rowid, term) "
    "VALUES ('delete', old.id, old.term); "
    "INSERT INTO catalog_searchterm_trigram(rowid, term) VALUES (new.id, new.term); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_searchterm_trigram_update",
    "DROP TRIGGER IF EXISTS catalog_searchterm_trigram_delete",
    "DROP TRIGGER IF EXISTS catalog_searchterm_trigram_insert",
    "DROP TABLE IF EXISTS catalog_searchterm_trigram",
    "DROP TRIGGER IF EXISTS catalog_product_fts_update",
    "DROP TRIGGER IF EXISTS catalog_product_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_product_fts_insert",
    "DROP TABLE IF EXISTS catalog_product_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_product_search_document_and_vocabulary")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
