"""SQLite's search index over products: an FTS5 table kept in step by triggers.

SQLite rebuilds a table to alter it (create a copy, move the rows, drop the old one), and the
old table's triggers go with it. A migration that alters `catalog_product` on SQLite must
therefore end with `product_triggers_restore` (the test suite checks that they are there).
"""

from __future__ import annotations

from typing import Any

PRODUCT_FTS_TABLE = (
    "CREATE VIRTUAL TABLE catalog_product_fts USING fts5("
    "search_document, content='catalog_product', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\")"
)
PRODUCT_TRIGGERS = {
    "catalog_product_fts_insert": (
        "CREATE TRIGGER catalog_product_fts_insert AFTER INSERT ON catalog_product BEGIN "
        "INSERT INTO catalog_product_fts(rowid, search_document) "
        "VALUES (new.id, new.search_document); END"
    ),
    "catalog_product_fts_delete": (
        "CREATE TRIGGER catalog_product_fts_delete AFTER DELETE ON catalog_product BEGIN "
        "INSERT INTO catalog_product_fts(catalog_product_fts, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document); END"
    ),
    "catalog_product_fts_update": (
        "CREATE TRIGGER catalog_product_fts_update AFTER UPDATE OF search_document "
        "ON catalog_product BEGIN "
        "INSERT INTO catalog_product_fts(catalog_product_fts, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document); "
        "INSERT INTO catalog_product_fts(rowid, search_document) "
        "VALUES (new.id, new.search_document); END"
    ),
}


def product_triggers_restore(apps: Any, schema_editor: Any) -> None:
    """Re-create the product search triggers and rebuild the index from the table (SQLite
    only; a no-op elsewhere). For a migration's RunPython after it alters catalog_product."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, statement in PRODUCT_TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO catalog_product_fts(catalog_product_fts) VALUES ('rebuild')")
